/** Test helpers for the efs-fuse suites (not part of the public surface). */
import { execFile } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { efsFuseBuildPath } from "./binary.js";

export const execFileAsync = promisify(execFile);

/**
 * Compiles native/efs-fuse if needed (incremental), so the suites test the current source. Test files
 * run in parallel, so builds are serialised with a lock; another helper failing to compile does not
 * matter as long as efs-fuse itself ends up newer than every one of its sources.
 */
export async function buildDaemon(): Promise<string> {
  const root = join(efsFuseBuildPath(), "..", "..", "..");
  const script = join(root, "scripts", "build-native.mjs");
  let output: string;
  try {
    output = (await execFileAsync("flock", ["/tmp/cistern-efs-fuse-build.lock", process.execPath, script])).stderr;
  } catch (err) {
    output = String((err as { stderr?: string }).stderr ?? err);
  }
  const binary = efsFuseBuildPath();
  const srcDir = join(root, "native", "efs-fuse");
  const built = existsSync(binary) ? statSync(binary).mtimeMs : 0;
  const sources = readdirSync(srcDir).filter((f) => /\.(c|h)$|^build\.json$/.test(f));
  const stale = sources.filter((f) => statSync(join(srcDir, f)).mtimeMs > built);
  if (!existsSync(binary) || stale.length > 0) {
    throw new Error(`efs-fuse was not built (needs Debian libfuse3-dev and fuse3; stale: ${stale.join(", ")}): ${output}`);
  }
  return binary;
}

export interface Sandbox {
  base: string;
  source: string;
  target: string;
  statsFile: string;
  cleanup(): void;
}

/** A world-traversable temporary tree: base/src (served), base/mnt (mount point). */
export function makeSandbox(prefix: string): Sandbox {
  const base = mkdtempSync(`/tmp/efs-fuse-${prefix}-`);
  chmodSync(base, 0o755);
  const source = join(base, "src");
  const target = join(base, "mnt");
  mkdirSync(source, { mode: 0o777 });
  chmodSync(source, 0o777);
  mkdirSync(target, { mode: 0o755 });
  return {
    base,
    source,
    target,
    statsFile: join(base, "stats.json"),
    cleanup: () => rmSync(base, { recursive: true, force: true }),
  };
}

/** Runs a program as another user with no supplementary groups (setpriv, argument vector only). */
export async function runAs(uid: number, gid: number, program: string, args: string[]): Promise<string> {
  const { stdout } = await execFileAsync("setpriv", [`--reuid=${uid}`, `--regid=${gid}`, "--clear-groups", "--", program, ...args]);
  return stdout;
}

/** Error code of a failed call (e.g. "EACCES"), or "ok". */
export function codeOf(fn: () => unknown): string {
  try {
    fn();
    return "ok";
  } catch (err) {
    return (err as NodeJS.ErrnoException).code ?? String(err);
  }
}

/** Polls until check() returns true; throws with the message when it never does. */
export async function eventually(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
