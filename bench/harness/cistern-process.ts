/**
 * Runs Cistern the way a user does: the built `cistern` CLI as child processes (`up`, or
 * `apiserver` / `efs` / `controllers` alone), each with a fresh data dir on the machine's disk.
 * The bench talks to them only over their published protocols, and reads their RSS and CPU
 * time from /proc, so load generator and server never share a heap or an event loop.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ApiClient } from "./api-client.js";

/** The checkout: the nearest directory above this file with bin/cistern.js (works from dist/ and from source). */
export const REPO = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "bin", "cistern.js"))) {
    const up = dirname(dir);
    if (up === dir) throw new Error("bench: cannot find the checkout (bin/cistern.js) above " + fileURLToPath(import.meta.url));
    dir = up;
  }
  return dir;
})();
const CISTERN = join(REPO, "bin", "cistern.js");

export interface CisternProcess {
  child: ChildProcess;
  pid: number;
  /** Everything the process wrote (stdout and stderr), last 1 MB. */
  output(): string;
  /** Resident set size now, bytes. */
  rssBytes(): number;
  /** Peak resident set size, bytes. */
  peakRssBytes(): number;
  /** CPU time used so far (user + system, with exited children), ms. */
  cpuMs(): number;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  /** A Node script to run instead of the `cistern` CLI. */
  script?: string;
  args: string[];
  /** A line matching this on stdout means ready; its first group is returned. */
  ready: RegExp;
  env?: Record<string, string>;
  timeoutMs?: number;
  /** Extra node flags (e.g. --cpu-prof when profiling). */
  nodeFlags?: string[];
}

export function procStatusKiB(pid: number, field: "VmRSS" | "VmHWM"): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) : 0;
}

/** CPU time of a process and of its children that have exited (runc, shims, dd…), ms. */
export function procCpuMs(pid: number): number {
  // Fields after the ")" of the command name start at field 3 (state); utime, stime, cutime and
  // cstime are fields 14 to 17.
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(rest[11]) + Number(rest[12]) + Number(rest[13]) + Number(rest[14]);
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

/** Starts `cistern <args>` and resolves once its ready line appears (rejects if it exits first). */
export async function spawnCistern(o: SpawnOptions): Promise<{ proc: CisternProcess; match: RegExpExecArray }> {
  const profFlags = process.env.CISTERN_BENCH_PROF_DIR ? ["--cpu-prof", `--cpu-prof-dir=${process.env.CISTERN_BENCH_PROF_DIR}`] : [];
  const child = spawn(process.execPath, [...profFlags, ...(o.nodeFlags ?? []), o.script ?? CISTERN, ...o.args], {
    env: { ...process.env, CISTERN_LOG: process.env.CISTERN_BENCH_LOG ?? "warn", ...o.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const append = (d: Buffer) => {
    out += d.toString();
    if (out.length > 2_000_000) out = out.slice(-1_000_000);
  };
  child.stdout!.on("data", append);
  child.stderr!.on("data", append);
  if (process.env.CISTERN_BENCH_VERBOSE) child.stderr!.pipe(process.stderr);
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const match = await new Promise<RegExpExecArray>((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`cistern ${o.args[0]} not ready after ${(o.timeoutMs ?? 60_000) / 1000} s:\n${out.slice(-4000)}`)), o.timeoutMs ?? 60_000);
    const check = () => {
      const m = o.ready.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveReady(m);
      }
    };
    child.stdout!.on("data", check);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`cistern ${o.args[0]} exited with ${child.exitCode ?? child.signalCode}:\n${out.slice(-4000)}`));
    });
  });
  const pid = child.pid!;
  const proc: CisternProcess = {
    child,
    pid,
    output: () => out,
    rssBytes: () => procStatusKiB(pid, "VmRSS") * 1024,
    peakRssBytes: () => procStatusKiB(pid, "VmHWM") * 1024,
    cpuMs: () => procCpuMs(pid),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(killer);
    },
  };
  return { proc, match };
}

export interface Endpoint {
  url: string;
  token: string;
  caPem: string;
  kubeconfig: string;
}

export interface RunningApiServer extends Endpoint {
  dataDir: string;
  /** The process serving the API (for RSS). */
  proc: CisternProcess;
  /** CPU time used so far by every process of this deployment, ms. */
  cpuMs(): number;
  client(maxSockets?: number): ApiClient;
  stop(): Promise<void>;
}

function endpointOf(dataDir: string, url: string): Endpoint {
  return {
    url,
    token: readFileSync(join(dataDir, "pki", "admin.token"), "utf8").trim(),
    caPem: readFileSync(join(dataDir, "pki", "ca.crt"), "utf8"),
    kubeconfig: join(dataDir, "kubeconfig"),
  };
}

export function freshDataDir(tag: string): string {
  return mkdtempSync(join(tmpdir(), `cistern-bench-${tag}-`));
}

