/**
 * `cistern explain pod`: where the pod is in scheduling, and what its claims are waiting for; once scheduled,
 * why it does not start or is not ready (explain-pod-start.ts).
 */
import { claimClass, podClaimNames } from "../model/volume-helpers.js";
import { nodeFilter } from "../scheduler/node-filters.js";
import { schedulePod } from "../scheduler/schedule-pod.js";
import { preFilterVolumes, volumeFilter } from "../scheduler/volume-filters.js";
import { eventLines } from "./events.js";
import { explainClaim } from "./explain-claim.js";
import { diagnoseScheduledPod } from "./explain-pod-start.js";
import { containerLines } from "./pod-status-view.js";
import type { Cause, Explanation } from "./report.js";
import { eventsFor, findClaim, schedulerView, type ExplainSnapshot } from "./snapshot.js";

export function explainPod(s: ExplainSnapshot, namespace: string, name: string): Explanation {
  const pod = s.pods.find((p) => p.metadata.namespace === namespace && p.metadata.name === name);
  const base = { kind: "Pod" as const, namespace, name };
  if (!pod) return { ...base, found: false, summary: `pod "${name}" not found in namespace "${namespace}"`, facts: [], causes: [], events: [] };
  const phase = pod.status?.phase ?? "Pending";
  const facts: [string, string][] = [
    ["Status", phase],
    ["Node", pod.spec.nodeName || "<none>"],
    ["Claims", podClaimNames(pod).join(", ") || "<none>"],
  ];
  const causes: Cause[] = [];
  const pods = podClaimNames(pod).map((claimName) => {
    const c = findClaim(s, namespace, claimName);
    return { name: claimName, phase: c?.status?.phase ?? "missing", note: c ? `class "${claimClass(c)}", volume ${c.spec.volumeName || "<none>"}` : "does not exist" };
  });
  const events = eventLines(eventsFor(s, "Pod", namespace, name, pod.metadata.uid));
  if (pod.spec.nodeName) {
    const d = diagnoseScheduledPod(s, pod);
    const conditions = (pod.status?.conditions ?? []).map(({ type, status, reason, message }) => ({ type, status, reason, message }));
    return { ...base, found: true, phase, summary: d.summary, facts, pods, containers: containerLines(pod), conditions, causes: d.causes, events };
  }
  const view = schedulerView(s);
  const result = schedulePod(pod, view);
  const nodes: { name: string; verdict: string }[] = [];
  const pre = preFilterVolumes(pod, view);
  for (const node of view.nodes) {
    const r = nodeFilter(pod, node) ?? (pre.ok ? (() => { const v = volumeFilter(pod, node, pre.claims, view); return v.ok ? undefined : v.reason; })() : pre.message);
    nodes.push({ name: node.metadata.name ?? "", verdict: r ?? "fits" });
  }
  if (result.kind === "assign") {
    return { ...base, found: true, phase, summary: `fits node ${result.node}; the scheduler is placing it (volumes are prepared first for WaitForFirstConsumer claims)`, facts, pods, nodes, causes, events };
  }
  // Each claim that holds the pod back gets its own explanation's first cause.
  for (const claimName of podClaimNames(pod)) {
    const c = findClaim(s, namespace, claimName);
    if (!c) {
      causes.push({ id: "claim-missing", message: `claim ${claimName} does not exist`, fixes: [`kubectl get pvc -n ${namespace}`] });
      continue;
    }
    if (c.status?.phase === "Bound") continue;
    const sub = explainClaim(s, namespace, claimName);
    for (const cause of sub.causes) if (cause.id !== "wait-for-first-consumer") causes.push({ ...cause, message: `claim ${claimName}: ${cause.message}` });
  }
  if (causes.length === 0) causes.push({ id: "no-node", message: result.message, fixes: ["kubectl get nodes --show-labels", `kubectl describe pod ${name} -n ${namespace}`] });
  return { ...base, found: true, phase, summary: `unschedulable: ${result.message}`, facts, pods, nodes, causes, events };
}
