/**
 * node/lifecycle: marks nodes whose agent stopped heartbeating as not ready, as kube-controller-manager's node
 * lifecycle controller does. Model: the node agent renews Lease kube-node-lease/<node> every 10 s; a node whose
 * lease (or Ready heartbeat) has not moved for the grace period (50 s) gets its conditions set Unknown
 * (NodeStatusUnknown, "Kubelet stopped posting node status."), the unreachable taints, and its pods' Ready
 * condition set False. When the agent returns it sets Ready True itself and the taints are removed.
 * Invariants: liveness is judged on this controller's own clock; pods are never evicted or deleted.
 */
export { startNodeLifecycleController, type NodeLifecycleController, type NodeLifecycleOptions } from "./controller.js";
export { NODE_MONITOR_GRACE_MS, NOT_READY_TAINT, UNREACHABLE_TAINT, desiredTaints, observeHealth, overdueConditions, type NodeHealth } from "./decide.js";
