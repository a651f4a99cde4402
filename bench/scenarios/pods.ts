/**
 * Pods with an EFS volume on `cistern up`: a static RWX volume on the guide's file system, one
 * claim, and busybox pods that mount it and sleep.
 *   - startup latency: pod created → Running seen on a watch, pods arriving at 10/s (open loop);
 *   - pods/s: a burst of pods created at once, count ÷ (first create → last Running).
 * Pods are deleted between the two and at the end (grace period 0 is not used: the agent's
 * normal stop path runs).
 */
import { closedLoop, openLoop, waitUntil } from "../core/load.js";
import { latencyFigure, valueFigure, type FigureSink } from "../core/result.js";
import type { Scenario, ScenarioContext } from "../core/scenario.js";
import { summarize } from "../core/stats.js";
import type { ApiClient } from "../harness/api-client.js";
import { startCisternUp, type RunningCistern } from "../harness/cistern-process.js";
import { ConditionWatch, isBound, isRunning } from "../harness/condition-watch.js";
import { ensureReadyNode } from "../harness/node-agent.js";
import { claim, namespace, paths, podWithClaim, staticClass } from "../harness/objects.js";

export const FS_ID = "fs-12345678";

/** A cluster with a Ready node, and a Bound RWX claim `shared` in namespace `ns` on the guide's file system. */
export async function clusterWithClaim(ctx: ScenarioContext, tag: string, ns: string): Promise<{ up: RunningCistern; client: ApiClient; stop(): Promise<void>; nodeSource: string }> {
  const up = await startCisternUp({ tag, fileSystemIds: [FS_ID] });
  try {
    const node = await ensureReadyNode(up);
    ctx.log(`node ${node.name} Ready (${node.source})`);
    const client = up.client(32);
    await client.expect("POST", paths.storageClasses, staticClass("efs-static"));
    await client.expect("POST", paths.namespaces, namespace(ns));
    await client.expect("POST", paths.pvs, {
      apiVersion: "v1",
      kind: "PersistentVolume",
      metadata: { name: `${ns}-efs` },
      spec: { capacity: { storage: "5Gi" }, accessModes: ["ReadWriteMany"], persistentVolumeReclaimPolicy: "Retain", storageClassName: "efs-static", csi: { driver: "efs.csi.aws.com", volumeHandle: FS_ID } },
    });
    await client.expect("POST", paths.pvcs(ns), claim(ns, "shared", { storageClassName: "efs-static", volumeName: `${ns}-efs` }));
    await waitUntil(async () => isBound(await client.expect("GET", paths.pvc(ns, "shared"))), "claim shared Bound", 30_000, 50);
    return {
      up,
      client,
      nodeSource: node.source,
      async stop() {
        await node.stop();
        await up.stop();
      },
    };
  } catch (err) {
    await up.stop();
    throw err;
  }
}

async function startPods(client: ApiClient, ns: string, names: string[], start: (create: (i: number) => Promise<unknown>) => Promise<unknown>): Promise<{ sentAt: number[]; watch: ConditionWatch }> {
  const rv = (await client.expect("GET", `${paths.pods(ns)}?limit=1`)).metadata.resourceVersion as string;
  const watch = await ConditionWatch.start(client, paths.pods(ns), rv, isRunning);
  const sentAt = new Array<number>(names.length);
  await start((i) => {
    sentAt[i] = performance.now();
    return client.expect("POST", paths.pods(ns), podWithClaim(ns, names[i], "shared", ["sleep", "3600"]));
  });
  return { sentAt, watch };
}

async function deletePods(client: ApiClient, ns: string, names: string[]): Promise<void> {
  await closedLoop(names.length, 16, (i) => client.expect("DELETE", `${paths.pods(ns)}/${names[i]}`, undefined, [200, 202, 404]));
  await waitUntil(async () => (await client.expect("GET", paths.pods(ns))).items.length === 0, "pods deleted", 120_000, 250);
}

export const podsScenario: Scenario = {
  name: "pods",
  title: "Pods: created → Running with a PVC volume",
  async run(ctx: ScenarioContext, sink: FigureSink) {
    const q = ctx.options.quick;
    const ns = "pods";
    const cluster = await clusterWithClaim(ctx, "pods", ns);
    const { client } = cluster;
    try {
      // The first pod unpacks the image and warms the runtime; it is not counted.
      const warm = await startPods(client, ns, ["warm"], (create) => create(0));
      await warm.watch.waitFor(1, 120_000, "warm-up pod Running").finally(() => warm.watch.close());
      await deletePods(client, ns, ["warm"]);

      const steady = Array.from({ length: q ? 20 : 100 }, (_, i) => `steady-${i}`);
      const s = await startPods(client, ns, steady, (create) => openLoop(steady.length, 10, (i) => create(i)));
      try {
        await s.watch.waitFor(steady.length, 180_000, "pods Running at 10/s");
        const lat = steady.map((n, i) => s.watch.seenAt.get(n)! - s.sentAt[i]);
        sink.add(latencyFigure("pods.startup", `pod (PVC volume) created → Running at 10 pods/s (${steady.length})`, lat, { note: `node: ${cluster.nodeSource}` }));
        ctx.log(`startup at 10/s: p50 ${summarize(lat).median.toFixed(0)} ms, p99 ${summarize(lat).p99.toFixed(0)} ms`);
      } finally {
        s.watch.close();
      }
      await deletePods(client, ns, steady);

      const burst = Array.from({ length: q ? 30 : 100 }, (_, i) => `burst-${i}`);
      const b = await startPods(client, ns, burst, (create) => closedLoop(burst.length, 16, create));
      try {
        await b.watch.waitFor(burst.length, 300_000, "burst pods Running");
        const first = Math.min(...b.sentAt);
        const last = Math.max(...b.watch.seenAt.values());
        const rate = burst.length / ((last - first) / 1000);
        sink.add(valueFigure("pods.rate", `pods started/s, ${burst.length} created at once`, "/s", rate));
        const lat = burst.map((n, i) => b.watch.seenAt.get(n)! - b.sentAt[i]);
        sink.add(latencyFigure("pods.burst.startup", `pod created → Running in that burst`, lat));
        ctx.log(`burst of ${burst.length}: ${rate.toFixed(1)} pods/s`);
      } finally {
        b.watch.close();
      }
      await deletePods(client, ns, burst);
    } finally {
      await cluster.stop();
    }
  },
};
