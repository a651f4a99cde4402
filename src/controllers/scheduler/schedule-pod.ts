/**
 * One scheduling decision for one pod, as a pure function: PreFilter (volumes), Filter (every
 * node), Score (fewest pods, then name — deterministic where upstream randomises ties). An
 * unschedulable pod gets upstream's FitError text, e.g.
 *   "0/3 nodes are available: 1 node(s) had volume node affinity conflict, 2 node(s) didn't match
 *    Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not
 *    helpful for scheduling."
 */
import type { Pod } from "../model/types.js";
import { nodeFilter } from "./node-filters.js";
import type { SchedulerSnapshot } from "./snapshot.js";
import { preFilterVolumes, volumeFilter, type NodeVolumePlan } from "./volume-filters.js";

export type ScheduleResult =
  | { kind: "assign"; node: string; volumes: NodeVolumePlan }
  | { kind: "unschedulable"; message: string; reasons: Record<string, number> };

function fitError(total: number, preFilterMessage: string | undefined, reasons: Record<string, number>): string {
  if (total === 0) return "no nodes available to schedule pods";
  let msg = `0/${total} nodes are available:`;
  if (preFilterMessage) msg += ` ${preFilterMessage}.`;
  else {
    const parts = Object.entries(reasons).map(([r, n]) => `${n} ${r}`).sort();
    if (parts.length > 0) msg += ` ${parts.join(", ")}.`;
  }
  // What upstream's DefaultPreemption adds when no victim could help (Cistern never preempts).
  return `${msg} preemption: 0/${total} nodes are available: ${total} Preemption is not helpful for scheduling.`;
}

export function schedulePod(pod: Pod, snap: SchedulerSnapshot): ScheduleResult {
  const total = snap.nodes.length;
  const pre = preFilterVolumes(pod, snap);
  if (!pre.ok) return { kind: "unschedulable", message: fitError(total, pre.message, {}), reasons: { [pre.message]: total } };
  const reasons: Record<string, number> = {};
  let best: { node: string; pods: number; plan: NodeVolumePlan } | undefined;
  for (const node of snap.nodes) {
    const name = node.metadata.name ?? "";
    const nodeReason = nodeFilter(pod, node);
    if (nodeReason) {
      reasons[nodeReason] = (reasons[nodeReason] ?? 0) + 1;
      continue;
    }
    const v = volumeFilter(pod, node, pre.claims, snap);
    if (!v.ok) {
      reasons[v.reason] = (reasons[v.reason] ?? 0) + 1;
      continue;
    }
    const pods = snap.podCount(name);
    if (!best || pods < best.pods || (pods === best.pods && name < best.node)) best = { node: name, pods, plan: v.plan };
  }
  if (!best) return { kind: "unschedulable", message: fitError(total, undefined, reasons), reasons };
  return { kind: "assign", node: best.node, volumes: best.plan };
}
