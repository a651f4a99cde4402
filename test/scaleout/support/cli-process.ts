/**
 * `cistern <command>` as a real child process, run from the sources (node --import tsx
 * src/cli/main.ts, so no build is needed), optionally inside a network namespace. That goes through
 * `nsenter --net` rather than `ip netns exec`: the latter also gives the command a mount namespace
 * with a fresh /sys, which hides the cgroup file system runc needs. nsenter execs the command, so
 * the child's pid is the command's own. Output is kept (bounded) for diagnostics; start() resolves
 * once a line matches `ready`.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";

export const REPO = resolve(import.meta.dirname, "../../..");
export const MAIN = resolve(REPO, "src/cli/main.ts");

export interface CliProcess {
  name: string;
  child: ChildProcess;
  pid: number;
  /** The first match of `ready` in the output. */
  ready: RegExpExecArray;
  output(): string;
  exited: Promise<number | null>;
  alive(): boolean;
  /** SIGKILL and wait. */
  kill9(): Promise<void>;
  /** SIGTERM and wait (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
}

export interface CliOptions {
  name: string;
  ready: RegExp;
  env?: Record<string, string>;
  netns?: string;
  timeoutMs?: number;
}

export async function startCli(args: string[], o: CliOptions): Promise<CliProcess> {
  const nodeArgs = ["--import", "tsx", MAIN, ...args];
  const [cmd, argv] = o.netns ? ["nsenter", [`--net=/run/netns/${o.netns}`, "--", process.execPath, ...nodeArgs]] : [process.execPath, nodeArgs];
  const child = spawn(cmd, argv, {
    cwd: REPO,
    env: { ...process.env, CISTERN_LOG: process.env.CISTERN_LOG ?? "warn", ...o.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const append = (d: Buffer) => (out = (out + d.toString()).slice(-400_000));
  child.stdout!.on("data", append);
  child.stderr!.on("data", append);
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  const ready = await new Promise<RegExpExecArray>((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`${o.name} did not become ready:\n${out.slice(-5000)}`)), o.timeoutMs ?? 90_000);
    const check = () => {
      const m = o.ready.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout!.off("data", check);
      resolveReady(m);
    };
    child.stdout!.on("data", check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${o.name} exited with ${code} before it was ready:\n${out.slice(-5000)}`));
    });
  });
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    name: o.name,
    child,
    pid: child.pid!,
    ready,
    output: () => out,
    exited,
    alive,
    async kill9() {
      if (alive()) child.kill("SIGKILL");
      await exited;
    },
    async stop(graceMs = 20_000) {
      if (!alive()) return;
      child.kill("SIGTERM");
      const t = setTimeout(() => alive() && child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(t);
    },
  };
}
