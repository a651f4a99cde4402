/**
 * Static binding on `cistern up` (SQLite): N PVs then N claims created as fast as the API takes
 * them (64 in flight, like `kubectl apply` of a big manifest by several clients), each claim
 * matched by the PV binder — not pre-bound — and seen Bound on a watch.
 *   - time to all Bound: first create → last claim seen Bound (creation included);
 *   - binds/s: N ÷ (first claim create → last claim Bound), beside the store's durable commit
 *     limit, and the store writes/s the run caused (revision delta ÷ time);
 *   - bind latency: claim create sent → Bound seen, per claim, under that burst;
 *   - scaling: the largest size's time ÷ the next size's (100k/10k in a full run).
 * Then bind latency at a steady 1,000 claims/s (open loop) against pre-created PVs.
 */
import { availableParallelism } from "node:os";
import { closedLoop, openLoop } from "../core/load.js";
import { latencyFigure, valueFigure, type FigureSink } from "../core/result.js";
import type { Scenario, ScenarioContext } from "../core/scenario.js";
import { summarize } from "../core/stats.js";
import type { ApiClient } from "../harness/api-client.js";
import { startCisternUp, startSplitCluster } from "../harness/cistern-process.js";
import { ConditionWatch, isBound } from "../harness/condition-watch.js";
import { claim, namespace, paths, staticClass, staticPv } from "../harness/objects.js";

export interface PairsResult {
  pairs: number;
  /** CPU used by the load generator (this process) over the run, ms. */
  benchCpuMs: number;
  createPvsMs: number;
  allBoundMs: number;
  bindWindowMs: number;
  latencies: number[];
  storeWrites: number;
}

async function listRevision(client: ApiClient, path: string): Promise<string> {
  return (await client.expect("GET", `${path}?limit=1`)).metadata.resourceVersion as string;
}

/** Creates `pairs` PVs and claims in a fresh namespace and waits for every claim to be Bound. */
export async function bindPairs(client: ApiClient, o: { pairs: number; ns: string; cls: string; preBound?: boolean; timeoutMs: number }): Promise<PairsResult> {
  await client.expect("POST", paths.namespaces, namespace(o.ns));
  const rv0 = await listRevision(client, paths.pvcs(o.ns));
  const watch = await ConditionWatch.start(client, paths.pvcs(o.ns), rv0, isBound);
  const sentAt = new Array<number>(o.pairs);
  try {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await closedLoop(o.pairs, 64, (i) => client.expect("POST", paths.pvs, staticPv(`${o.ns}-pv-${i}`, { storageClassName: o.cls })));
    const tClaims = performance.now();
    await closedLoop(o.pairs, 64, (i) => {
      sentAt[i] = performance.now();
      return client.expect("POST", paths.pvcs(o.ns), claim(o.ns, `c-${i}`, { storageClassName: o.cls, volumeName: o.preBound ? `${o.ns}-pv-${i}` : undefined }));
    });
    await watch.waitFor(o.pairs, o.timeoutMs, `${o.pairs} claims Bound`);
    const last = Math.max(...watch.seenAt.values());
    const latencies = Array.from({ length: o.pairs }, (_, i) => watch.seenAt.get(`c-${i}`)! - sentAt[i]);
    const rv1 = await listRevision(client, paths.pvcs(o.ns));
    const cpu = process.cpuUsage(cpu0);
    return { pairs: o.pairs, benchCpuMs: (cpu.user + cpu.system) / 1000, createPvsMs: tClaims - t0, allBoundMs: last - t0, bindWindowMs: last - tClaims, latencies, storeWrites: Number(rv1) - Number(rv0) };
  } finally {
    watch.close();
  }
}

/** Bind latency at a steady rate: `claims` claims at `rate`/s, each finding one of the PVs already there. */
export async function bindAtRate(client: ApiClient, o: { claims: number; rate: number; ns: string; cls: string; timeoutMs: number }): Promise<number[]> {
  await client.expect("POST", paths.namespaces, namespace(o.ns));
  await closedLoop(o.claims, 64, (i) => client.expect("POST", paths.pvs, staticPv(`${o.ns}-pv-${i}`, { storageClassName: o.cls })));
  const rv0 = await listRevision(client, paths.pvcs(o.ns));
  const watch = await ConditionWatch.start(client, paths.pvcs(o.ns), rv0, isBound);
  const scheduled = new Array<number>(o.claims);
  try {
    await openLoop(o.claims, o.rate, (i, at) => {
      scheduled[i] = at;
      return client.expect("POST", paths.pvcs(o.ns), claim(o.ns, `c-${i}`, { storageClassName: o.cls }));
    });
    await watch.waitFor(o.claims, o.timeoutMs, `${o.claims} claims Bound at ${o.rate}/s`);
    return Array.from({ length: o.claims }, (_, i) => watch.seenAt.get(`c-${i}`)! - scheduled[i]);
  } finally {
    watch.close();
  }
}

