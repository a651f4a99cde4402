/**
 * The same calls without the helper: this process forks for each (the cost the helper exists to avoid, paid only
 * when the helper cannot run). Arguments are vectors; mount(8) and umount(8) are found in the usual directories.
 */
import { execFile, spawn } from "node:child_process";
import * as fs from "node:fs";
import { MountCallError, SpawnError } from "./errors.js";
import { mountArgv, umountArgv, type MountOp } from "./mount-ops.js";
import type { DetachedResult, DetachedStart, RunOptions, RunResult } from "./types.js";

const MAX_STDOUT = 8 << 20;

function tool(name: "mount" | "umount"): string {
  for (const dir of ["/usr/bin", "/bin", "/usr/sbin", "/sbin"]) {
    const p = `${dir}/${name}`;
    if (fs.existsSync(p)) return p;
  }
  return name;
}

/**
 * The file execve(2) would run for `file` (PATH searched for a bare name), refused unless it starts as an ELF binary
 * or a "#!" script: libuv execs with execvp, which hands any other file to /bin/sh — a shell this module never runs.
 */
function executable(file: string): string {
  const candidates = file.includes("/") ? [file] : (process.env.PATH || "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin").split(":").filter(Boolean).map((d) => `${d}/${file}`);
  let sawAccess = false;
  for (const c of candidates) {
    let fd: number;
    try {
      fs.accessSync(c, fs.constants.X_OK);
      fd = fs.openSync(c, "r");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EACCES") sawAccess = true;
      continue;
    }
    const head = Buffer.alloc(4);
    try {
      fs.readSync(fd, head, 0, 4, 0);
    } finally {
      fs.closeSync(fd);
    }
    if (head.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46])) || head.subarray(0, 2).toString("latin1") === "#!") return c;
    throw new SpawnError(`spawn ${c} ENOEXEC: not an ELF binary or a #! script`, { failure: "start", code: "ENOEXEC" });
  }
  const code = sawAccess ? "EACCES" : "ENOENT";
  throw new SpawnError(`spawn ${file} ${code}`, { failure: "start", code });
}

export function runDirect(file: string, args: string[], o: Required<Pick<RunOptions, "timeoutMs">>): Promise<RunResult> {
  let resolved: string;
  try {
    resolved = executable(file);
  } catch (e) {
    return Promise.reject(e as Error);
  }
  return new Promise((resolve, reject) => {
    execFile(resolved, args, { timeout: o.timeoutMs, killSignal: "SIGKILL", maxBuffer: MAX_STDOUT, encoding: "utf8" }, (err, stdout, stderr) => {
      if (!err) return resolve({ stdout, stderr });
      const e = err as NodeJS.ErrnoException & { code?: number | string; killed?: boolean; signal?: string | null };
      const cmd = [file, ...args].join(" ");
      if (typeof e.code === "string" && e.code !== "ERR_CHILD_PROCESS_STDIO_MAXBUFFER") {
        return reject(new SpawnError(`spawn ${file} ${e.code}: ${e.message}`, { failure: "start", code: e.code, stdout, stderr }));
      }
      if (e.code === "ERR_CHILD_PROCESS_STDIO_MAXBUFFER") return reject(new SpawnError(`output of ${cmd} exceeded ${MAX_STDOUT} bytes; the process was killed`, { failure: "overflow", stdout, stderr }));
      if (e.killed && e.signal === "SIGKILL") return reject(new SpawnError(`${cmd} did not finish within ${o.timeoutMs} ms; killed`, { failure: "timeout", signal: "SIGKILL", stdout, stderr }));
      reject(new SpawnError(`Command failed: ${cmd}\n${stderr}`, { failure: "exit", code: typeof e.code === "number" ? e.code : undefined, signal: e.signal ?? undefined, stdout, stderr }));
    });
  });
}

export async function startDetachedDirect(o: DetachedStart): Promise<DetachedResult> {
  const file = executable(o.file);
  let log: number;
  try {
    log = fs.openSync(o.stderrPath, fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT | fs.constants.O_NOFOLLOW, 0o600);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new SpawnError(`open ${o.stderrPath}: ${(e as Error).message}`, { failure: "start", code });
  }
  let child;
  try {
    child = spawn(file, o.args, { detached: true, stdio: ["ignore", "ignore", log, "pipe"] });
  } finally {
    fs.closeSync(log);
  }
  const sync = child.stdio[3] as NodeJS.ReadableStream;
  sync.setEncoding("utf8");
  let text = "";
  let timedOut = false;
  let startError: Error | undefined;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid) {
        for (const target of [-child.pid, child.pid]) {
          try {
            process.kill(target, "SIGKILL");
          } catch {
            // already gone
          }
        }
      }
      resolve();
    }, o.timeoutMs);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    sync.on("data", (c: string) => (text += c));
    sync.on("end", done);
    sync.on("error", done);
    child.on("error", (e) => {
      startError = e;
      done();
    });
  });
  child.unref();
  if (startError) {
    const code = (startError as NodeJS.ErrnoException).code;
    throw new SpawnError(`spawn ${o.file} ${code ?? ""}: ${startError.message}`, { failure: "start", code });
  }
  return { pid: child.pid ?? 0, text, timedOut };
}

export async function mountDirect(target: string, ops: MountOp[]): Promise<void> {
  for (const [i, m] of ops.entries()) {
    const args = mountArgv(m, target);
    try {
      await runDirect(tool("mount"), args, { timeoutMs: 30_000 });
    } catch (e) {
      const why = e instanceof SpawnError ? e.stderr.trim() || e.message : String(e);
      throw new MountCallError(`mount step ${i + 1} (mount ${args.join(" ")}): ${why}`, undefined, i + 1);
    }
  }
}

export async function unmountDirect(target: string, lazy: boolean): Promise<void> {
  const args = umountArgv(target, lazy);
  try {
    await runDirect(tool("umount"), args, { timeoutMs: 30_000 });
  } catch (e) {
    const why = e instanceof SpawnError ? e.stderr.trim() || e.message : String(e);
    throw new MountCallError(`umount ${args.join(" ")}: ${why}`, undefined, 1);
  }
}
