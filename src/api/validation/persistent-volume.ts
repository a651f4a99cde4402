/**
 * PersistentVolume validation: upstream's ValidatePersistentVolumeSpec / ValidatePersistentVolumeUpdate
 * (pkg/apis/core/validation) and the mount-option annotation rule of pkg/volume/validation, with
 * their field paths and messages — including upstream's own quirks ("cephFS" in the one-source
 * message, "volumeMode" without "spec." on update).
 */
import type { FieldError } from "../types.js";
import { forbidden, notSupported, required } from "../fields/errors.js";
import { jsonDiff, jsonEqual } from "../fields/diff.js";
import type { PersistentVolume } from "../kinds/persistent-volume.js";
import type { PersistentVolumeSource } from "../kinds/volume-types.js";
import { basicResource, dns1123Label, dns1123Subdomain, goResourceList, immutableField, isObject, parseQuantityField, positiveQuantity } from "./common.js";
import { validateNodeSelector } from "./selectors.js";
import { validateCSIDriverName, validateHostPath, validateLocalSource, validateNFS } from "./volume-sources.js";
import { isDNS1123Subdomain } from "./names.js";
import { invalid } from "../fields/errors.js";

export const SUPPORTED_ACCESS_MODES = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"];
const SUPPORTED_RECLAIM_POLICIES = ["Delete", "Recycle", "Retain"];
export const SUPPORTED_VOLUME_MODES = ["Block", "Filesystem"];
const MOUNT_OPTION_ANNOTATION = "volume.beta.kubernetes.io/mount-options";

/**
 * PV sources in upstream's checking order, with the field name upstream puts in the
 * "may not specify more than 1 volume type" error (not always the JSON name).
 */
const PV_SOURCES: [keyof PersistentVolumeSource, string][] = [
  ["hostPath", "hostPath"],
  ["gcePersistentDisk", "gcePersistentDisk"],
  ["awsElasticBlockStore", "awsElasticBlockStore"],
  ["glusterfs", "glusterfs"],
  ["flocker", "flocker"],
  ["nfs", "nfs"],
  ["rbd", "rbd"],
  ["quobyte", "quobyte"],
  ["cephfs", "cephFS"],
  ["iscsi", "iscsi"],
  ["cinder", "cinder"],
  ["fc", "fc"],
  ["flexVolume", "flexVolume"],
  ["azureFile", "azureFile"],
  ["vsphereVolume", "vsphereVolume"],
  ["photonPersistentDisk", "photonPersistentDisk"],
  ["portworxVolume", "portworxVolume"],
  ["azureDisk", "azureDisk"],
  ["scaleIO", "scaleIO"],
  ["local", "local"],
  ["storageos", "storageos"],
  ["csi", "csi"],
];

/** The source fields of a PV spec, for the immutability check. */
export function persistentVolumeSourceOf(spec: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key] of PV_SOURCES) if (spec?.[key] !== undefined && spec[key] !== null) out[key] = spec[key];
  return out;
}

export function validateAccessModes(modes: unknown, field: string, requiredDetail: string): FieldError[] {
  const errs: FieldError[] = [];
  const list = Array.isArray(modes) ? (modes as string[]) : [];
  if (list.length === 0) errs.push(required(field, requiredDetail));
  let rwop = false;
  let other = false;
  for (const mode of list) {
    if (!SUPPORTED_ACCESS_MODES.includes(mode)) errs.push(notSupported(field, mode, SUPPORTED_ACCESS_MODES));
    if (mode === "ReadWriteOncePod") rwop = true;
    else if (SUPPORTED_ACCESS_MODES.includes(mode)) other = true;
  }
  if (rwop && other) errs.push(forbidden(field, "may not use ReadWriteOncePod with other access modes"));
  return errs;
}

function validateCSISource(csi: Record<string, unknown>, field: string): FieldError[] {
  const errs = validateCSIDriverName(typeof csi.driver === "string" ? csi.driver : "", `${field}.driver`);
  if (!csi.volumeHandle) errs.push(required(`${field}.volumeHandle`));
  for (const ref of ["controllerPublishSecretRef", "controllerExpandSecretRef", "nodePublishSecretRef", "nodeExpandSecretRef", "nodeStageSecretRef"]) {
    const r = csi[ref];
    if (!isObject(r)) continue;
    // nodeStageSecretRef is validated the same way upstream (validatePVSecretReference).
    const name = typeof r.name === "string" ? r.name : "";
    const ns = typeof r.namespace === "string" ? r.namespace : "";
    if (!name) errs.push(required(`${field}.${ref}.name`));
    else errs.push(...dns1123Subdomain(name, `${field}.${ref}.name`));
    if (!ns) errs.push(required(`${field}.${ref}.namespace`));
    else errs.push(...dns1123Label(ns, `${field}.${ref}.namespace`));
  }
  return errs;
}

