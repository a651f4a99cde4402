/**
 * The targets the project's issues set, each read from one figure of a run. A target whose figure
 * is missing (scenario unavailable or failed) is "not measured", never "met".
 */
import type { Figure, ScenarioResult } from "../core/result.js";

export interface Target {
  area: string;
  text: string;
  figure: string;
  stat: "median" | "p99" | "value" | "ratio";
  op: "<=" | ">=";
  threshold: number;
  unit: string;
}

export const TARGETS: Target[] = [
  { area: "API server", text: "GET p99 ≤ 2 ms", figure: "api.get", stat: "p99", op: "<=", threshold: 2, unit: "ms" },
  { area: "API server", text: "durable create p99 ≤ 5 ms", figure: "api.create.serial", stat: "p99", op: "<=", threshold: 5, unit: "ms" },
  { area: "API server", text: "LIST of 10,000 PVs ≤ 150 ms (p99)", figure: "api.list10k", stat: "p99", op: "<=", threshold: 150, unit: "ms" },
  { area: "API server", text: "one event reaches 1,000 watchers within 100 ms p99", figure: "api.watch.fanout.all", stat: "p99", op: "<=", threshold: 100, unit: "ms" },
  { area: "API server", text: "RSS ≤ 250 MB holding 100,000 objects", figure: "api.rss.100k", stat: "value", op: "<=", threshold: 250, unit: "MB" },
  { area: "Binding", text: "10,000 PVs + 10,000 PVCs all Bound in ≤ 5 s (SQLite)", figure: "binding.10000.allBound", stat: "value", op: "<=", threshold: 5, unit: "s" },
  { area: "Binding", text: "bind latency p99 ≤ 50 ms at 1,000 claims/s", figure: "binding.latency.1000ps", stat: "p99", op: "<=", threshold: 50, unit: "ms" },
  { area: "Binding", text: "100,000 pairs in ≤ 12× the 10,000-pair time", figure: "binding.scaling", stat: "value", op: "<=", threshold: 12, unit: "×" },
  { area: "Provisioning", text: "PVC created → Bound p99 ≤ 100 ms at 100 claims/s", figure: "provisioning.latency.100ps", stat: "p99", op: "<=", threshold: 100, unit: "ms" },
  { area: "Provisioning", text: "CreateAccessPoint through the SDK ≥ 1,000/s", figure: "efs.createAccessPoint", stat: "value", op: ">=", threshold: 1000, unit: "/s" },
  { area: "Pods", text: "pod with a PVC volume created → Running p99 ≤ 500 ms", figure: "pods.startup", stat: "p99", op: "<=", threshold: 500, unit: "ms" },
  { area: "Pods", text: "≥ 10 pods/s started", figure: "pods.rate", stat: "value", op: ">=", threshold: 10, unit: "/s" },
  { area: "Pods", text: "sequential write of 1 GiB in a pod ≥ 90% of the host directory (the guide's static volume)", figure: "datapath.seqWrite", stat: "ratio", op: ">=", threshold: 0.9, unit: "×" },
  { area: "Pods", text: "sequential read of 1 GiB in a pod ≥ 90% of the host directory (the guide's static volume)", figure: "datapath.seqRead", stat: "ratio", op: ">=", threshold: 0.9, unit: "×" },
  { area: "Pods", text: "… the same on an access point volume (efs-fuse): write ≥ 90% of the host directory", figure: "datapath.ap.seqWrite", stat: "ratio", op: ">=", threshold: 0.9, unit: "×" },
  { area: "Pods", text: "… the same on an access point volume (efs-fuse): read ≥ 90% of the host directory", figure: "datapath.ap.seqRead", stat: "ratio", op: ">=", threshold: 0.9, unit: "×" },
  { area: "etcd", text: "binding 10,000 pairs on a three-member etcd ≥ 50% of etcd's put rate ÷ writes per bind", figure: "etcd.binding.efficiency", stat: "value", op: ">=", threshold: 0.5, unit: "×" },
];

export interface TargetVerdict {
  target: Target;
  measured?: number;
  /** The figure's own label, which says at what scale it was measured (quick runs are smaller). */
  figureLabel?: string;
  status: "met" | "not met" | "not measured";
}

export function findFigure(results: ScenarioResult[], id: string): Figure | undefined {
  for (const r of results) for (const f of r.figures) if (f.id === id) return f;
  return undefined;
}

export function evaluateTargets(results: ScenarioResult[]): TargetVerdict[] {
  return TARGETS.map((target) => {
    const f = findFigure(results, target.figure);
    const measured = f?.[target.stat];
    if (f === undefined || measured === undefined) return { target, status: "not measured" };
    const ok = target.op === "<=" ? measured <= target.threshold : measured >= target.threshold;
    return { target, measured, figureLabel: f.label, status: ok ? "met" : "not met" };
  });
}

/** The console summary of targets, after the figures table. */
export function renderTargets(results: ScenarioResult[]): string {
  const lines = ["", "== Targets"];
  for (const v of evaluateTargets(results)) {
    const measured = v.measured === undefined ? "" : ` — measured ${v.measured} ${v.target.unit} (${v.target.stat})`;
    lines.push(`   [${v.status.padEnd(12)}] ${v.target.area}: ${v.target.text}${measured}`);
  }
  return lines.join("\n") + "\n";
}
