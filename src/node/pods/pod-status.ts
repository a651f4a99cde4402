/**
 * The whole API status the node writes for a pod (the kubelet's generateAPIPodStatus): container statuses, phase,
 * conditions, host/pod IPs (pods share the host network, so both are the node's address), startTime and QoS.
 * A terminal phase already in the API is never left; reason and message stay with an unchanged phase.
 */
import { podQOSClass, type Pod, type PodStatus } from "../../api/index.js";
import type { ContainerStatus as RuntimeContainer } from "../runtime/index.js";
import { podConditions } from "./conditions.js";
import { containerStatuses, type WaitingReason } from "./container-statuses.js";
import { podPhase } from "./phase.js";
import { metaTime } from "./time.js";

export interface PodStatusInput {
  pod: Pod;
  containers: RuntimeContainer[];
  waiting: Map<string, WaitingReason>;
  sandboxReady: boolean;
  podIsTerminal: boolean;
  hostIP: string;
  now: Date;
  probes?: (name: string, containerId: string) => { ready?: boolean; started?: boolean };
  /** The node failed the pod (e.g. DeadlineExceeded): phase Failed with this reason and message. */
  failed?: { reason: string; message: string };
}

export function generatePodStatus(i: PodStatusInput): PodStatus {
  const spec = i.pod.spec ?? { containers: [] };
  const old = i.pod.status ?? {};
  const now = metaTime(i.now) as string;
  const init = containerStatuses({ pod: i.pod, specs: spec.initContainers ?? [], isInit: true, containers: i.containers, waiting: i.waiting, podIsTerminal: i.podIsTerminal });
  const regular = containerStatuses({ pod: i.pod, specs: spec.containers ?? [], isInit: false, containers: i.containers, waiting: i.waiting, podIsTerminal: i.podIsTerminal, probes: i.probes });
  let phase = i.failed ? "Failed" : podPhase(spec, [...regular, ...init], i.podIsTerminal);
  if ((old.phase === "Succeeded" || old.phase === "Failed") && phase !== old.phase) phase = old.phase;
  const status: PodStatus = {
    phase,
    conditions: podConditions(spec, old.conditions ?? [], [...init, ...regular], phase, i.sandboxReady && !i.podIsTerminal, now),
    hostIP: i.hostIP,
    hostIPs: [{ ip: i.hostIP }],
    podIP: i.hostIP,
    podIPs: [{ ip: i.hostIP }],
    startTime: old.startTime ?? now,
  };
  if (init.length) status.initContainerStatuses = init;
  status.containerStatuses = regular;
  status.qosClass = old.qosClass ?? podQOSClass(spec);
  if (i.failed) {
    status.reason = i.failed.reason;
    status.message = i.failed.message;
  } else if (phase === old.phase) {
    if (old.reason) status.reason = old.reason;
    if (old.message) status.message = old.message;
  }
  if (old.nominatedNodeName) status.nominatedNodeName = old.nominatedNodeName;
  return status;
}
