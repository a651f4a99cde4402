/**
 * Node-level figures for the Summary API from /proc and statfs: CPU time (and the rate since the previous call),
 * memory, the root dir's file system, process counts.
 */
import * as fs from "node:fs";
import { fsCapacity } from "../registration/machine-info.js";

const CLK_TCK = 100;

export interface CpuSample {
  at: number;
  usageCoreNanoSeconds: number;
}

function readProc(path: string): string {
  try {
    return fs.readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

export function cpuSample(): CpuSample {
  const line = readProc("/proc/stat").split("\n")[0] ?? "";
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = f;
  const busyTicks = user + nice + system + irq + softirq + steal;
  return { at: Date.now(), usageCoreNanoSeconds: Math.round((busyTicks * 1e9) / CLK_TCK) };
}

export function memoryStats(): { availableBytes: number; usageBytes: number; workingSetBytes: number; rssBytes: number; pageFaults: number; majorPageFaults: number } {
  const info = readProc("/proc/meminfo");
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, "m").exec(info)?.[1] ?? 0) * 1024;
  const total = kb("MemTotal");
  const available = kb("MemAvailable");
  const free = kb("MemFree");
  const vmstat = readProc("/proc/vmstat");
  const v = (k: string) => Number(new RegExp(`^${k} (\\d+)`, "m").exec(vmstat)?.[1] ?? 0);
  return {
    availableBytes: available,
    usageBytes: total - free,
    workingSetBytes: total - available,
    rssBytes: kb("AnonPages"),
    pageFaults: v("pgfault"),
    majorPageFaults: v("pgmajfault"),
  };
}

export function fsStats(dir: string): { availableBytes: number; capacityBytes: number; usedBytes: number; inodesFree: number; inodes: number; inodesUsed: number } {
  const s = fsCapacity(dir);
  const st = fs.statfsSync(dir);
  const used = (st.blocks - st.bfree) * st.bsize;
  return { availableBytes: s.available, capacityBytes: s.capacity, usedBytes: used, inodesFree: s.inodesFree, inodes: s.inodes, inodesUsed: s.inodes - s.inodesFree };
}

export function rlimitStats(): { maxpid: number; curproc: number } {
  const maxpid = Number(readProc("/proc/sys/kernel/pid_max").trim()) || 0;
  let curproc: number;
  try {
    curproc = fs.readdirSync("/proc").filter((n) => /^\d+$/.test(n)).length;
  } catch {
    curproc = 0;
  }
  return { maxpid, curproc };
}
