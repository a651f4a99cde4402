/**
 * Pod validation: upstream's ValidatePodSpec (volumes, containers, policies, names), the pod
 * update rule (only images, activeDeadlineSeconds, added tolerations, removed scheduling gates
 * and a negative→1 grace period may change), and ValidatePodStatusUpdate.
 */
import type { FieldError } from "../types.js";
import { duplicate, forbidden, invalid, notSupported, required } from "../fields/errors.js";
import { jsonDiff, jsonEqual } from "../fields/diff.js";
import type { Pod } from "../kinds/pod.js";
import type { PodSpec, ContainerStatus } from "../kinds/pod-types.js";
import type { Toleration } from "../kinds/core-types.js";
import type { VolumeSource } from "../kinds/volume-types.js";
import { clone } from "../kinds/kind.js";
import { dns1123Label, dns1123Subdomain, isObject, nonNegative } from "./common.js";
import { validateContainers, validateInitContainers } from "./containers.js";
import { validateLabels } from "./object-meta.js";
import { labelName, validateNodeSelector, validateNodeSelectorTerm } from "./selectors.js";
import { validatePodVolumeSource } from "./volume-sources.js";
import { validatePersistentVolumeClaimSpec } from "./persistent-volume-claim.js";
import { isValidLabelValue, isDNS1123Subdomain } from "./names.js";

const MAX_INT32 = 2147483647;
const RESTART_POLICIES = ["Always", "OnFailure", "Never"];
const DNS_POLICIES = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"];
const TAINT_EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

/** Pod volume sources in upstream's checking order. */
export const POD_VOLUME_SOURCES: (keyof VolumeSource)[] = [
  "hostPath",
  "emptyDir",
  "gitRepo",
  "gcePersistentDisk",
  "awsElasticBlockStore",
  "secret",
  "nfs",
  "iscsi",
  "glusterfs",
  "flocker",
  "persistentVolumeClaim",
  "rbd",
  "cinder",
  "cephfs",
  "downwardAPI",
  "fc",
  "flexVolume",
  "configMap",
  "azureFile",
  "vsphereVolume",
  "quobyte",
  "azureDisk",
  "photonPersistentDisk",
  "portworxVolume",
  "projected",
  "scaleIO",
  "storageos",
  "csi",
  "ephemeral",
  "image",
];

const UPDATABLE_POD_SPEC_FIELDS = [
  "`spec.containers[*].image`",
  "`spec.initContainers[*].image`",
  "`spec.activeDeadlineSeconds`",
  "`spec.tolerations` (only additions to existing tolerations)",
  "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
].join(",");

/** ValidateVolumes: returns the names of valid volumes (mounts may only name those). */
function validateVolumes(pod: Pod, errs: FieldError[]): Set<string> {
  const names = new Set<string>();
  const volumes = Array.isArray(pod.spec?.volumes) ? pod.spec.volumes : [];
  const podName = pod.metadata?.name ?? "";
  const createdClaims = new Set(podName ? volumes.filter((v) => v?.ephemeral).map((v) => `${podName}-${v.name}`) : []);
  volumes.forEach((raw, i) => {
    const p = `spec.volumes[${i}]`;
    const vol = (isObject(raw) ? raw : {}) as Record<string, unknown> & { name?: string };
    const el: FieldError[] = [];
    let numVolumes = 0;
    for (const key of POD_VOLUME_SOURCES) {
      if (vol[key] === undefined || vol[key] === null) continue;
      if (numVolumes > 0) {
        el.push(forbidden(`${p}.${key}`, "may not specify more than 1 volume type"));
        continue;
      }
      numVolumes++;
      el.push(...validatePodVolumeSource(key, vol[key], `${p}.${key}`, validatePersistentVolumeClaimSpec));
    }
    if (numVolumes === 0) el.push(required(p, "must specify a volume type"));
    const name = typeof vol.name === "string" ? vol.name : "";
    if (!name) el.push(required(`${p}.name`));
    else el.push(...dns1123Label(name, `${p}.name`));
    if (names.has(name)) el.push(duplicate(`${p}.name`, name));
    if (el.length === 0) names.add(name);
    else errs.push(...el);
    const claim = isObject(vol.persistentVolumeClaim) ? String(vol.persistentVolumeClaim.claimName ?? "") : "";
    if (claim && createdClaims.has(claim)) {
      errs.push(invalid(`${p}.persistentVolumeClaim.claimName`, claim, "must not reference a PVC that gets created for an ephemeral volume"));
    }
  });
  return names;
}

