/**
 * The kubelet-owned pod conditions (status/generate.go), in the order the kubelet writes them:
 * PodReadyToStartContainers, Initialized, Ready, ContainersReady, PodScheduled. Conditions owned by others are
 * kept; a condition's lastTransitionTime only moves when its status changes.
 *
 * PodScheduled belongs to the scheduler (the binding writes it, with the scheduler's clock): a True one in the
 * API is copied as it is, never recomputed — a node computing its own time for it fights the binding's write
 * whenever the two clocks fall on either side of a second. Only a pod bound with no PodScheduled True (created
 * with spec.nodeName) gets one from the node, and from then on the API's copy is kept.
 */
import type { ContainerStatus, PodCondition, PodSpec } from "../../api/index.js";

export const KUBELET_CONDITIONS = ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"];

type Phase = "Pending" | "Running" | "Succeeded" | "Failed";

function list(names: string[]): string {
  return `[${names.join(" ")}]`;
}

function cond(type: string, status: boolean, reason?: string, message?: string): PodCondition {
  const c: PodCondition = { type, status: status ? "True" : "False" };
  if (reason) c.reason = reason;
  if (message) c.message = message;
  return c;
}

export function containersReadyCondition(spec: PodSpec, statuses: ContainerStatus[], phase: Phase): PodCondition {
  if (phase === "Succeeded" || phase === "Failed") {
    const unknown = (spec.containers ?? []).some((c) => !statuses.find((s) => s.name === c.name));
    if (phase === "Failed" || !unknown) return cond("ContainersReady", false, phase === "Failed" ? "PodFailed" : "PodCompleted");
  }
  const unknown: string[] = [];
  const unready: string[] = [];
  for (const c of spec.containers ?? []) {
    const s = statuses.find((x) => x.name === c.name);
    if (!s) unknown.push(c.name);
    else if (!s.ready) unready.push(c.name);
  }
  const msgs: string[] = [];
  if (unknown.length) msgs.push(`containers with unknown status: ${list(unknown)}`);
  if (unready.length) msgs.push(`containers with unready status: ${list(unready)}`);
  if (msgs.length) return cond("ContainersReady", false, "ContainersNotReady", msgs.join(", "));
  return cond("ContainersReady", true);
}

export function readyCondition(spec: PodSpec, conditions: PodCondition[], statuses: ContainerStatus[], phase: Phase): PodCondition {
  const cr = containersReadyCondition(spec, statuses, phase);
  if (cr.status !== "True") return { ...cr, type: "Ready" };
  const msgs: string[] = [];
  for (const g of spec.readinessGates ?? []) {
    const c = conditions.find((x) => x.type === g.conditionType);
    if (!c) msgs.push(`corresponding condition of pod readiness gate "${g.conditionType}" does not exist.`);
    else if (c.status !== "True") msgs.push(`the status of pod readiness gate "${g.conditionType}" is not "True", but ${c.status}`);
  }
  if (msgs.length) return cond("Ready", false, "ReadinessGatesNotReady", msgs.join(", "));
  return cond("Ready", true);
}

export function initializedCondition(spec: PodSpec, statuses: ContainerStatus[], phase: Phase): PodCondition {
  const unknown: string[] = [];
  const incomplete: string[] = [];
  for (const c of spec.initContainers ?? []) {
    const s = statuses.find((x) => x.name === c.name);
    if (!s) unknown.push(c.name);
    else if (!s.ready) incomplete.push(c.name);
  }
  if (phase === "Succeeded" && unknown.length === 0) return cond("Initialized", true, "PodCompleted");
  const regularStarted = (spec.containers ?? []).some((c) => {
    const s = statuses.find((x) => x.name === c.name);
    return !!s?.state?.running || !!s?.state?.terminated || !!s?.lastState?.terminated;
  });
  if (regularStarted) return cond("Initialized", true);
  const msgs: string[] = [];
  if (unknown.length) msgs.push(`containers with unknown status: ${list(unknown)}`);
  if (incomplete.length) msgs.push(`containers with incomplete status: ${list(incomplete)}`);
  if (msgs.length) return cond("Initialized", false, "ContainersNotInitialized", msgs.join(", "));
  return cond("Initialized", true);
}

/**
 * All conditions for the new status: others' conditions from `previous` first (unchanged), then the kubelet's.
 * lastTransitionTime comes from `previous` when the status did not change, else `now`.
 */
export function podConditions(
  spec: PodSpec,
  previous: PodCondition[],
  statuses: ContainerStatus[],
  phase: Phase,
  sandboxReady: boolean,
  now: string,
): PodCondition[] {
  const out = previous.filter((c) => !KUBELET_CONDITIONS.includes(c.type)).map((c) => ({ ...c }));
  const mine = [
    cond("PodReadyToStartContainers", sandboxReady),
    initializedCondition(spec, statuses, phase),
  ];
  mine.push(readyCondition(spec, [...out, ...mine], statuses, phase));
  mine.push(containersReadyCondition(spec, statuses, phase));
  mine.push(cond("PodScheduled", true));
  for (const c of mine) {
    const old = previous.find((p) => p.type === c.type);
    if (c.type === "PodScheduled" && old?.status === "True") {
      out.push({ ...old });
      continue;
    }
    c.lastProbeTime = null;
    c.lastTransitionTime = old && old.status === c.status && old.lastTransitionTime ? old.lastTransitionTime : now;
    out.push(c);
  }
  return out;
}
