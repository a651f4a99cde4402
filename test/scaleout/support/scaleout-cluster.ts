/**
 * A scaled-out Cistern from real processes: a real etcd cluster (test/etcd/support.ts), several
 * `cistern apiserver` processes sharing one data dir (one PKI, one admin token) and one
 * --kubeconfig-out (which then lists every server), `cistern efs`, and leader-elected
 * `cistern controllers` processes with the EFS service in their AWS_* environment.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient, loadKubeconfig, type KubeClient } from "../../../src/client/index.js";
import { startEtcdCluster, type EtcdTestCluster } from "../../etcd/support.js";
import { startCli, type CliProcess } from "./cli-process.js";

export interface ScaleoutCluster {
  dir: string;
  dataDir: string;
  etcd: EtcdTestCluster;
  /** The kubeconfig every API server added itself to. */
  kubeconfig: string;
  apiservers: CliProcess[];
  /** The URL of API server i. */
  url(i: number): string;
  /** A client failing over between every API server (the kubeconfig's list). */
  client(userAgent?: string): KubeClient;
  /** A client of API server i alone. */
  clientOf(i: number, userAgent?: string): KubeClient;
  /** Start API server i again (same port) after it was killed. */
  restartApiserver(i: number): Promise<CliProcess>;
  efsEnv: Record<string, string>;
  controllers: CliProcess[];
  startControllers(identity: string, extraArgs?: string[]): Promise<CliProcess>;
  stop(): Promise<void>;
}

const READY_API = /API server ready at (https:\/\/\S+)/;

export async function startScaleoutCluster(o: { members: 1 | 3; apiservers: number; efs?: boolean }): Promise<ScaleoutCluster> {
  const dir = mkdtempSync(join(tmpdir(), "cistern-scaleout-"));
  const dataDir = join(dir, "data");
  const kubeconfig = join(dir, "kubeconfig");
  const etcd = await startEtcdCluster(o.members);
  const clients: KubeClient[] = [];
  const controllers: CliProcess[] = [];
  const apiservers: CliProcess[] = [];
  const urls: string[] = [];
  const startApiserver = (i: number, port: number) =>
    startCli(["apiserver", "--data-dir", dataDir, "--store", etcd.url, "--port", String(port), "--kubeconfig-out", kubeconfig], { name: `apiserver-${i}`, ready: READY_API });
  let efs: CliProcess | undefined;
  const cluster: ScaleoutCluster = {
    dir,
    dataDir,
    etcd,
    kubeconfig,
    apiservers,
    url: (i) => urls[i],
    client(userAgent = "scaleout-test") {
      const c = createClient({ ...loadKubeconfig(kubeconfig), userAgent, fieldManager: "scaleout-test", timeoutMs: 15_000 });
      clients.push(c);
      return c;
    },
    clientOf(i, userAgent = "scaleout-test") {
      const c = createClient({ ...loadKubeconfig(kubeconfig), servers: undefined, server: urls[i], userAgent, fieldManager: "scaleout-test", timeoutMs: 15_000 });
      clients.push(c);
      return c;
    },
    async restartApiserver(i) {
      apiservers[i] = await startApiserver(i, Number(new URL(urls[i]).port));
      return apiservers[i];
    },
    efsEnv: {},
    controllers,
    async startControllers(identity, extraArgs = []) {
      const p = await startCli(["controllers", "--kubeconfig", kubeconfig, "--data-dir", join(dir, `controllers-${identity}`), "--leader-elect-identity", identity, "--workers", "16", ...extraArgs], {
        name: `controllers ${identity}`,
        ready: /controllers running/,
        env: cluster.efsEnv,
      });
      controllers.push(p);
      return p;
    },
    async stop() {
      for (const c of clients) c.close();
      await Promise.allSettled(controllers.map((p) => p.stop()));
      await efs?.stop();
      await Promise.allSettled(apiservers.map((p) => p.stop()));
      await etcd.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    // The first creates the PKI and the admin token the others then share.
    apiservers.push(await startApiserver(0, 0));
    const rest = await Promise.all(Array.from({ length: o.apiservers - 1 }, (_, i) => startApiserver(i + 1, 0)));
    apiservers.push(...rest);
    urls.push(...apiservers.map((p) => p.ready[1]));
    if (o.efs ?? true) {
      efs = await startCli(["efs", "--data-dir", dataDir, "--port", "0"], { name: "efs", ready: /EFS service ready at (https:\/\/\S+) \(region (\S+);/ });
      const creds = JSON.parse(readFileSync(join(dataDir, "efs", "credentials.json"), "utf8")) as { accessKeyId: string; secretAccessKey: string };
      Object.assign(cluster.efsEnv, {
        AWS_ENDPOINT_URL_EFS: efs.ready[1],
        AWS_REGION: efs.ready[2],
        AWS_ACCESS_KEY_ID: creds.accessKeyId,
        AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
        AWS_CA_BUNDLE: join(dataDir, "pki", "ca.crt"),
      });
    }
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  return cluster;
}

/** Polls `fn` until it returns a value (not undefined); fails after `ms` with the last error seen. */
export async function eventually<T>(fn: () => Promise<T | undefined> | T | undefined, what: string, ms = 60_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
