/**
 * The Node a node agent registers and the status it keeps posting, as the kubelet writes them: labels
 * (hostname, os, arch), addresses (InternalIP 127.0.0.1 — pods share the host network — and Hostname),
 * capacity = allocatable (cpu, memory, ephemeral-storage of the root dir's file system, pods 110), nodeInfo
 * (runc://<version> as the container runtime, v1.32.0-cistern as the kubelet), the kubelet API port, and the
 * four conditions with the kubelet's reasons and messages. A condition's lastTransitionTime only moves when its
 * status does; lastHeartbeatTime is the time of this report.
 */
import type { Node, NodeCondition, NodeStatus } from "../../api/index.js";
import { DRIVER_NAME } from "../../csi/index.js";
import { metaTime } from "../pods/time.js";
import type { MachineInfo } from "./machine-info.js";

export const KUBELET_VERSION = "v1.32.0-cistern";
export const MAX_PODS = 110;

export interface NodeIdentity {
  name: string;
  hostIP: string;
  kubeletPort: number;
  runcVersion: string;
  labels?: Record<string, string>;
}

export function nodeLabels(id: NodeIdentity, info: MachineInfo): Record<string, string> {
  return {
    "kubernetes.io/hostname": id.name,
    "kubernetes.io/os": "linux",
    "kubernetes.io/arch": info.architecture,
    "beta.kubernetes.io/os": "linux",
    "beta.kubernetes.io/arch": info.architecture,
    ...(id.labels ?? {}),
  };
}

export function nodeAnnotations(id: NodeIdentity): Record<string, string> {
  return {
    "csi.volume.kubernetes.io/nodeid": JSON.stringify({ [DRIVER_NAME]: id.name }),
    "node.alpha.kubernetes.io/ttl": "0",
    "volumes.kubernetes.io/controller-managed-attach-detach": "true",
  };
}

const READY_CONDITIONS: [string, string, string, string][] = [
  ["MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"],
  ["DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"],
  ["PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"],
  ["Ready", "True", "KubeletReady", "kubelet is posting ready status"],
];

export function nodeConditions(previous: NodeCondition[] | undefined, now: Date): NodeCondition[] {
  const t = metaTime(now) as string;
  return READY_CONDITIONS.map(([type, status, reason, message]) => {
    const old = previous?.find((c) => c.type === type);
    return { type, status, lastHeartbeatTime: t, lastTransitionTime: old && old.status === status && old.lastTransitionTime ? old.lastTransitionTime : t, reason, message };
  });
}

export function nodeStatus(id: NodeIdentity, info: MachineInfo, previous: NodeStatus | undefined, now: Date): NodeStatus {
  const capacity = {
    cpu: String(info.cpus),
    "ephemeral-storage": `${Math.floor(info.fsCapacityBytes / 1024)}Ki`,
    "hugepages-1Gi": "0",
    "hugepages-2Mi": "0",
    memory: `${Math.floor(info.memoryBytes / 1024)}Ki`,
    pods: String(MAX_PODS),
  };
  return {
    capacity,
    allocatable: { ...capacity },
    conditions: nodeConditions(previous?.conditions, now),
    addresses: [
      { type: "InternalIP", address: id.hostIP },
      { type: "Hostname", address: id.name },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: id.kubeletPort } },
    nodeInfo: {
      machineID: info.machineID,
      systemUUID: info.systemUUID,
      bootID: info.bootID,
      kernelVersion: info.kernelVersion,
      osImage: info.osImage,
      containerRuntimeVersion: `runc://${id.runcVersion}`,
      kubeletVersion: KUBELET_VERSION,
      kubeProxyVersion: "",
      operatingSystem: "linux",
      architecture: info.architecture,
    },
  };
}

export function newNode(id: NodeIdentity, info: MachineInfo, now: Date): Node {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name: id.name, labels: nodeLabels(id, info), annotations: nodeAnnotations(id) },
    spec: {},
    status: nodeStatus(id, info, undefined, now),
  };
}

/** Whether a report is due now: a condition's status differs from what the API shows, or the address/port/info changed. */
export function statusNeedsUpdate(current: NodeStatus | undefined, desired: NodeStatus): boolean {
  for (const c of desired.conditions ?? []) {
    const cur = current?.conditions?.find((x) => x.type === c.type);
    if (!cur || cur.status !== c.status || cur.reason !== c.reason) return true;
  }
  const strip = (s: NodeStatus | undefined) => JSON.stringify({ a: s?.addresses, d: s?.daemonEndpoints, n: s?.nodeInfo, c: s?.capacity });
  return strip(current) !== strip(desired);
}