/** `cistern apiserver` alone on `store` (default: SQLite in a fresh data dir). */
export async function startApiServerProcess(o: { store?: string; tag?: string; nodeFlags?: string[] } = {}): Promise<RunningApiServer> {
  const dataDir = freshDataDir(o.tag ?? "api");
  const args = ["apiserver", "--data-dir", dataDir, "--port", "0", "--kubeconfig-out", join(dataDir, "kubeconfig")];
  if (o.store) args.push("--store", o.store);
  const { proc, match } = await spawnCistern({ args, ready: /API server ready at (https:\/\/\S+)/, nodeFlags: o.nodeFlags });
  const ep = endpointOf(dataDir, match[1]);
  const clients: ApiClient[] = [];
  return {
    ...ep,
    dataDir,
    proc,
    cpuMs: () => proc.cpuMs(),
    client(maxSockets) {
      const c = new ApiClient({ url: ep.url, token: ep.token, caPem: ep.caPem, maxSockets });
      clients.push(c);
      return c;
    },
    async stop() {
      for (const c of clients) c.close();
      await proc.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface RunningCistern extends RunningApiServer {
  efs: { url: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string } };
}

/** `cistern up` (API server, EFS service, controllers, provisioner, and node agents once they exist). */
export async function startCisternUp(o: { fileSystemIds?: string[]; extraArgs?: string[]; tag?: string; nodeFlags?: string[] } = {}): Promise<RunningCistern> {
  const dataDir = freshDataDir(o.tag ?? "up");
  const args = ["up", "--data-dir", dataDir, "--api-port", "0", "--efs-port", "0", ...(o.fileSystemIds ?? []).flatMap((id) => ["--file-system-id", id]), ...(o.extraArgs ?? [])];
  const { proc, match } = await spawnCistern({ args, ready: /Cistern is ready at (https:\/\/\S+?): source/, env: { HOME: dataDir }, timeoutMs: 120_000, nodeFlags: o.nodeFlags });
  const ep = endpointOf(dataDir, match[1]);
  const endpoints = JSON.parse(readFileSync(join(dataDir, "endpoints.json"), "utf8")) as { efs: string; region: string };
  const credentials = JSON.parse(readFileSync(join(dataDir, "efs", "credentials.json"), "utf8")) as { accessKeyId: string; secretAccessKey: string };
  const clients: ApiClient[] = [];
  return {
    ...ep,
    dataDir,
    proc,
    cpuMs: () => proc.cpuMs(),
    efs: { url: endpoints.efs, region: endpoints.region, credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey } },
    client(maxSockets) {
      const c = new ApiClient({ url: ep.url, token: ep.token, caPem: ep.caPem, maxSockets });
      clients.push(c);
      return c;
    },
    async stop() {
      for (const c of clients) c.close();
      await proc.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The same components as `cistern up`, each in its own process (`cistern apiserver`, `cistern efs`,
 * `cistern controllers`), sharing one data dir: the deployment that lets the API server and the
 * controllers use separate cores.
 */
export async function startSplitCluster(o: { fileSystemIds?: string[]; tag?: string; store?: string } = {}): Promise<RunningCistern> {
  const dataDir = freshDataDir(o.tag ?? "split");
  const procs: CisternProcess[] = [];
  try {
    const apiArgs = ["apiserver", "--data-dir", dataDir, "--port", "0", "--kubeconfig-out", join(dataDir, "kubeconfig")];
    if (o.store) apiArgs.push("--store", o.store);
    const api = await spawnCistern({ args: apiArgs, ready: /API server ready at (https:\/\/\S+)/ });
    procs.push(api.proc);
    const efs = await spawnCistern({
      args: ["efs", "--data-dir", dataDir, "--port", "0", ...(o.fileSystemIds ?? []).flatMap((id) => ["--file-system-id", id])],
      ready: /EFS service ready at (https:\/\/\S+) \(region (\S+);/,
    });
    procs.push(efs.proc);
    const efsUrl = efs.match[1].replace("://0.0.0.0:", "://127.0.0.1:");
    const credentials = JSON.parse(readFileSync(join(dataDir, "efs", "credentials.json"), "utf8")) as { accessKeyId: string; secretAccessKey: string };
    const ca = join(dataDir, "pki", "ca.crt");
    const awsEnv = { AWS_ENDPOINT_URL_EFS: efsUrl, AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey, AWS_REGION: efs.match[2], AWS_CA_BUNDLE: ca };
    const ctl = await spawnCistern({
      args: ["controllers", "--kubeconfig", join(dataDir, "kubeconfig"), "--data-dir", dataDir, "--efs-data-root", join(dataDir, "efs", "fs")],
      ready: /controllers running/,
      env: awsEnv,
    });
    procs.push(ctl.proc);
    const ep = endpointOf(dataDir, api.match[1]);
    const clients: ApiClient[] = [];
    return {
      ...ep,
      dataDir,
      proc: api.proc,
      cpuMs: () => procs.reduce((sum, p) => sum + p.cpuMs(), 0),
      efs: { url: efsUrl, region: efs.match[2], credentials },
      client(maxSockets) {
        const c = new ApiClient({ url: ep.url, token: ep.token, caPem: ep.caPem, maxSockets });
        clients.push(c);
        return c;
      },
      async stop() {
        for (const c of clients) c.close();
        for (const p of procs.reverse()) await p.stop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    for (const p of procs.reverse()) await p.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
}
