/**
 * The node lifecycle controller: every `monitorMs` (5 s) look at every Node and its Lease (informer caches),
 * mark nodes whose heartbeat stopped Unknown (status patch), keep the readiness taints in line with Ready (spec
 * patch), and when a node stops being Ready mark its pods' Ready condition False, as upstream does. It never
 * evicts pods. Run one per cluster (`cistern up` runs it with the controllers).
 */
import type { Lease, Node, Pod } from "../../api/index.js";
import { createInformer, isConflict, isNotFound, type Informer, type KubeClient } from "../../client/index.js";
import { createLogger, type Logger } from "../../lib/log.js";
import { metaTime } from "../pods/time.js";
import { LEASE, NODE, NODE_LEASE_NAMESPACE, POD } from "../registration/resources.js";
import { desiredTaints, NODE_MONITOR_GRACE_MS, observeHealth, overdueConditions, type NodeHealth } from "./decide.js";

export interface NodeLifecycleOptions {
  client: KubeClient;
  monitorMs?: number;
  gracePeriodMs?: number;
  log?: Logger;
}

export interface NodeLifecycleController {
  /** One monitoring pass now (tests; the loop runs on its own). */
  monitorOnce(): Promise<void>;
  stop(): Promise<void>;
}

export async function startNodeLifecycleController(o: NodeLifecycleOptions): Promise<NodeLifecycleController> {
  const log = o.log ?? createLogger("node-lifecycle");
  const nodes: Informer<Node> = createInformer(o.client.resource<Node>(NODE), { log: log.child("nodes") });
  const leases: Informer<Lease> = createInformer(o.client.resource<Lease>(LEASE), { namespace: NODE_LEASE_NAMESPACE, log: log.child("leases") });
  nodes.start();
  leases.start();
  await Promise.all([nodes.waitForSync(), leases.waitForSync()]);
  const health = new Map<string, NodeHealth>();
  const nodesApi = o.client.resource<Node>(NODE);
  const podsApi = o.client.resource<Pod>(POD);
  const grace = o.gracePeriodMs ?? NODE_MONITOR_GRACE_MS;

  async function markPodsNotReady(nodeName: string, nowTime: string): Promise<void> {
    const list = await podsApi.list(undefined, { fieldSelector: `spec.nodeName=${nodeName}` });
    for (const pod of list.items) {
      const conds = pod.status?.conditions ?? [];
      const ready = conds.find((c) => c.type === "Ready");
      if (!ready || ready.status === "False") continue;
      const next = conds.map((c) => (c.type === "Ready" ? { ...c, status: "False", lastTransitionTime: nowTime } : c));
      try {
        await podsApi.patch(pod.metadata.namespace, pod.metadata.name ?? "", "merge", { metadata: { uid: pod.metadata.uid, resourceVersion: pod.metadata.resourceVersion }, status: { conditions: next } }, { subresource: "status" });
      } catch (e) {
        // A conflict means its node (or someone) just wrote it: the next pass decides again.
        if (!isNotFound(e) && !isConflict(e)) log.warn("could not mark pod not ready", { pod: `${pod.metadata.namespace}/${pod.metadata.name}`, err: e });
      }
    }
  }

  async function monitorOnce(): Promise<void> {
    const now = Date.now();
    const nowTime = metaTime(now) as string;
    const seen = new Set<string>();
    for (const node of nodes.list()) {
      const name = node.metadata.name ?? "";
      seen.add(name);
      const h = observeHealth(health.get(name), node, leases.getByName(NODE_LEASE_NAMESPACE, name), now);
      health.set(name, h);
      let current = node;
      const conds = overdueConditions(node, h, now, nowTime, grace);
      if (conds) {
        log.warn("node stopped posting status; marking it Unknown", { node: name });
        current = await nodesApi.patch(undefined, name, "merge", { status: { conditions: conds } }, { subresource: "status" });
        await markPodsNotReady(name, nowTime);
      }
      const taints = desiredTaints(current, nowTime);
      if (taints) await nodesApi.patch(undefined, name, "merge", { spec: { taints: taints.length ? taints : null } });
    }
    for (const name of health.keys()) if (!seen.has(name)) health.delete(name);
  }

  let stopped = false;
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (running || stopped) return;
    running = monitorOnce()
      .catch((err: unknown) => log.warn("node monitoring pass failed", { err }))
      .finally(() => (running = undefined));
  }, o.monitorMs ?? 5_000);
  timer.unref?.();

  return {
    monitorOnce,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
      await Promise.all([nodes.stop(), leases.stop()]);
    },
  };
}
