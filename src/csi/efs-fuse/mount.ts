/**
 * Starting one efs-fuse daemon and handing back a handle once its mount is visible. The daemon runs
 * in its own process group (it must outlive a restart of the caller), gets an argument vector only,
 * and is watched: if it dies without being asked to, its dead mount is detached lazily.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { lstatSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "../../lib/log.js";
import { buildEfsFuseArgs, checkPath } from "./args.js";
import { findEfsFuseBinary } from "./binary.js";
import { efsFuseMountsAt, readMountinfo } from "./mountinfo.js";
import { readIoCounters } from "./stats.js";
import type { EfsFuseMount, MountEfsFuseOptions } from "./types.js";
import { canonicalMountPoint, unmountEfsFuse } from "./unmount.js";

const log = createLogger("csi/efs-fuse");
const POLL_MS = 20;
const STDERR_KEEP = 8192;

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (exited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(exited(child)), ms);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** The daemon's last words may arrive after its exit is noticed; wait briefly for the pipe to end. */
function stderrDrained(child: ChildProcess): Promise<void> {
  const stream = child.stderr;
  if (!stream || stream.readableEnded || stream.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 1000);
    stream.once("close", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export async function mountEfsFuse(options: MountEfsFuseOptions): Promise<EfsFuseMount> {
  const binary = findEfsFuseBinary();
  const target = canonicalMountPoint(checkPath("target", options.target));
  // mount(2) would follow a symlink in the last component; the target must be the directory itself.
  if (!lstatSync(target).isDirectory()) throw new Error(`efs-fuse: target is not a directory: ${target}`);
  const ownStats = options.statsFile === undefined;
  const statsFile = options.statsFile ?? join(tmpdir(), `cistern-efs-fuse-${randomBytes(6).toString("hex")}.json`);
  const args = buildEfsFuseArgs({ ...options, target, statsFile });

  const before = new Set(efsFuseMountsAt(target).map((m) => m.id));
  const child = spawn(binary, args, { detached: true, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_KEEP);
  });
  let spawnFailed: Error | undefined;
  child.once("error", (err) => {
    spawnFailed = err;
  });

  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    const mounted = efsFuseMountsAt(target, readMountinfo()).some((m) => !before.has(m.id));
    if (mounted) break;
    if (spawnFailed) throw new Error(`efs-fuse: cannot start ${binary}: ${spawnFailed.message}`);
    if (exited(child)) {
      await stderrDrained(child);
      throw new Error(`efs-fuse: daemon exited (${child.exitCode ?? child.signalCode}) before mounting ${target}: ${stderr.trim()}`);
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      await unmountEfsFuse(target).catch(() => undefined);
      throw new Error(`efs-fuse: ${target} was not mounted within ${options.timeoutMs ?? 10_000} ms: ${stderr.trim()}`);
    }
    await sleep(POLL_MS);
  }

  let stopping = false;
  child.once("exit", (code, signal) => {
    if (stopping) return;
    log.warn("daemon died; detaching its mount", { target, code, signal, stderr: stderr.trim() });
    unmountEfsFuse(target).catch((err) => log.error("cannot detach dead mount", { target, err }));
  });
  // The caller's event loop must not be held open by the daemon or its stderr pipe.
  child.unref();
  (child.stderr as unknown as { unref?: () => void } | null)?.unref?.();
  const pid = child.pid ?? -1;
  log.info("mounted", { target, pid, fsName: options.fsName, accessPoint: options.uid !== undefined });

  return {
    pid,
    target,
    stats: () => readIoCounters(statsFile),
    unmount: async () => {
      stopping = true;
      if (!exited(child)) {
        child.kill("SIGTERM");
        if (!(await waitForExit(child, 10_000))) {
          log.warn("daemon ignored SIGTERM; killing it", { target, pid });
          child.kill("SIGKILL");
          await waitForExit(child, 5_000);
        }
      }
      await unmountEfsFuse(target);
      if (ownStats) rmSync(statsFile, { force: true });
    },
  };
}
