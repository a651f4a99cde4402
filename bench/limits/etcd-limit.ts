/**
 * A local three-member etcd (scripts/etcd-cluster.sh: loopback, fsync on, as a real cluster) and
 * its own put rate — the limit for Cistern on etcd: 1 KiB puts, 64 in flight, through etcd's gRPC
 * API with the etcd3 client (the client Cistern's backend uses), spread over all members.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { Etcd3 } from "etcd3";
import { closedLoop } from "../core/load.js";

const run = promisify(execFile);

export interface EtcdCluster {
  /** etcd://host:port,… as openBackend takes it. */
  storeUrl: string;
  endpoints: string[];
  stop(): Promise<void>;
}

/** Starts three members on ports base..base+5 (a random base unless given); throws when etcd is missing. */
export async function startEtcdCluster(script: string, members: 1 | 3 = 3, basePort?: number): Promise<EtcdCluster> {
  const dir = mkdtempSync(join(tmpdir(), "cistern-bench-etcd-"));
  const base = basePort ?? 31000 + 10 * Math.floor(Math.random() * 800);
  try {
    const { stdout } = await run("bash", [script, members === 3 ? "start" : "start1", dir, String(base)], { timeout: 60_000 });
    const storeUrl = stdout.trim().split("\n").pop() ?? "";
    if (!storeUrl.startsWith("etcd://")) throw new Error(`etcd-cluster.sh printed no store URL: ${stdout}`);
    const endpoints = storeUrl.slice("etcd://".length).split("?")[0].split(",").map((h) => `http://${h}`);
    return {
      storeUrl,
      endpoints,
      async stop() {
        await run("bash", [script, "stop", dir], { timeout: 60_000 }).catch(() => {});
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await run("bash", [script, "stop", dir], { timeout: 60_000 }).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/** Puts/s and per-put latency with `concurrency` in flight for `count` puts. */
export async function measureEtcdPutRate(endpoints: string[], count: number, concurrency = 64): Promise<{ perSecond: number; latencies: number[] }> {
  const client = new Etcd3({ hosts: endpoints });
  try {
    const value = Buffer.alloc(1024, 0x61);
    await client.put("/bench-limit/warm").value(value);
    const r = await closedLoop(count, concurrency, async (i) => {
      await client.put(`/bench-limit/k${i}`).value(value);
    });
    await client.delete().prefix("/bench-limit/");
    return { perSecond: r.perSecond, latencies: r.latencies };
  } finally {
    client.close();
  }
}