export function validatePersistentVolumeSpec(pv: PersistentVolume): FieldError[] {
  const spec = (pv.spec ?? {}) as PersistentVolume["spec"] & Record<string, unknown>;
  const errs: FieldError[] = [];
  errs.push(...validateAccessModes(spec.accessModes, "spec.accessModes", ""));

  const capacity = isObject(spec.capacity) ? (spec.capacity as Record<string, unknown>) : {};
  const capKeys = Object.keys(capacity).sort();
  if (capKeys.length === 0) errs.push(required("spec.capacity"));
  if (!("storage" in capacity) || capKeys.length > 1) {
    errs.push(notSupported("spec.capacity", goResourceList(isObject(spec.capacity) ? capacity : undefined), ["storage"]));
  }
  for (const r of capKeys) {
    const q = parseQuantityField(capacity[r], `spec.capacity[${r}]`, errs);
    if (!q) continue;
    errs.push(...basicResource(q, `spec.capacity[${r}]`));
    errs.push(...positiveQuantity(q, `spec.capacity[${r}]`));
  }

  const policy = spec.persistentVolumeReclaimPolicy;
  if (policy && !SUPPORTED_RECLAIM_POLICIES.includes(policy)) {
    errs.push(notSupported("spec.persistentVolumeReclaimPolicy", policy, SUPPORTED_RECLAIM_POLICIES));
  }

  let nodeAffinitySpecified = false;
  if (isObject(spec.nodeAffinity)) {
    nodeAffinitySpecified = true;
    const req = spec.nodeAffinity.required;
    if (isObject(req)) errs.push(...validateNodeSelector(req as never, "spec.nodeAffinity.required"));
    else errs.push(required("spec.nodeAffinity.required", "must specify required node constraints"));
  }

  let numVolumes = 0;
  for (const [key, pathName] of PV_SOURCES) {
    const source = spec[key];
    if (source === undefined || source === null) continue;
    if (numVolumes > 0) {
      errs.push(forbidden(`spec.${pathName}`, "may not specify more than 1 volume type"));
      continue;
    }
    numVolumes++;
    const src = isObject(source) ? source : {};
    if (key === "hostPath") errs.push(...validateHostPath(src, "spec.hostPath"));
    else if (key === "nfs") errs.push(...validateNFS(src, "spec.nfs"));
    else if (key === "csi") errs.push(...validateCSISource(src, "spec.csi"));
    else if (key === "local") {
      errs.push(...validateLocalSource(src, "spec.local"));
      if (!nodeAffinitySpecified) errs.push(required("spec.nodeAffinity", "Local volume requires node affinity"));
    }
  }
  if (numVolumes === 0) errs.push(required("spec", "must specify a volume type"));

  const hostPath = isObject(spec.hostPath) ? String(spec.hostPath.path ?? "") : undefined;
  if (hostPath !== undefined && cleanPath(hostPath) === "/" && policy === "Recycle") {
    errs.push(forbidden("spec.persistentVolumeReclaimPolicy", "may not be 'recycle' for a hostPath mount of '/'"));
  }
  if (spec.storageClassName) {
    for (const m of isDNS1123Subdomain(spec.storageClassName)) errs.push(invalid("spec.storageClassName", spec.storageClassName, m));
  }
  if (spec.volumeMode !== undefined && spec.volumeMode !== null && !SUPPORTED_VOLUME_MODES.includes(spec.volumeMode)) {
    errs.push(notSupported("spec.volumeMode", spec.volumeMode, SUPPORTED_VOLUME_MODES));
  }
  // pkg/volume/validation: the legacy mount-options annotation only for sources that mount.
  const mountingSource = ["nfs", "gcePersistentDisk", "awsElasticBlockStore", "glusterfs", "rbd", "quobyte", "iscsi", "cinder", "cephfs", "azureFile", "vsphereVolume", "azureDisk", "photonPersistentDisk"].some(
    (k) => spec[k] !== undefined,
  );
  if (!mountingSource && pv.metadata?.annotations && MOUNT_OPTION_ANNOTATION in pv.metadata.annotations) {
    errs.push(forbidden(`metadata.annotations.${MOUNT_OPTION_ANNOTATION}`, "may not specify mount options for this volume type"));
  }
  return errs;
}

/** Go's path.Clean, enough to recognise "/" spelled as "//" or "/./..". */
function cleanPath(p: string): string {
  const out: string[] = [];
  for (const part of p.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return (p.startsWith("/") ? "/" : "") + out.join("/") || ".";
}

export function validatePersistentVolumeUpdate(pv: PersistentVolume, old: PersistentVolume): FieldError[] {
  const errs = validatePersistentVolumeSpec(pv);
  const newSource = persistentVolumeSourceOf(pv.spec as Record<string, unknown>);
  const oldSource = persistentVolumeSourceOf(old.spec as Record<string, unknown>);
  // Adding controllerExpandSecretRef to a CSI source is the one allowed change.
  const oldCsi = oldSource.csi as Record<string, unknown> | undefined;
  const newCsi = newSource.csi as Record<string, unknown> | undefined;
  if (oldCsi && newCsi && oldCsi.controllerExpandSecretRef === undefined && newCsi.controllerExpandSecretRef !== undefined) {
    newSource.csi = { ...newCsi };
    delete (newSource.csi as Record<string, unknown>).controllerExpandSecretRef;
  }
  if (!jsonEqual(newSource, oldSource)) {
    errs.push(forbidden("spec.persistentvolumesource", `spec.persistentvolumesource is immutable after creation\n${jsonDiff(oldSource, newSource, "spec")}`));
  }
  errs.push(...immutableField(pv.spec?.volumeMode, old.spec?.volumeMode, "volumeMode"));
  if (old.spec?.nodeAffinity) errs.push(...immutableField(pv.spec?.nodeAffinity, old.spec.nodeAffinity, "nodeAffinity"));
  if ((pv.spec?.volumeAttributesClassName ?? null) !== (old.spec?.volumeAttributesClassName ?? null)) {
    errs.push(forbidden("spec.volumeAttributesClassName", "update is forbidden when the VolumeAttributesClass feature gate is disabled"));
  }
  return errs;
}
