/**
 * exec: run another process in a running container (kubectl exec). The process inherits the container's user,
 * environment, working directory and capabilities. Without a tty, `runc exec` runs in the foreground with our pipes
 * as its stdio and exits with the process's status. With a tty, cistern-shim exec-tty receives the pty master over a
 * console socket, proxies it to its stdin/stdout and applies window sizes written to its fd 3.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Readable, Writable } from "node:stream";
import { mergeEnv } from "./container-process.js";
import { checkContainerPath } from "./container-spec.js";
import type { ContainerRecord } from "./container-store.js";
import { RuntimeError } from "./errors.js";
import type { OciProcess } from "./oci-spec.js";

export interface ExecOptions {
  argv: string[];
  tty?: boolean;
  /** Give the process a stdin stream (otherwise it reads /dev/null, or nothing on a tty). */
  stdin?: boolean;
  env?: { name: string; value: string }[];
  cwd?: string;
  cols?: number;
  rows?: number;
}

export interface ExecProcess {
  stdin: Writable | null;
  /** With a tty: the terminal's output (stdout and stderr together). */
  stdout: Readable;
  /** Without a tty: the process's stderr. With a tty: only the helper's own error messages. */
  stderr: Readable;
  /** Set the terminal size (no-op without a tty). */
  resize(cols: number, rows: number): void;
  /** Signal the exec (forwarded to the process by runc when there is no tty). */
  kill(signal?: NodeJS.Signals): void;
  /** The process's exit code (128+signal if killed by a signal; 255 if the exec could not start). */
  exitCode: Promise<number>;
}

export interface ExecContext {
  record: ContainerRecord;
  containerDir: string;
  runcPath: string;
  runcRoot: string;
  shimPath: string;
}

function execProcess(base: OciProcess, o: ExecOptions, hostname: string): OciProcess {
  if (!Array.isArray(o.argv) || o.argv.length === 0 || o.argv.some((a) => typeof a !== "string" || a.includes("\0"))) {
    throw new RuntimeError("InvalidSpec", "exec needs a non-empty argv of strings without NUL bytes");
  }
  const env = o.env?.length ? mergeEnv(base.env, o.env, hostname) : base.env;
  const cwd = o.cwd ? checkContainerPath(o.cwd, "exec working directory") : base.cwd;
  return { ...base, terminal: !!o.tty, args: o.argv, env, cwd };
}

function exitOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    child.once("error", () => resolve(255));
    child.once("exit", (code, signal) => resolve(code ?? (signal ? 128 + (os.constants.signals[signal] ?? 0) : 255)));
  });
}

export function startExec(ctx: ExecContext, o: ExecOptions): ExecProcess {
  const hostname = ctx.record.pod.name;
  const proc = execProcess(ctx.record.process, o, hostname);
  const execDir = path.join(ctx.containerDir, "exec");
  const token = crypto.randomBytes(8).toString("hex");
  const procFile = path.join(execDir, `${token}.json`);
  fs.mkdirSync(execDir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(procFile, JSON.stringify(proc), { mode: 0o600 });
  const cleanup = () => {
    for (const f of [procFile, path.join(execDir, `${token}.pid`), path.join(execDir, `${token}.sock`)]) fs.rmSync(f, { force: true });
  };

  let child: ChildProcess;
  if (!o.tty) {
    child = spawn(ctx.runcPath, ["--root", ctx.runcRoot, "exec", "--process", procFile, ctx.record.id], {
      stdio: [o.stdin ? "pipe" : "ignore", "pipe", "pipe"],
    });
  } else {
    const args = ["exec-tty", "--id", ctx.record.id, "--runc", ctx.runcPath, "--runc-root", ctx.runcRoot, "--process", procFile];
    // The console socket path is relative to the helper's cwd: sun_path is only 108 bytes long.
    args.push("--socket", `${token}.sock`, "--pid-file", path.join(execDir, `${token}.pid`));
    if (o.cols && o.rows) args.push("--cols", String(o.cols), "--rows", String(o.rows));
    child = spawn(ctx.shimPath, args, { cwd: execDir, stdio: ["pipe", "pipe", "pipe", "pipe"] });
  }
  const exitCode = exitOf(child).finally(cleanup);
  const control = o.tty ? (child.stdio[3] as Writable) : undefined;
  control?.on("error", () => undefined);
  child.stdin?.on("error", () => undefined);
  return {
    stdin: o.stdin || o.tty ? (child.stdin as Writable) : null,
    stdout: child.stdout as Readable,
    stderr: child.stderr as Readable,
    resize(cols, rows) {
      if (!control || !Number.isInteger(cols) || !Number.isInteger(rows) || cols <= 0 || rows <= 0) return;
      control.write(`${cols} ${rows}\n`);
    },
    kill(signal = "SIGTERM") {
      child.kill(signal);
    },
    exitCode,
  };
}
