/**
 * Per-pod files shared by the pod's containers, kept in the sandbox's directory: /etc/hostname (the pod name),
 * /etc/hosts (localhost plus the pod's hostname), /etc/resolv.conf (the host's: pods use the host network), and a
 * tmpfs for /dev/shm so containers of a pod share POSIX shared memory as they share the IPC namespace.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { isMountPoint, unmount } from "../../lib/safe-path/index.js";
import { defaultSpawner } from "../../lib/spawner/index.js";
import { RuntimeError } from "./errors.js";
import type { PodFiles } from "./oci-spec.js";

export function podFilesOf(sandboxDir: string): PodFiles {
  return {
    hostname: path.join(sandboxDir, "hostname"),
    hosts: path.join(sandboxDir, "hosts"),
    resolvConf: path.join(sandboxDir, "resolv.conf"),
    shm: path.join(sandboxDir, "shm"),
  };
}

function hostResolvConf(): string {
  try {
    return fs.readFileSync("/etc/resolv.conf", "utf8");
  } catch {
    return "";
  }
}

export async function writePodFiles(sandboxDir: string, hostname: string): Promise<PodFiles> {
  const f = podFilesOf(sandboxDir);
  fs.writeFileSync(f.hostname, `${hostname}\n`, { mode: 0o644 });
  fs.writeFileSync(f.hosts, `127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.1.1\t${hostname}\n`, { mode: 0o644 });
  fs.writeFileSync(f.resolvConf, hostResolvConf(), { mode: 0o644 });
  fs.mkdirSync(f.shm, { recursive: true, mode: 0o1777 });
  if (!isMountPoint(f.shm)) {
    try {
      await defaultSpawner().mount(f.shm, [
        { op: "new", fstype: "tmpfs", source: "shm", flags: ["nosuid", "nodev", "noexec"], data: "size=65536k,mode=1777" },
        { op: "make-private" },
      ]);
    } catch (e) {
      await unmount(f.shm).catch(() => undefined);
      throw new RuntimeError("RuncFailed", `pod shm mount failed: ${(e as Error).message}`, { cause: e });
    }
  }
  return f;
}

export async function removePodMounts(sandboxDir: string): Promise<void> {
  await unmount(podFilesOf(sandboxDir).shm);
}
