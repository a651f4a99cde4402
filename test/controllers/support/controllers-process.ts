/** Runs the controllers in a child process (for kill -9 tests). */
import { spawn, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";

const ENTRY = resolve(new URL(".", import.meta.url).pathname, "run-controllers.ts");

export interface ControllersProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves when the process has exited (by itself or killed). */
  exited: Promise<number | null>;
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

export async function startControllersProcess(kubeconfig: string, opts: { workers?: number; resyncMs?: number; failpoints?: string } = {}): Promise<ControllersProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", ENTRY, kubeconfig, String(opts.workers ?? 16), String(opts.resyncMs ?? 2000)], {
    env: { ...process.env, CISTERN_FAILPOINTS: opts.failpoints ?? "", CISTERN_LOG: "warn" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out = (out + d).slice(-200_000)));
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  await new Promise<void>((ready, fail) => {
    const check = () => out.includes("controllers ready") && ready();
    child.stdout!.on("data", check);
    // A failpoint may end the process before it reports ready: that is a (very early) crash, fine.
    void exited.then(() => ready());
    setTimeout(() => fail(new Error(`controllers did not start:\n${out}`)), 60_000).unref();
  });
  return {
    child,
    output: () => out,
    exited,
    async kill9() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
