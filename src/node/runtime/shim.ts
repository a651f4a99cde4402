/**
 * Starting cistern-shim for a container and reading what it records. The shim runs detached (its own session), so
 * it and the container survive the agent; the agent learns the outcome of the start over a pipe (fd 3: "ok <pid>" or
 * "error <text>") and everything after that from state.json, which only the shim writes. The spawner's helper
 * forks it, so starting a container does not fork the agent's process.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { defaultSpawner, isSpawnError } from "../../lib/spawner/index.js";
import { RuntimeError } from "./errors.js";

export interface ShimState {
  version: number;
  id: string;
  status: "created" | "running" | "exited" | "failed";
  pid: number;
  shimPid: number;
  startedAt: string;
  finishedAt: string;
  exitCode: number;
  signal: number;
  error: string;
}

/** The package's dist/native/cistern-shim (built by `npm run build`), found from this file's location. */
export function defaultShimPath(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (fs.existsSync(path.join(dir, "package.json"))) return path.join(dir, "dist", "native", "cistern-shim");
    dir = path.dirname(dir);
  }
  return path.resolve("dist/native/cistern-shim");
}

export function readShimState(containerDir: string): ShimState | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(containerDir, "state.json"), "utf8")) as ShimState;
  } catch {
    return undefined;
  }
}

/** Is `pid` a live cistern-shim for container `id` (guards against pid reuse)? */
export function shimAlive(pid: number, id: string): boolean {
  if (!pid) return false;
  try {
    const argv = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    if (!path.basename(argv[0] ?? "").startsWith("cistern-shim") || argv[1] !== "run" || !argv.includes(id)) return false;
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return !/\) Z /.test(stat); // a zombie has finished
  } catch {
    return false;
  }
}

const START_TIMEOUT_MS = 120_000;

export interface StartShimOptions {
  shimPath: string;
  runcPath: string;
  runcRoot: string;
  id: string;
  containerDir: string;
}

/** Start the container through a new shim. Resolves with the container's host pid; rejects with RuncFailed. */
export async function startShim(o: StartShimOptions): Promise<number> {
  if (!fs.existsSync(o.shimPath)) {
    throw new RuntimeError("ShimMissing", `container shim not found at ${o.shimPath}: run \`npm run build\` (needs gcc)`);
  }
  const d = (f: string) => path.join(o.containerDir, f);
  const args = [
    "run",
    "--id", o.id,
    "--bundle", d("bundle"),
    "--runc", o.runcPath,
    "--runc-root", o.runcRoot,
    "--log", d("container.log"),
    "--state", d("state.json"),
    "--pid-file", d("pid"),
    "--runc-log", d("runc.log"),
    "--sync-fd", "3",
  ];
  // runc normally answers in well under a second; a start stuck this long is abandoned (the shim's process group is
  // killed) and cleaned up by the caller.
  let started;
  try {
    started = await defaultSpawner().startDetached({ file: o.shimPath, args, stderrPath: d("shim.log"), timeoutMs: START_TIMEOUT_MS });
  } catch (e) {
    if (!isSpawnError(e)) throw e;
    throw new RuntimeError("RuncFailed", `container ${o.id}: cannot start the shim: ${e.message}`, { cause: e });
  }
  const { text: answer, timedOut } = started;
  if (timedOut) throw new RuntimeError("RuncFailed", `container ${o.id} did not start within ${START_TIMEOUT_MS / 1000}s`);
  const m = /^ok (\d+)/.exec(answer);
  if (m) return Number(m[1]);
  throw new RuntimeError("RuncFailed", `container ${o.id} failed to start: ${runcError(o.containerDir) || answer.replace(/^error /, "").trim() || shimError(o.containerDir)}`);
}

/** The last error runc logged (runc.log is JSON lines). */
export function runcError(containerDir: string): string {
  let text: string;
  try {
    text = fs.readFileSync(path.join(containerDir, "runc.log"), "utf8");
  } catch {
    return "";
  }
  const lines = text.trim().split("\n").reverse();
  for (const l of lines) {
    try {
      const rec = JSON.parse(l) as { level?: string; msg?: string };
      if (rec.level === "error" && rec.msg) return rec.msg;
    } catch {
      // not JSON: ignore
    }
  }
  return "";
}

function shimError(containerDir: string): string {
  try {
    return fs.readFileSync(path.join(containerDir, "shim.log"), "utf8").trim().split("\n").pop() ?? "shim exited";
  } catch {
    return "shim exited without a word";
  }
}
