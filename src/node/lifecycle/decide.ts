/**
 * The node lifecycle decisions (kube-controller-manager's node lifecycle controller), pure:
 *   - a node is healthy while its Lease is renewed (or its Ready heartbeat moves); the time we last saw either
 *     move is its probe time, measured on this controller's clock (immune to skew);
 *   - past the grace period (50 s, the 1.32 default) its MemoryPressure, DiskPressure, PIDPressure and Ready
 *     conditions become Unknown — reason NodeStatusUnknown, "Kubelet stopped posting node status." — keeping
 *     their last heartbeat; conditions the node never posted become Unknown with NodeStatusNeverUpdated;
 *   - taints follow Ready: Unknown → node.kubernetes.io/unreachable, False → node.kubernetes.io/not-ready, each
 *     as NoSchedule and NoExecute; True removes them.
 */
import type { Lease, Node, NodeCondition, Taint } from "../../api/index.js";

export const NODE_MONITOR_GRACE_MS = 50_000;
export const WATCHED_CONDITIONS = ["MemoryPressure", "DiskPressure", "PIDPressure", "Ready"];
export const UNREACHABLE_TAINT = "node.kubernetes.io/unreachable";
export const NOT_READY_TAINT = "node.kubernetes.io/not-ready";

export interface NodeHealth {
  /** Our clock's time when we last saw the node alive. */
  probeTimestamp: number;
  leaseRenewTime?: string;
  readyHeartbeat?: string;
}

/** Update what we know of a node's liveness from its current Node and Lease. */
export function observeHealth(prev: NodeHealth | undefined, node: Node, lease: Lease | undefined, now: number): NodeHealth {
  const renew = lease?.spec?.renewTime;
  const heartbeat = node.status?.conditions?.find((c) => c.type === "Ready")?.lastHeartbeatTime;
  if (!prev) return { probeTimestamp: now, leaseRenewTime: renew, readyHeartbeat: heartbeat };
  const moved = (renew !== undefined && renew !== prev.leaseRenewTime) || (heartbeat !== undefined && heartbeat !== prev.readyHeartbeat);
  return { probeTimestamp: moved ? now : prev.probeTimestamp, leaseRenewTime: renew, readyHeartbeat: heartbeat };
}

/** The conditions to write when the node is overdue, or undefined when nothing changes. */
export function overdueConditions(node: Node, health: NodeHealth, now: number, nowTime: string, graceMs = NODE_MONITOR_GRACE_MS): NodeCondition[] | undefined {
  if (now - health.probeTimestamp <= graceMs) return undefined;
  const current = node.status?.conditions ?? [];
  let changed = false;
  const out = current.filter((c) => !WATCHED_CONDITIONS.includes(c.type)).map((c) => ({ ...c }));
  for (const type of WATCHED_CONDITIONS) {
    const c = current.find((x) => x.type === type);
    if (!c) {
      changed = true;
      out.push({ type, status: "Unknown", reason: "NodeStatusNeverUpdated", message: "Kubelet never posted node status.", lastHeartbeatTime: nowTime, lastTransitionTime: nowTime });
    } else if (c.status !== "Unknown") {
      changed = true;
      out.push({ ...c, status: "Unknown", reason: "NodeStatusUnknown", message: "Kubelet stopped posting node status.", lastTransitionTime: nowTime });
    } else out.push({ ...c });
  }
  return changed ? out : undefined;
}

/** The node's taints with the readiness taints made to match its Ready condition, or undefined if they already do. */
export function desiredTaints(node: Node, nowTime: string): Taint[] | undefined {
  const ready = node.status?.conditions?.find((c) => c.type === "Ready")?.status;
  const want = ready === "Unknown" ? UNREACHABLE_TAINT : ready === "False" ? NOT_READY_TAINT : undefined;
  const current = node.spec?.taints ?? [];
  const others = current.filter((t) => t.key !== UNREACHABLE_TAINT && t.key !== NOT_READY_TAINT);
  const mine = current.filter((t) => t.key === UNREACHABLE_TAINT || t.key === NOT_READY_TAINT);
  const wanted: Taint[] = want
    ? [
        { key: want, effect: "NoSchedule" },
        { key: want, effect: "NoExecute", timeAdded: mine.find((t) => t.key === want && t.effect === "NoExecute")?.timeAdded ?? nowTime },
      ]
    : [];
  const same = mine.length === wanted.length && wanted.every((w) => mine.some((m) => m.key === w.key && m.effect === w.effect));
  return same ? undefined : [...others, ...wanted];
}
