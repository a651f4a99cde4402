/**
 * Runs `cistern up` as a real child process for end-to-end tests, and real kubectl against it
 * with a fresh HOME (kubectl caches discovery per HOME).
 */
import { spawn, execFile, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const REPO = resolve(new URL("../../..", import.meta.url).pathname);
export const CISTERN_BIN = join(REPO, "bin", "cistern.js");
export const KUBECTL = process.env.CISTERN_TEST_KUBECTL ?? "/usr/bin/kubectl";

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CisternProcess {
  dataDir: string;
  home: string;
  url: string;
  kubeconfig: string;
  child: ChildProcess;
  output(): string;
  kubectl(args: string[], opts?: { input?: string; env?: Record<string, string>; timeoutMs?: number }): Promise<RunResult>;
  /** SIGTERM and wait. */
  stop(): Promise<void>;
  /** SIGKILL and wait (crash). */
  kill9(): Promise<void>;
  /** Remove the temp dirs (after stop). */
  cleanup(): void;
}

export function run(cmd: string, args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string } = {}): Promise<RunResult> {
  return new Promise((resolvePromise) => {
    const child = execFile(cmd, args, { env: opts.env, timeout: opts.timeoutMs ?? 60_000, maxBuffer: 64 * 1024 * 1024, cwd: opts.cwd }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === "number" ? (err as { code: number }).code : 1) : 0;
      resolvePromise({ code, stdout: String(stdout), stderr: String(stderr) });
    });
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

export async function startCistern(opts: { dataDir?: string; home?: string; extraArgs?: string[]; env?: Record<string, string> } = {}): Promise<CisternProcess> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), "cistern-e2e-"));
  const home = opts.home ?? mkdtempSync(join(tmpdir(), "cistern-home-"));
  const child = spawn(process.execPath, [CISTERN_BIN, "up", "--data-dir", dataDir, "--api-port", "0", "--efs-port", "0", "--file-system-id", "fs-12345678", ...(opts.extraArgs ?? [])], {
    env: { ...process.env, HOME: home, ...opts.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`cistern did not become ready:\n${out}`)), 120_000);
    const check = () => {
      const m = /Cistern is ready at (https:\/\/\S+?): source/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]);
      }
    };
    child.stdout!.on("data", check);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`cistern exited with ${code}:\n${out}`));
    });
  });
  const kubeconfig = join(dataDir, "kubeconfig");
  const waitExit = () => new Promise<void>((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once("exit", () => r())));
  return {
    dataDir, home, url, kubeconfig, child,
    output: () => out,
    kubectl: (args, o = {}) => run(KUBECTL, args, {
      input: o.input,
      timeoutMs: o.timeoutMs,
      env: { PATH: process.env.PATH, HOME: home, KUBECONFIG: kubeconfig, ...o.env },
    }),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await waitExit();
    },
    async kill9() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await waitExit();
    },
    cleanup() {
      rmSync(home, { recursive: true, force: true });
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function readKubeconfigToken(dataDir: string): string {
  return readFileSync(join(dataDir, "pki", "admin.token"), "utf8").trim();
}
