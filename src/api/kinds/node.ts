/**
 * core/v1 Node. Registered by node agents with their status; main updates keep status, status
 * updates keep spec. allocatable defaults to capacity. podCIDR and providerID may only go from
 * unset to set.
 */
import type { FieldError, KubeObject } from "../types.js";
import { duplicate, forbidden, invalid } from "../fields/errors.js";
import type { ResourceList, Taint } from "./core-types.js";
import { registerKind, splitSpecAndStatus, STANDARD_VERBS, type KindDefinition } from "./kind.js";
import { canonicalizeResourceList } from "./quantities.js";
import { nameIsDNSSubdomain, isValidLabelValue } from "../validation/names.js";
import { isObject, nonNegativeQuantity, parseQuantityField } from "../validation/common.js";
import { labelName } from "../validation/selectors.js";
import { notSupported, required } from "../fields/errors.js";
import { jsonEqual } from "../fields/diff.js";
import { ageColumn, column, nameColumn } from "../printing/columns.js";
import { ageSince } from "../printing/duration.js";

export interface NodeSpec {
  podCIDR?: string;
  podCIDRs?: string[];
  providerID?: string;
  unschedulable?: boolean;
  taints?: Taint[];
}

export interface NodeCondition {
  type: string;
  status: string;
  lastHeartbeatTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface NodeStatus {
  capacity?: ResourceList;
  allocatable?: ResourceList;
  phase?: string;
  conditions?: NodeCondition[];
  addresses?: { type: string; address: string }[];
  daemonEndpoints?: { kubeletEndpoint?: { Port: number } };
  nodeInfo?: {
    machineID?: string;
    systemUUID?: string;
    bootID?: string;
    kernelVersion?: string;
    osImage?: string;
    containerRuntimeVersion?: string;
    kubeletVersion?: string;
    kubeProxyVersion?: string;
    operatingSystem?: string;
    architecture?: string;
  };
  images?: { names?: string[]; sizeBytes?: number }[];
  volumesInUse?: string[];
  volumesAttached?: { name: string; devicePath: string }[];
}

export interface Node extends KubeObject {
  spec?: NodeSpec;
  status?: NodeStatus;
}

const TAINT_EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

function isCIDR(s: string): boolean {
  const [ip, bits, extra] = s.split("/");
  if (extra !== undefined || bits === undefined || !/^\d+$/.test(bits)) return false;
  if (ip.includes(":")) return Number(bits) <= 128 && /^[0-9a-fA-F:.]+$/.test(ip);
  const parts = ip.split(".");
  return Number(bits) <= 32 && parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

function validateNode(node: Node): FieldError[] {
  const errs: FieldError[] = [];
  const spec = node.spec ?? {};
  const seen = new Map<string, Set<string>>();
  (spec.taints ?? []).forEach((t, i) => {
    const p = `spec.taints[${i}]`;
    errs.push(...labelName(t.key ?? "", `${p}.key`));
    const msgs = isValidLabelValue(t.value ?? "");
    if (msgs.length > 0) errs.push(invalid(`${p}.value`, t.value ?? "", msgs.join(";")));
    if (!t.effect) errs.push(required(`${p}.effect`));
    else if (!TAINT_EFFECTS.includes(t.effect)) errs.push(notSupported(`${p}.effect`, t.effect, TAINT_EFFECTS));
    const keys = seen.get(t.effect) ?? new Set<string>();
    if (keys.has(t.key)) errs.push({ ...duplicate(p, JSON.stringify(t)), detail: "taints must be unique by key and effect pair" });
    keys.add(t.key);
    seen.set(t.effect, keys);
  });
  (spec.podCIDRs ?? []).forEach((c, i) => {
    if (!isCIDR(c)) errs.push(invalid(`spec.podCIDRs[${i}]`, c, "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"));
  });
  for (const key of ["capacity", "allocatable"] as const) {
    const list = node.status?.[key];
    if (!isObject(list)) continue;
    for (const name of Object.keys(list).sort()) {
      const q = parseQuantityField(list[name], `status.${key}[${name}]`, errs);
      if (q) errs.push(...nonNegativeQuantity(q, `status.${key}[${name}]`));
    }
  }
  return errs;
}

function validateNodeUpdate(node: Node, old: Node): FieldError[] {
  const errs = validateNode(node);
  const oldCIDRs = old.spec?.podCIDRs ?? [];
  if (oldCIDRs.length > 0 && !jsonEqual(oldCIDRs, node.spec?.podCIDRs ?? [])) {
    errs.push(forbidden("spec.podCIDRs", 'node updates may not change podCIDR except from "" to valid'));
  }
  if (old.spec?.providerID && old.spec.providerID !== node.spec?.providerID) {
    errs.push(forbidden("spec.providerID", 'node updates may not change providerID except from "" to valid'));
  }
  return errs;
}

function nodeStatusCell(node: Node): string {
  const ready = (node.status?.conditions ?? []).find((c) => c.type === "Ready");
  const status: string[] = [];
  if (ready) status.push(ready.status === "True" ? "Ready" : "NotReady");
  if (status.length === 0) status.push("Unknown");
  if (node.spec?.unschedulable) status.push("SchedulingDisabled");
  return status.join(",");
}

/** Roles from node-role.kubernetes.io/<role> labels and the legacy kubernetes.io/role label. */
export function nodeRoles(node: Node): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith("node-role.kubernetes.io/")) {
      const role = k.slice("node-role.kubernetes.io/".length);
      if (role) roles.add(role);
    } else if (k === "kubernetes.io/role" && v) {
      roles.add(v);
    }
  }
  return [...roles].sort();
}

