/**
 * node: the node agent — Cistern's kubelet. Pods bound to a node really run: volumes first (claims through the
 * EFS CSI driver's NodePublishVolume, emptyDir, configMap, secret, downwardAPI, projected; subPath opened without
 * following links), then each container with runc from an OCI bundle; logs and exec are served to the API server
 * over the kubelet API; volume usage is exported as Summary API and Prometheus metrics.
 *
 * Model
 *   Node          registered with the kubelet's labels, addresses, capacity, nodeInfo and conditions; a Lease in
 *                 kube-node-lease renewed every 10 s (40 s duration); a CSINode listing efs.csi.aws.com. The
 *                 lifecycle controller (./lifecycle) marks nodes whose lease stops NotReady (Unknown).
 *   Pods          an informer on spec.nodeName=<node>; per-pod workers keyed by uid reconcile level-based:
 *                 volumes → plan (init containers in order, starts, restarts with the kubelet's 10 s…5 min
 *                 back-off) → status through the status subresource with upstream's phase, conditions and
 *                 container statuses. A 1 s relist of the runtime notices exits. Probes (exec, httpGet,
 *                 tcpSocket) decide started/ready and restart unhealthy containers; postStart / preStop hooks
 *                 run (exec, httpGet, sleep); activeDeadlineSeconds fails the pod.
 *   Deletion      preStop, SIGTERM, the grace period, SIGKILL, final status, containers and sandbox removed, volumes
 *                 unpublished/unmounted, then DELETE with gracePeriodSeconds 0.
 *   Restart       all state is on disk (runtime records, CSI publish records, pod directories) or in the API: a
 *                 new agent over the same rootDir adopts running containers and mounts; pods that disappeared
 *                 meanwhile are cleaned up; nothing running is restarted. A container the old agent created but
 *                 died before starting (abandoned) is removed and created again under the same attempt number:
 *                 its first start, whatever restartPolicy says (the kubelet restarts created containers). A
 *                 `waiting` container status always has a reason (ContainerCreating while a container is made).
 *
 * Invariants
 *   - Paths from the API become path components only after pattern checks (uids, volume and PV names); user
 *     subPaths reach the disk only through safe-path in the runtime; log files are opened O_NOFOLLOW.
 *   - Pod directories are deleted with removeTreeBeneath, which never crosses a mount: a volume that failed to
 *     unmount is left in place, never emptied.
 *   - A pod's status is computed from the very copy it is written over (a conflict re-reads, backs off and
 *     computes again) and written only when it changed: PodScheduled is the scheduler's, copied, and unchanged
 *     conditions keep their transition times, so a running pod that does nothing is never rewritten.
 *   - Single-writer claims are double-checked on the node (ReadWriteOncePod: one pod; ReadWriteOnce: one node).
 *   - The kubelet API accepts only callers with a client certificate from the cluster CA whose CN is
 *     cistern:apiserver.
 *   - runc's version is checked at start; known mount-escape vulnerabilities are logged loudly, reported as a
 *     Warning event on the Node, and listed in `warnings`.
 */
export { startNodeAgent, type NodeAgent } from "./agent.js";
export { startNodeAgents, type NodeAgents, type NodeAgentsOptions } from "./agents.js";
export type { NodeAgentOptions, NodeCsiConfig, StopOptions } from "./options.js";
export { nodeRootDir, defaultNodeNames } from "./layout.js";
export { APISERVER_CLIENT_CN } from "./server/kubelet-server.js";
export { KUBELET_VERSION } from "./registration/node-object.js";
export { LEASE_DURATION_SECONDS } from "./registration/lease-renewer.js";
export { startNodeLifecycleController, NODE_MONITOR_GRACE_MS, type NodeLifecycleController, type NodeLifecycleOptions } from "./lifecycle/index.js";
export { importNodeImage, listNodeImages, nodeRootDirs } from "./images.js";
export { createRuntime, type Runtime, type ImageInfo, type ImageProgress } from "./runtime/index.js";
