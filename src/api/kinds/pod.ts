/**
 * core/v1 Pod. Create resets status to {phase: Pending, qosClass} (plus the SchedulingGated
 * condition when gated); main updates keep status and may only change images, deadlines,
 * tolerations and gates; status updates keep spec and owner references and never change QoS.
 * Served subresources: status, binding, log, exec.
 */
import type { KubeObject } from "../types.js";
import type { PodSpec, PodStatus } from "./pod-types.js";
import { clone, registerKind, STANDARD_VERBS, timestamp, type KindDefinition } from "./kind.js";
import { defaultPod } from "./pod-defaults.js";
import { nameIsDNSSubdomain } from "../validation/names.js";
import { validatePodSpec, validatePodStatusUpdate, validatePodUpdate } from "../validation/pod.js";
import { ageColumn, column, nameColumn } from "../printing/columns.js";
import { podRow } from "../printing/pod-row.js";
import { Quantity } from "../../lib/quantity.js";

export type * from "./pod-types.js";

export interface Pod extends KubeObject {
  spec?: PodSpec;
  status?: PodStatus;
}

/** Upstream's ComputePodQOS over regular and init containers (cpu and memory only). */
export function podQOSClass(spec: PodSpec | undefined): "Guaranteed" | "Burstable" | "BestEffort" {
  const requests = new Map<string, Quantity>();
  const limits = new Map<string, Quantity>();
  let guaranteed = true;
  const add = (m: Map<string, Quantity>, k: string, q: Quantity) => m.set(k, m.has(k) ? (m.get(k) as Quantity).add(q) : q);
  for (const c of [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])]) {
    for (const [name, v] of Object.entries(c?.resources?.requests ?? {})) {
      if (name !== "cpu" && name !== "memory") continue;
      const q = Quantity.tryParse(v);
      if (q && q.sign() > 0) add(requests, name, q);
    }
    const found = new Set<string>();
    for (const [name, v] of Object.entries(c?.resources?.limits ?? {})) {
      if (name !== "cpu" && name !== "memory") continue;
      const q = Quantity.tryParse(v);
      if (q && q.sign() > 0) {
        found.add(name);
        add(limits, name, q);
      }
    }
    if (!found.has("cpu") || !found.has("memory")) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return "BestEffort";
  if (guaranteed) {
    for (const [name, req] of requests) {
      const lim = limits.get(name);
      if (!lim || lim.cmp(req) !== 0) {
        guaranteed = false;
        break;
      }
    }
  }
  return guaranteed && requests.size === limits.size ? "Guaranteed" : "Burstable";
}

export const pods: KindDefinition<Pod> = {
  group: "",
  version: "v1",
  kind: "Pod",
  listKind: "PodList",
  plural: "pods",
  singular: "pod",
  shortNames: ["po"],
  namespaced: true,
  categories: ["all"],
  subresources: ["status", "binding", "log", "exec"],
  verbs: STANDARD_VERBS,
  schemaName: "io.k8s.api.core.v1.Pod",
  validateName: nameIsDNSSubdomain,

  applyDefaults: (pod) => defaultPod(pod),

  prepareForCreate(pod, ctx) {
    pod.status = { phase: "Pending", qosClass: podQOSClass(pod.spec) };
    if ((pod.spec?.schedulingGates ?? []).length > 0) {
      pod.status.conditions = [
        {
          type: "PodScheduled",
          status: "False",
          lastProbeTime: null,
          lastTransitionTime: timestamp(ctx.now),
          reason: "SchedulingGated",
          message: "Scheduling is blocked due to non-empty scheduling gates",
        },
      ];
    }
  },

  prepareForUpdate(pod, old, ctx) {
    if (ctx.subresource === "status") {
      pod.spec = clone(old.spec);
      delete pod.metadata.deletionTimestamp;
      if (old.metadata.deletionTimestamp) pod.metadata.deletionTimestamp = old.metadata.deletionTimestamp;
      if (old.metadata.ownerReferences === undefined) delete pod.metadata.ownerReferences;
      else pod.metadata.ownerReferences = clone(old.metadata.ownerReferences);
      pod.status ??= {};
      if (!pod.status.qosClass && old.status?.qosClass) pod.status.qosClass = old.status.qosClass;
    } else if (ctx.subresource === "binding") {
      // pods/binding writes spec.nodeName and the PodScheduled condition together (upstream's
      // assignPod): a node never sees its pod without the scheduler's condition.
    } else {
      if (old.status === undefined) delete pod.status;
      else pod.status = clone(old.status);
    }
  },

  validateCreate: (pod) => validatePodSpec(pod),
  validateUpdate: (pod, old, ctx) => {
    if (ctx.subresource === "status") return validatePodStatusUpdate(pod, old);
    // pods/binding sets spec.nodeName once; the binding itself was validated (validatePodBinding).
    if (ctx.subresource === "binding") return [];
    return validatePodUpdate(pod, old);
  },

  tableColumns: [
    nameColumn(),
    column("Ready", "Ready containers out of all containers."),
    column("Status", "The pod's overall state, as kubectl summarises it."),
    column("Restarts", "Container restarts, and how long ago the last one was."),
    ageColumn(),
    column("IP", "The pod's IP address.", { priority: 1 }),
    column("Node", "The node the pod runs on.", { priority: 1 }),
    column("Nominated Node", "The node the scheduler nominated by preemption.", { priority: 1 }),
    column("Readiness Gates", "Readiness gates that are true, out of all.", { priority: 1 }),
  ],
  tableRow: (pod, now) => podRow(pod, now),
  fieldSelectors: {
    "spec.nodeName": (p) => p.spec?.nodeName ?? "",
    "spec.restartPolicy": (p) => p.spec?.restartPolicy ?? "",
    "spec.schedulerName": (p) => p.spec?.schedulerName ?? "",
    "spec.serviceAccountName": (p) => p.spec?.serviceAccountName ?? "",
    "spec.hostNetwork": (p) => String(p.spec?.hostNetwork === true),
    "status.phase": (p) => p.status?.phase ?? "",
    "status.podIP": (p) => p.status?.podIPs?.[0]?.ip ?? p.status?.podIP ?? "",
    "status.nominatedNodeName": (p) => p.status?.nominatedNodeName ?? "",
  },
};

export const podKind = registerKind(pods);