function address(node: Node, type: string): string {
  return (node.status?.addresses ?? []).find((a) => a.type === type)?.address ?? "<none>";
}

export const nodes: KindDefinition<Node> = {
  group: "",
  version: "v1",
  kind: "Node",
  listKind: "NodeList",
  plural: "nodes",
  singular: "node",
  shortNames: ["no"],
  namespaced: false,
  categories: [],
  subresources: ["status", "proxy"],
  verbs: STANDARD_VERBS,
  schemaName: "io.k8s.api.core.v1.Node",
  validateName: nameIsDNSSubdomain,

  applyDefaults(node) {
    node.spec ??= {};
    if (node.spec.podCIDR && !(node.spec.podCIDRs ?? []).length) node.spec.podCIDRs = [node.spec.podCIDR];
    else if (!node.spec.podCIDR && node.spec.podCIDRs?.[0]) node.spec.podCIDR = node.spec.podCIDRs[0];
    if (node.status) {
      canonicalizeResourceList(node.status.capacity);
      canonicalizeResourceList(node.status.allocatable);
      if (node.status.capacity && !node.status.allocatable) node.status.allocatable = { ...node.status.capacity };
    }
  },
  prepareForUpdate: (node, old, ctx) => splitSpecAndStatus(node, old, ctx),

  validateCreate: (node) => validateNode(node),
  validateUpdate: (node, old) => validateNodeUpdate(node, old),

  tableColumns: [
    nameColumn(),
    column("Status", "The status of the node"),
    column("Roles", "The roles of the node"),
    ageColumn(),
    column("Version", "Kubelet version the node reports."),
    column("Internal-IP", "First internal address.", { priority: 1 }),
    column("External-IP", "First external address.", { priority: 1 }),
    column("OS-Image", "Operating system image.", { priority: 1 }),
    column("Kernel-Version", "Kernel version.", { priority: 1 }),
    column("Container-Runtime", "Container runtime and version.", { priority: 1 }),
  ],
  tableRow(node, now) {
    const info = node.status?.nodeInfo ?? {};
    const roles = nodeRoles(node).join(",");
    return [
      node.metadata.name ?? "",
      nodeStatusCell(node),
      roles || "<none>",
      ageSince(node.metadata.creationTimestamp, now),
      info.kubeletVersion ?? "",
      address(node, "InternalIP"),
      address(node, "ExternalIP"),
      info.osImage || "<unknown>",
      info.kernelVersion || "<unknown>",
      info.containerRuntimeVersion || "<unknown>",
    ];
  },
  fieldSelectors: { "spec.unschedulable": (node) => String(node.spec?.unschedulable === true) },
};

export const nodeKind = registerKind(nodes);