export const bindingScenario: Scenario = {
  name: "binding",
  title: "Binding: static PV/PVC pairs on SQLite",
  async run(ctx: ScenarioContext, sink: FigureSink) {
    const q = ctx.options.quick;
    const limit = ctx.sqliteLimit();
    const commitLimit = { label: "raw SQLite durable commits/s", value: limit.commitsPerSecond, unit: "/s" as const };
    const sizes = q ? [500, 2000] : [1000, 10_000, 100_000];
    const times = new Map<number, number>();
    const cores = availableParallelism();
    for (const n of sizes) {
      // A fresh cluster per size: every size starts from an empty store and empty caches.
      const up = await startCisternUp({ tag: `bind${n}` });
      try {
        const client = up.client(64);
        await client.expect("POST", paths.storageClasses, staticClass("static"));
        const cpu0 = up.cpuMs();
        const r = await bindPairs(client, { pairs: n, ns: "bind", cls: "static", timeoutMs: Math.max(120_000, n * 20) });
        const cpuPerPair = (up.cpuMs() - cpu0) / n;
        times.set(n, r.allBoundMs);
        const k = n.toLocaleString("en-US");
        sink.add(valueFigure(`binding.${n}.allBound`, `${k} PVs + ${k} PVCs: first create → all Bound`, "s", r.allBoundMs / 1000, undefined, `PV creation took ${(r.createPvsMs / 1000).toFixed(1)} s of it`));
        const bindsPerSecond = n / (r.bindWindowMs / 1000);
        sink.add(valueFigure(`binding.${n}.bindsPerSecond`, `${k} pairs: binds/s (first claim create → last Bound)`, "/s", bindsPerSecond, commitLimit));
        const writesPerSecond = r.storeWrites / ((r.bindWindowMs + r.createPvsMs) / 1000);
        sink.add(valueFigure(`binding.${n}.storeWrites`, `${k} pairs: store writes/s caused (${(r.storeWrites / n).toFixed(1)} per pair)`, "/s", writesPerSecond, commitLimit));
        sink.add(latencyFigure(`binding.${n}.latency`, `${k} pairs: claim create sent → Bound seen (burst)`, r.latencies));
        sink.add(valueFigure(`binding.${n}.cpuPerPair`, `${k} pairs: CPU per pair, all of cistern up (load generator: ${(r.benchCpuMs / n).toFixed(2)} ms)`, "ms", cpuPerPair, undefined, `${cores} cores allow at most ${Math.round((cores * 1000) / cpuPerPair)} pairs/s at this cost, before the load generator's share`));
        ctx.log(`${k} pairs: all Bound after ${(r.allBoundMs / 1000).toFixed(2)} s, ${Math.round(bindsPerSecond)} binds/s, latency p99 ${summarize(r.latencies).p99.toFixed(0)} ms`);

        if (n === sizes[1]) {
          const rate = 1000;
          const lat = await bindAtRate(client, { claims: q ? 1000 : 5000, rate, ns: "steady", cls: "static", timeoutMs: 300_000 });
          sink.add(latencyFigure("binding.latency.1000ps", `claim create → Bound seen at ${rate} claims/s (${lat.length.toLocaleString("en-US")} claims)`, lat));
          ctx.log(`at ${rate} claims/s: bind latency p50 ${summarize(lat).median.toFixed(1)} ms, p99 ${summarize(lat).p99.toFixed(1)} ms`);
        }
      } finally {
        await up.stop();
      }
    }
    // The same pairs with the API server and the controllers in separate processes (`cistern
    // apiserver` + `cistern controllers`): how much of the time is one event loop doing everything.
    // The smallest size: the full run's time budget (20 min) has no room for a second 10k run.
    const split = sizes[0];
    const c = await startSplitCluster({ tag: `bindsplit${split}` });
    try {
      const client = c.client(64);
      await client.expect("POST", paths.storageClasses, staticClass("static"));
      const cpu0 = c.cpuMs();
      const r = await bindPairs(client, { pairs: split, ns: "bind", cls: "static", timeoutMs: Math.max(120_000, split * 20) });
      const k = split.toLocaleString("en-US");
      sink.add(valueFigure(`binding.split.${split}.allBound`, `${k} pairs, API server and controllers in separate processes: first create → all Bound`, "s", r.allBoundMs / 1000, undefined, `CPU per pair ${((c.cpuMs() - cpu0) / split).toFixed(2)} ms over all processes; cistern up (one process): ${(times.get(split)! / 1000).toFixed(1)} s`));
      ctx.log(`${k} pairs, split processes: all Bound after ${(r.allBoundMs / 1000).toFixed(2)} s`);
    } finally {
      await c.stop();
    }

    const [a, b] = sizes.slice(-2);
    const scaling = times.get(b)! / times.get(a)!;
    // The target is about 100k vs 10k; other sizes (quick mode) report under their own id.
    sink.add(valueFigure(a === 10_000 && b === 100_000 ? "binding.scaling" : `binding.scaling.${a}-${b}`, `scaling: time(${b.toLocaleString("en-US")}) ÷ time(${a.toLocaleString("en-US")}) for ${b / a}× the pairs`, "x", scaling));
  },
};