export function validateTolerations(tolerations: Toleration[] | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  (tolerations ?? []).forEach((t, i) => {
    const p = `${field}[${i}]`;
    if (t.key) errs.push(...labelName(t.key, `${p}.key`));
    if (!t.key && t.operator !== "Exists") {
      errs.push(invalid(`${p}.operator`, t.operator ?? "", 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && t.effect !== "NoExecute") {
      errs.push(invalid(`${p}.effect`, t.effect ?? "", "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    if (t.operator === "Equal" || !t.operator) {
      const msgs = isValidLabelValue(t.value ?? "");
      if (msgs.length > 0) errs.push(invalid(`${p}.operator`, t.value ?? "", msgs.join(";")));
    } else if (t.operator === "Exists") {
      if (t.value) errs.push(invalid(`${p}.operator`, JSON.stringify(t), "value must be empty when `operator` is 'Exists'"));
    } else {
      errs.push(notSupported(`${p}.operator`, t.operator, ["Equal", "Exists"]));
    }
    if (t.effect && !TAINT_EFFECTS.includes(t.effect)) errs.push(notSupported(`${p}.effect`, t.effect, TAINT_EFFECTS));
  });
  return errs;
}

export function validatePodSpec(pod: Pod): FieldError[] {
  const spec = (pod.spec ?? {}) as PodSpec;
  const errs: FieldError[] = [];
  if (spec.terminationGracePeriodSeconds === undefined || spec.terminationGracePeriodSeconds === null) {
    errs.push(required("spec.terminationGracePeriodSeconds", "must be set if PodSpec is being validated"));
  }
  const volumeNames = validateVolumes(pod, errs);
  errs.push(...validateContainers(spec.containers, volumeNames, "spec.containers"));
  errs.push(...validateInitContainers(spec.initContainers, spec.containers, volumeNames, "spec.initContainers"));
  if (!spec.restartPolicy) errs.push(required("spec.restartPolicy"));
  else if (!RESTART_POLICIES.includes(spec.restartPolicy)) errs.push(notSupported("spec.restartPolicy", spec.restartPolicy, RESTART_POLICIES));
  if (!spec.dnsPolicy) errs.push(required("spec.dnsPolicy"));
  else if (!DNS_POLICIES.includes(spec.dnsPolicy)) errs.push(notSupported("spec.dnsPolicy", spec.dnsPolicy, DNS_POLICIES));
  errs.push(...validateLabels(spec.nodeSelector, "spec.nodeSelector"));
  (spec.imagePullSecrets ?? []).forEach((s, i) => {
    if (!s?.name) errs.push(required(`spec.imagePullSecrets[${i}].name`));
  });
  const required_ = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (required_) errs.push(...validateNodeSelector(required_, "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution"));
  (spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).forEach((term, i) => {
    const p = `spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
    if (typeof term.weight !== "number" || term.weight < 1 || term.weight > 100) errs.push(invalid(`${p}.weight`, term.weight ?? 0, "must be in the range 1-100"));
    errs.push(...validateNodeSelectorTerm(term.preference ?? {}, `${p}.preference`));
  });
  if (spec.dnsPolicy === "None") {
    if (!spec.dnsConfig) errs.push(required("spec.dnsConfig", "must provide `dnsConfig` when `dnsPolicy` is None"));
    else if ((spec.dnsConfig.nameservers ?? []).length === 0) {
      errs.push(required("spec.dnsConfig.nameservers", "must provide at least one DNS nameserver when `dnsPolicy` is None"));
    }
  }
  (spec.readinessGates ?? []).forEach((g, i) => errs.push(...labelName(g?.conditionType ?? "", `spec.readinessGates[${i}].conditionType`)));
  const gates = new Set<string>();
  (spec.schedulingGates ?? []).forEach((g, i) => {
    errs.push(...labelName(g?.name ?? "", `spec.schedulingGates[${i}].name`));
    if (gates.has(g?.name)) errs.push(duplicate(`spec.schedulingGates[${i}]`, g.name));
    gates.add(g?.name);
  });
  if (spec.serviceAccountName) errs.push(...dns1123Subdomain(spec.serviceAccountName, "spec.serviceAccountName"));
  if (spec.nodeName) errs.push(...dns1123Subdomain(spec.nodeName, "spec.nodeName"));
  if (spec.nodeName && (spec.schedulingGates ?? []).length > 0) {
    errs.push(forbidden("spec.nodeName", "cannot be set until all schedulingGates have been cleared"));
  }
  if (spec.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds !== null) {
    const v = spec.activeDeadlineSeconds;
    if (v < 1 || v > MAX_INT32) errs.push(invalid("spec.activeDeadlineSeconds", v, `must be between 1 and ${MAX_INT32}, inclusive`));
  }
  if (spec.hostname) errs.push(...dns1123Label(spec.hostname, "spec.hostname"));
  if (spec.subdomain) errs.push(...dns1123Label(spec.subdomain, "spec.subdomain"));
  errs.push(...validateTolerations(spec.tolerations, "spec.tolerations"));
  if (spec.priorityClassName) errs.push(...isDNS1123Subdomain(spec.priorityClassName).map((m) => invalid("spec.priorityClassName", spec.priorityClassName, m)));
  if (spec.runtimeClassName) errs.push(...dns1123Subdomain(spec.runtimeClassName, "spec.runtimeClassName"));
  if (spec.preemptionPolicy && !["Never", "PreemptLowerPriority"].includes(spec.preemptionPolicy)) {
    errs.push(notSupported("spec.preemptionPolicy", spec.preemptionPolicy, ["Never", "PreemptLowerPriority"]));
  }
  const sc = spec.securityContext;
  if (sc) {
    errs.push(...nonNegative(sc.runAsUser, "spec.securityContext.runAsUser"));
    errs.push(...nonNegative(sc.runAsGroup, "spec.securityContext.runAsGroup"));
    errs.push(...nonNegative(sc.fsGroup, "spec.securityContext.fsGroup"));
    if (sc.fsGroupChangePolicy && !["Always", "OnRootMismatch"].includes(sc.fsGroupChangePolicy)) {
      errs.push(notSupported("spec.securityContext.fsGroupChangePolicy", sc.fsGroupChangePolicy, ["OnRootMismatch", "Always"]));
    }
  }
  return errs;
}

function validateContainerUpdates(now: unknown, before: unknown, field: string): { errs: FieldError[]; stop: boolean } {
  const a = Array.isArray(now) ? now : [];
  const b = Array.isArray(before) ? before : [];
  if (a.length !== b.length) return { errs: [forbidden(field, "pod updates may not add or remove containers")], stop: true };
  const errs: FieldError[] = [];
  a.forEach((c, i) => {
    const image = typeof c?.image === "string" ? c.image : "";
    if (!image) errs.push(required(`${field}[${i}].image`));
    if (image.trim().length !== image.length) errs.push(invalid(`${field}[${i}].image`, image, "must not have leading or trailing whitespace"));
  });
  return { errs, stop: false };
}

function sameToleration(a: Toleration, b: Toleration): boolean {
  return (a.key ?? "") === (b.key ?? "") && (a.operator || "Equal") === (b.operator || "Equal") && (a.value ?? "") === (b.value ?? "") && (a.effect ?? "") === (b.effect ?? "");
}

function validateOnlyAddedTolerations(now: Toleration[] | undefined, before: Toleration[] | undefined): FieldError[] {
  const errs: FieldError[] = [];
  for (const old of before ?? []) {
    const kept = (now ?? []).find((t) => sameToleration(t, old));
    if (!kept) {
      errs.push(forbidden("spec.tolerations", "existing toleration can not be modified except its tolerationSeconds"));
      return errs;
    }
    if (old.tolerationSeconds !== undefined && old.tolerationSeconds !== null) {
      const ns = kept.tolerationSeconds;
      if (ns === undefined || ns === null || ns > old.tolerationSeconds) {
        errs.push(forbidden("spec.tolerations", "existing toleration can not be modified except its tolerationSeconds"));
        return errs;
      }
    }
  }
  return errs;
}

/** The pod update rule (spec part); metadata rules are the server's validateObjectMeta. */
export function validatePodUpdate(pod: Pod, old: Pod): FieldError[] {
  const errs = validatePodSpec(pod);
  const spec = (pod.spec ?? {}) as PodSpec;
  const oldSpec = (old.spec ?? {}) as PodSpec;
  for (const [key, path] of [
    ["containers", "spec.containers"],
    ["initContainers", "spec.initContainers"],
  ] as const) {
    const r = validateContainerUpdates(spec[key], oldSpec[key], path);
    errs.push(...r.errs);
    if (r.stop) return errs;
  }
  if (spec.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds !== null) {
    const v = spec.activeDeadlineSeconds;
    if (v < 0 || v > MAX_INT32) {
      errs.push(invalid("spec.activeDeadlineSeconds", v, `must be between 0 and ${MAX_INT32}, inclusive`));
      return errs;
    }
    if (oldSpec.activeDeadlineSeconds !== undefined && oldSpec.activeDeadlineSeconds !== null && oldSpec.activeDeadlineSeconds < v) {
      errs.push(invalid("spec.activeDeadlineSeconds", v, "must be less than or equal to previous value"));
      return errs;
    }
  } else if (oldSpec.activeDeadlineSeconds !== undefined && oldSpec.activeDeadlineSeconds !== null) {
    errs.push(invalid("spec.activeDeadlineSeconds", null, "must not update from a positive integer to nil value"));
  }
  errs.push(...validateOnlyAddedTolerations(spec.tolerations, oldSpec.tolerations));
  const oldGates = new Set((oldSpec.schedulingGates ?? []).map((g) => g.name));
  if ((spec.schedulingGates ?? []).some((g) => !oldGates.has(g.name))) {
    errs.push(forbidden("spec.schedulingGates", "only deletion is allowed, but found new scheduling gate"));
  }
  if (jsonEqual(spec, oldSpec)) return errs;

  const munged = clone(spec) as PodSpec;
  (munged.containers ?? []).forEach((c, i) => (c.image = oldSpec.containers?.[i]?.image));
  (munged.initContainers ?? []).forEach((c, i) => (c.image = oldSpec.initContainers?.[i]?.image));
  setOrDelete(munged, "activeDeadlineSeconds", oldSpec.activeDeadlineSeconds);
  setOrDelete(munged, "schedulingGates", oldSpec.schedulingGates);
  setOrDelete(munged, "tolerations", oldSpec.tolerations);
  if ((oldSpec.terminationGracePeriodSeconds ?? 0) < 0 && munged.terminationGracePeriodSeconds === 1) {
    munged.terminationGracePeriodSeconds = oldSpec.terminationGracePeriodSeconds;
  }
  if ((oldSpec.schedulingGates ?? []).length > 0) {
    // Gated pods may gain nodeSelector entries and narrow required node affinity.
    const oldSel = oldSpec.nodeSelector ?? {};
    const kept = Object.entries(oldSel).every(([k, v]) => munged.nodeSelector?.[k] === v);
    if (kept) setOrDelete(munged, "nodeSelector", oldSpec.nodeSelector);
  }
  if (!jsonEqual(munged, oldSpec)) {
    errs.push(forbidden("spec", `pod updates may not change fields other than ${UPDATABLE_POD_SPEC_FIELDS}\n${jsonDiff(oldSpec, munged, "spec")}`));
  }
  return errs;
}

function setOrDelete<K extends keyof PodSpec>(spec: PodSpec, key: K, value: PodSpec[K] | undefined): void {
  if (value === undefined) delete spec[key];
  else spec[key] = clone(value) as PodSpec[K];
}

function validateStateTransition(now: ContainerStatus[] | undefined, before: ContainerStatus[] | undefined, field: string, restartPolicy: string | undefined): FieldError[] {
  if (restartPolicy === "Always") return [];
  const errs: FieldError[] = [];
  (before ?? []).forEach((old, i) => {
    const term = old.state?.terminated;
    if (!term) return;
    if (term.exitCode !== 0 && restartPolicy === "OnFailure") return;
    for (const s of now ?? []) {
      if (s.name === old.name && !s.state?.terminated) errs.push(forbidden(`${field}[${i}].state`, "may not be transitioned to non-terminated state"));
    }
  });
  return errs;
}

function isIP(s: string): boolean {
  if (/^(\d{1,3})(\.\d{1,3}){3}$/.test(s)) return s.split(".").every((p) => Number(p) <= 255 && String(Number(p)) === p);
  return /^[0-9a-fA-F:.]+$/.test(s) && s.includes(":");
}

/** ValidatePodStatusUpdate (after the status strategy kept the old spec). */
export function validatePodStatusUpdate(pod: Pod, old: Pod): FieldError[] {
  const errs: FieldError[] = [];
  const status = pod.status ?? {};
  (status.conditions ?? []).forEach((c, i) => {
    errs.push(...labelName(c?.type ?? "", `metadata.conditions[${i}].type`));
  });
  if ((pod.spec?.nodeName ?? "") !== (old.spec?.nodeName ?? "")) errs.push(forbidden("status.nodeName", "may not be changed directly"));
  if (status.nominatedNodeName && status.nominatedNodeName !== (old.status?.nominatedNodeName ?? "")) {
    errs.push(...dns1123Subdomain(status.nominatedNodeName, "status.nominatedNodeName"));
  }
  if (old.status?.qosClass && status.qosClass !== old.status.qosClass) errs.push(invalid("status.qosClass", status.qosClass ?? "", "field is immutable"));
  const restartPolicy = old.spec?.restartPolicy;
  errs.push(...validateStateTransition(status.containerStatuses, old.status?.containerStatuses, "status.containerStatuses", restartPolicy));
  errs.push(...validateStateTransition(status.initContainerStatuses, old.status?.initContainerStatuses, "status.initContainerStatuses", restartPolicy));
  (status.podIPs ?? []).forEach((ip, i) => {
    if (!isIP(ip?.ip ?? "")) errs.push(invalid(`status.podIPs[${i}]`, ip?.ip ?? "", "must be a valid IP address"));
  });
  (status.hostIPs ?? []).forEach((ip, i) => {
    if (!isIP(ip?.ip ?? "")) errs.push(invalid(`status.hostIPs[${i}]`, ip?.ip ?? "", "must be a valid IP address"));
  });
  return errs;
}

/**
 * ValidatePodBinding, for POST pods/<name>/binding: the target must be a Node (or kind "") with
 * a name. The server then sets spec.nodeName (once).
 */
export function validatePodBinding(binding: { target?: { kind?: string; name?: string } }): FieldError[] {
  const errs: FieldError[] = [];
  const target = binding.target ?? {};
  if (target.kind && target.kind !== "Node") errs.push(notSupported("target.kind", target.kind, ["Node", "<empty>"]));
  if (!target.name) errs.push(required("target.name"));
  return errs;
}
