/**
 * Node filters unrelated to volumes, with the reason strings upstream's plugins report, in the
 * default profile's order (NodeUnschedulable, TaintToleration, NodeAffinity): a node reports the
 * first filter it fails.
 */
import { nodeSelectorMatches } from "../model/node-affinity.js";
import type { Node, Pod, Taint, Toleration } from "../model/types.js";

export const ReasonUnschedulable = "node(s) were unschedulable";
export const ReasonNodeAffinity = "node(s) didn't match Pod's node affinity/selector";

function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.operator === "Exists") return !t.key || t.key === taint.key;
  return t.key === taint.key && (t.value ?? "") === (taint.value ?? "");
}

/** The first reason the node cannot take the pod, or undefined. */
export function nodeFilter(pod: Pod, node: Node): string | undefined {
  const tolerations = pod.spec.tolerations ?? [];
  if (node.spec?.unschedulable && !tolerations.some((t) => tolerates(t, { key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" }))) return ReasonUnschedulable;
  for (const taint of node.spec?.taints ?? []) {
    if (taint.effect !== "NoSchedule" && taint.effect !== "NoExecute") continue;
    if (!tolerations.some((t) => tolerates(t, taint))) return `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ""}}`;
  }
  const labels = node.metadata.labels ?? {};
  for (const [k, v] of Object.entries(pod.spec.nodeSelector ?? {})) if (labels[k] !== v) return ReasonNodeAffinity;
  const required = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (required && !nodeSelectorMatches(required, node)) return ReasonNodeAffinity;
  return undefined;
}
