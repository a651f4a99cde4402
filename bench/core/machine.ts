/** Where figures came from: the machine, the disk the data dirs live on, and the code version. */
import { execFileSync } from "node:child_process";
import { cpus, release, totalmem, tmpdir } from "node:os";
import { readFileSync } from "node:fs";

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  kernel: string;
  node: string;
  /** Filesystem and device of the temp dir the data dirs live in. */
  disk: string;
  gitCommit: string;
  gitDirty: boolean;
  virtualization: string;
}

function tryRun(cmd: string, args: string[], cwd?: string): string {
  try {
    return execFileSync(cmd, args, { encoding: "utf8", cwd, stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "";
  }
}

export function machineInfo(repo: string): MachineInfo {
  const c = cpus();
  const df = tryRun("df", ["--output=source,fstype", tmpdir()]).split("\n")[1]?.trim().replace(/\s+/g, " ") ?? "";
  let virt = tryRun("systemd-detect-virt", []);
  if (!virt) {
    try {
      virt = /hypervisor/.test(readFileSync("/proc/cpuinfo", "utf8")) ? "vm (hypervisor flag)" : "none detected";
    } catch {
      virt = "unknown";
    }
  }
  return {
    cpuModel: c[0]?.model ?? "unknown",
    cores: c.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    kernel: release(),
    node: process.version,
    disk: `${df} (${tmpdir()})`,
    gitCommit: tryRun("git", ["rev-parse", "--short", "HEAD"], repo) || "unknown",
    gitDirty: tryRun("git", ["status", "--porcelain", "--untracked-files=no"], repo).length > 0,
    virtualization: virt,
  };
}

/** The 1-minute load average now (other work on the machine skews every figure; the run records it). */
export function loadAverage(): number {
  try {
    return Number(readFileSync("/proc/loadavg", "utf8").split(" ")[0]);
  } catch {
    return NaN;
  }
}
