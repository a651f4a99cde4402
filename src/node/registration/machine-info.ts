/** Facts about this machine that a Node reports: processors, memory, the root dir's file system, ids, kernel, OS. */
import * as fs from "node:fs";
import * as os from "node:os";

export interface MachineInfo {
  cpus: number;
  memoryBytes: number;
  fsCapacityBytes: number;
  machineID: string;
  systemUUID: string;
  bootID: string;
  kernelVersion: string;
  osImage: string;
  architecture: string;
}

function readTrimmed(path: string): string {
  try {
    return fs.readFileSync(path, "utf8").trim();
  } catch {
    return "";
  }
}

function osImage(): string {
  const text = readTrimmed("/etc/os-release");
  const m = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(text);
  return m?.[1] ?? "Linux";
}

export function goArch(arch = process.arch): string {
  return ({ x64: "amd64", arm64: "arm64", arm: "arm", ia32: "386", ppc64: "ppc64le", s390x: "s390x", riscv64: "riscv64" } as Record<string, string>)[arch] ?? arch;
}

/** Capacity in bytes of the file system holding `dir`. */
export function fsCapacity(dir: string): { capacity: number; available: number; inodes: number; inodesFree: number } {
  const s = fs.statfsSync(dir);
  return { capacity: s.blocks * s.bsize, available: s.bavail * s.bsize, inodes: s.files, inodesFree: s.ffree };
}

export function readMachineInfo(rootDir: string): MachineInfo {
  const machineID = readTrimmed("/etc/machine-id") || readTrimmed("/var/lib/dbus/machine-id");
  return {
    cpus: os.cpus().length || 1,
    memoryBytes: os.totalmem(),
    fsCapacityBytes: fsCapacity(rootDir).capacity,
    machineID,
    systemUUID: readTrimmed("/sys/class/dmi/id/product_uuid").toLowerCase() || machineID,
    bootID: readTrimmed("/proc/sys/kernel/random/boot_id"),
    kernelVersion: os.release(),
    osImage: osImage(),
    architecture: goArch(),
  };
}
