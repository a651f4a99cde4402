/**
 * Real etcd clusters for tests, started with scripts/etcd-cluster.sh in a temporary directory on
 * free loopback ports, and stopped (data removed) by the test's afterAll. Members can be stopped
 * and restarted one at a time to force leader changes. Needs Debian's etcd-server and etcd-client
 * (CI installs them); a missing binary fails the test, it is never skipped.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { Etcd3 } from "etcd3";

const run = promisify(execFile);
const SCRIPT = resolve(import.meta.dirname, "../../scripts/etcd-cluster.sh");

export interface EtcdTestCluster {
  dir: string;
  /** "127.0.0.1:port" per member, member 0 first. */
  endpoints: string[];
  /** etcd://… naming every member. */
  url: string;
  stopMember(index: number): Promise<void>;
  startMember(index: number): Promise<void>;
  /** The index of the member that is leader now, asked of the running members. */
  leaderIndex(): Promise<number>;
  /** Makes member `index` the leader (etcd's MoveLeader, sent to the current leader). */
  moveLeaderTo(index: number): Promise<void>;
  /** How many watchers member `index` serves now (its etcd_debugging_mvcc_watcher_total gauge). */
  watchersOn(index: number): Promise<number>;
  stop(): Promise<void>;
}

async function script(args: string[]): Promise<string> {
  try {
    const { stdout } = await run("bash", [SCRIPT, ...args], { timeout: 90_000 });
    return stdout.trim();
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`etcd-cluster.sh ${args.join(" ")} failed: ${e.message}\n${e.stderr ?? ""}`, { cause: err });
  }
}

function portFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const srv = createServer();
    srv.once("error", () => done(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => done(true)));
  });
}

/** A base port whose 2·members ports are free now (etcd binds them a moment later). */
export async function freeBasePort(members: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + 2 * Math.floor(Math.random() * 15_000);
    const ports = Array.from({ length: 2 * members }, (_, i) => base + i);
    if ((await Promise.all(ports.map(portFree))).every(Boolean)) return base;
  }
  throw new Error("no free loopback ports for an etcd cluster");
}

export async function startEtcdCluster(members: 1 | 3): Promise<EtcdTestCluster> {
  const dir = mkdtempSync(join(tmpdir(), "cistern-etcd-"));
  const clusterDir = join(dir, "cluster");
  let url: string;
  for (let attempt = 0; ; attempt++) {
    try {
      url = await script([members === 3 ? "start" : "start1", clusterDir, String(await freeBasePort(members))]);
      break;
    } catch (err) {
      // Another process may have taken a port between the check and etcd's bind: try other ports.
      await script(["stop", clusterDir]).catch(() => undefined);
      rmSync(clusterDir, { recursive: true, force: true });
      if (attempt >= 2) {
        rmSync(dir, { recursive: true, force: true });
        throw err;
      }
    }
  }
  const endpoints = url.slice("etcd://".length).split(",");
  const stopped = new Set<number>();
  const cluster: EtcdTestCluster = {
    dir: clusterDir,
    endpoints,
    url,
    async stopMember(i) {
      await script(["stop-member", clusterDir, String(i)]);
      stopped.add(i);
    },
    async startMember(i) {
      await script(["start-member", clusterDir, String(i)]);
      stopped.delete(i);
    },
    async leaderIndex() {
      for (const [i, ep] of endpoints.entries()) {
        if (stopped.has(i)) continue;
        const client = new Etcd3({ hosts: ep });
        try {
          const status = await client.maintenance.status({ deadline: Date.now() + 3000 });
          if (status.leader === "0") continue;
          for (const [j, other] of endpoints.entries()) {
            if (stopped.has(j)) continue;
            const c2 = j === i ? client : new Etcd3({ hosts: other });
            try {
              const s2 = await c2.maintenance.status({ deadline: Date.now() + 3000 });
              if (s2.header.member_id === status.leader) return j;
            } finally {
              if (c2 !== client) c2.close();
            }
          }
        } catch {
          // this member does not answer; ask the next one
        } finally {
          client.close();
        }
      }
      throw new Error("no running member knows a leader");
    },
    async moveLeaderTo(target) {
      const targetId = await memberId(endpoints[target]);
      for (;;) {
        const leader = await cluster.leaderIndex();
        if (leader === target) return;
        const client = new Etcd3({ hosts: endpoints[leader] });
        try {
          await client.maintenance.moveLeader({ targetID: targetId }, { deadline: Date.now() + 10_000 });
        } catch {
          // leadership moved meanwhile; look again
        } finally {
          client.close();
        }
      }
    },
    async watchersOn(i) {
      const res = await fetch(`http://${endpoints[i]}/metrics`);
      const m = /^etcd_debugging_mvcc_watcher_total (\d+)/m.exec(await res.text());
      if (!m) throw new Error(`member ${i} exposes no etcd_debugging_mvcc_watcher_total`);
      return Number(m[1]);
    },
    async stop() {
      await script(["stop", clusterDir]).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return cluster;
}

async function memberId(endpoint: string): Promise<string> {
  const client = new Etcd3({ hosts: endpoint });
  try {
    return (await client.maintenance.status({ deadline: Date.now() + 5000 })).header.member_id;
  } finally {
    client.close();
  }
}

/** Polls `cond` every 100 ms until it holds; fails after `timeoutMs` with `what`. */
export async function eventually(what: string, cond: () => Promise<boolean> | boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await cond()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
