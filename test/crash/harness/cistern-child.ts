/**
 * One incarnation of `cistern up` as a child process on a data directory that outlives it.
 *
 * By default it runs the checkout's sources through tsx (what is being tested is what is in the
 * tree, never a stale dist/); CISTERN_CRASH_ENTRY=dist runs bin/cistern.js instead. A failpoint
 * spec may make the child exit by itself before it ever reports ready: that is a crash like any
 * other, reported as `exitedEarly`, not an error.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

export const REPO = resolve(new URL("../../..", import.meta.url).pathname);
export const FILE_SYSTEM_ID = "fs-12345678";

export interface Endpoints {
  api: string;
  efs: string;
  region: string;
  token: string;
  caPem: string;
  efsCredentials: { accessKeyId: string; secretAccessKey: string };
}

export interface Incarnation {
  pid: number;
  /** Undefined when the child died before it was ready (a failpoint during start-up). */
  endpoints?: Endpoints;
  exitedEarly: boolean;
  /** Resolves with how the child ended (exit code or signal name). */
  exited: Promise<string>;
  output(): string;
  kill9(): Promise<string>;
  /** SIGTERM: an orderly stop (the last incarnation, so that its mounts and files are released). */
  stop(): Promise<string>;
}

function command(dataDir: string): { file: string; args: string[] } {
  const upArgs = ["up", "--data-dir", dataDir, "--api-port", "0", "--efs-port", "0", "--file-system-id", FILE_SYSTEM_ID];
  if (process.env.CISTERN_CRASH_ENTRY === "dist") return { file: process.execPath, args: [join(REPO, "bin", "cistern.js"), ...upArgs] };
  return { file: process.execPath, args: ["--import", "tsx", join(REPO, "src", "cli", "main.ts"), ...upArgs] };
}

function readEndpoints(dataDir: string, apiUrl: string): Endpoints {
  const recorded = JSON.parse(readFileSync(join(dataDir, "endpoints.json"), "utf8")) as { efs: string; region: string };
  const creds = JSON.parse(readFileSync(join(dataDir, "efs", "credentials.json"), "utf8")) as { accessKeyId: string; secretAccessKey: string };
  return {
    api: apiUrl,
    efs: recorded.efs,
    region: recorded.region,
    token: readFileSync(join(dataDir, "pki", "admin.token"), "utf8").trim(),
    caPem: readFileSync(join(dataDir, "pki", "ca.crt"), "utf8"),
    efsCredentials: { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey },
  };
}

export async function startIncarnation(dataDir: string, failpoints: string | undefined, readyTimeoutMs = 120_000): Promise<Incarnation> {
  const { file, args } = command(dataDir);
  const child: ChildProcess = spawn(file, args, {
    cwd: REPO,
    env: { ...process.env, CISTERN_FAILPOINTS: failpoints ?? "", CISTERN_LOG: process.env.CISTERN_CRASH_LOG ?? "warn", HOME: dataDir },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const keep = (d: Buffer) => (out = (out + d.toString()).slice(-400_000));
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exited = new Promise<string>((r) => child.once("exit", (code, signal) => r(signal ?? `exit ${code}`)));
  let done = false;
  void exited.then(() => (done = true));

  const ready = await new Promise<string | undefined>((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`cistern did not become ready in ${readyTimeoutMs} ms:\n${out.slice(-5000)}`)), readyTimeoutMs);
    const check = () => {
      const m = /Cistern is ready at (https:\/\/\S+?): source/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveReady(m[1]);
      }
    };
    child.stdout!.on("data", check);
    void exited.then(() => {
      clearTimeout(timer);
      resolveReady(undefined);
    });
  });
  const endpoints = ready && existsSync(join(dataDir, "endpoints.json")) ? readEndpoints(dataDir, ready) : undefined;
  const signal = async (sig: NodeJS.Signals) => {
    if (!done) child.kill(sig);
    return exited;
  };
  return {
    pid: child.pid ?? -1,
    endpoints,
    exitedEarly: ready === undefined,
    exited,
    output: () => out,
    kill9: () => signal("SIGKILL"),
    stop: () => signal("SIGTERM"),
  };
}
