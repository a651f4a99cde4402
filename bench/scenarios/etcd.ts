/**
 * Binding on a three-member etcd: `cistern up --store etcd://…` against a local cluster, the same
 * static pairs as the SQLite binding scenario, beside etcd's own put rate measured just before.
 * Pairs: 3,000 in a full run (500 quick) to keep the run within its time budget; the efficiency
 * ratio does not depend on the count (`--etcd-pairs 10000` runs the size).
 * Efficiency = store writes/s the binding achieved (revision delta ÷ first create → all Bound)
 * ÷ etcd's put rate; equivalently pairs/s ÷ (put rate ÷ writes per pair).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { latencyFigure, valueFigure, type FigureSink } from "../core/result.js";
import type { Scenario, ScenarioContext } from "../core/scenario.js";
import { REPO, startCisternUp } from "../harness/cistern-process.js";
import { paths, staticClass } from "../harness/objects.js";
import { measureEtcdPutRate, startEtcdCluster } from "../limits/etcd-limit.js";
import { bindPairs } from "./binding.js";

function etcdInstalled(): boolean {
  return ["/usr/bin/etcd", "/usr/local/bin/etcd"].some((p) => existsSync(p));
}

export const etcdScenario: Scenario = {
  name: "etcd",
  title: "Binding on a three-member etcd",
  async run(ctx: ScenarioContext, sink: FigureSink) {
    const script = join(REPO, "scripts", "etcd-cluster.sh");
    if (!existsSync(script)) return { unavailable: "scripts/etcd-cluster.sh is missing from this checkout" };
    if (!etcdInstalled()) return { unavailable: "etcd is not installed (apt-get install etcd-server etcd-client)" };
    const q = ctx.options.quick;
    const etcd = await startEtcdCluster(script, 3);
    try {
      const puts = await measureEtcdPutRate(etcd.endpoints, q ? 3000 : 20_000);
      const putLimit = { label: "etcd put rate (3 members, 1 KiB, 64 in flight, etcd3 client)", value: puts.perSecond, unit: "/s" as const };
      sink.add(latencyFigure("etcd.put", "etcd put (the limit), 64 in flight", puts.latencies, { value: puts.perSecond }));
      ctx.log(`etcd: ${Math.round(puts.perSecond)} puts/s`);

      const pairs = ctx.options.etcdPairs ?? (q ? 500 : 3000);
      const up = await startCisternUp({ tag: "etcd", extraArgs: ["--store", etcd.storeUrl] });
      try {
        const client = up.client(64);
        await client.expect("POST", paths.storageClasses, staticClass("static"));
        const cpu0 = up.cpuMs();
        const r = await bindPairs(client, { pairs, ns: "bind", cls: "static", timeoutMs: Math.max(180_000, pairs * 60) });
        const cpuPerPair = (up.cpuMs() - cpu0) / pairs;
        const k = pairs.toLocaleString("en-US");
        const writesPerPair = r.storeWrites / pairs;
        const writesPerSecond = r.storeWrites / (r.allBoundMs / 1000);
        sink.add(valueFigure(`etcd.binding.${pairs}.allBound`, `${k} pairs on etcd: first create → all Bound`, "s", r.allBoundMs / 1000));
        sink.add(valueFigure(`etcd.binding.${pairs}.bindsPerSecond`, `${k} pairs on etcd: binds/s (first claim create → last Bound)`, "/s", pairs / (r.bindWindowMs / 1000), { ...putLimit, value: puts.perSecond / writesPerPair, label: `etcd put rate ÷ ${writesPerPair.toFixed(1)} writes per pair` }));
        sink.add(valueFigure("etcd.binding.efficiency", `${k} pairs on etcd: store writes/s ÷ etcd put rate`, "x", writesPerSecond / puts.perSecond, undefined, `${Math.round(writesPerSecond)} writes/s (${writesPerPair.toFixed(1)} per pair) vs ${Math.round(puts.perSecond)} puts/s`));
        sink.add(valueFigure(`etcd.binding.${pairs}.cpuPerPair`, `${k} pairs on etcd: CPU per pair, cistern up (etcd members not included)`, "ms", cpuPerPair));
        ctx.log(`${k} pairs on etcd: all Bound after ${(r.allBoundMs / 1000).toFixed(1)} s; ${Math.round(writesPerSecond)} store writes/s`);
      } finally {
        await up.stop();
      }
    } finally {
      await etcd.stop();
    }
  },
};
