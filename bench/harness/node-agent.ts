/**
 * A Ready node for the pod scenarios: the node agent `cistern up` runs, or — in builds where
 * `cistern up` runs none yet — one started next to it in its own process (node-agent-main), on
 * the same data dir, EFS service and CA, exactly as `cistern up --nodes 1` would configure it.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { sleep } from "../core/load.js";
import { spawnCistern, type CisternProcess, type RunningCistern } from "./cistern-process.js";
import { paths } from "./objects.js";

export interface ReadyNode {
  name: string;
  /** "cistern up" or "bench-started agent". */
  source: string;
  stop(): Promise<void>;
}

async function readyNodes(c: RunningCistern): Promise<string[]> {
  const list = await c.client().expect("GET", paths.nodes);
  return (list.items as any[]).filter((n) => (n.status?.conditions ?? []).some((k: any) => k.type === "Ready" && k.status === "True")).map((n) => n.metadata.name as string);
}

/** Waits `graceMs` for a node of `cistern up`; else starts an agent. Throws if runc is missing. */
export async function ensureReadyNode(c: RunningCistern, graceMs = 15_000): Promise<ReadyNode> {
  if (!existsSync("/usr/sbin/runc") && !existsSync("/usr/bin/runc")) throw new Error("runc is not installed (scripts/install-prerequisites.sh installs it)");
  const deadline = performance.now() + graceMs;
  while (performance.now() < deadline) {
    const nodes = await readyNodes(c);
    if (nodes.length > 0) return { name: nodes[0], source: "cistern up", stop: async () => {} };
    await sleep(500);
  }
  const script = join(dirname(fileURLToPath(import.meta.url)), "node-agent-main.js");
  const config = { kubeconfig: c.kubeconfig, dataDir: c.dataDir, name: "bench-node", efs: { endpoint: c.efs.url, region: c.efs.region, credentials: c.efs.credentials, caPem: c.caPem } };
  const { proc } = await spawnCistern({ script, args: [JSON.stringify(config)], ready: /node agent ready/, timeoutMs: 60_000 });
  const stopAgent = (p: CisternProcess) => p.stop();
  const until = performance.now() + 30_000;
  while (!(await readyNodes(c)).includes("bench-node")) {
    if (performance.now() > until) {
      await stopAgent(proc);
      throw new Error(`the bench-started node agent did not become Ready:\n${proc.output().slice(-3000)}`);
    }
    await sleep(200);
  }
  return { name: "bench-node", source: "bench-started agent (cistern up ran none)", stop: () => stopAgent(proc) };
}
