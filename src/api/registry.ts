/**
 * The served kinds, each declared once in kinds/<kind>.ts, and lookups over them. Order is the
 * discovery order within each group/version.
 */
import type { KubeObject } from "./types.js";
import type { KindDefinition } from "./kinds/kind.js";
import { namespaceKind } from "./kinds/namespace.js";
import { nodeKind } from "./kinds/node.js";
import { eventKind } from "./kinds/event.js";
import { persistentVolumeKind } from "./kinds/persistent-volume.js";
import { persistentVolumeClaimKind } from "./kinds/persistent-volume-claim.js";
import { podKind } from "./kinds/pod.js";
import { serviceAccountKind } from "./kinds/service-account.js";
import { configMapKind } from "./kinds/config-map.js";
import { secretKind } from "./kinds/secret.js";
import { storageClassKind } from "./kinds/storage-class.js";
import { csiDriverKind } from "./kinds/csi-driver.js";
import { csiNodeKind } from "./kinds/csi-node.js";
import { leaseKind } from "./kinds/lease.js";
import { roleKind } from "./kinds/role.js";
import { clusterRoleKind } from "./kinds/cluster-role.js";
import { roleBindingKind } from "./kinds/role-binding.js";
import { clusterRoleBindingKind } from "./kinds/cluster-role-binding.js";

export const resources: KindDefinition[] = [
  configMapKind,
  eventKind,
  namespaceKind,
  nodeKind,
  persistentVolumeClaimKind,
  persistentVolumeKind,
  podKind,
  secretKind,
  serviceAccountKind,
  storageClassKind,
  csiDriverKind,
  csiNodeKind,
  leaseKind,
  clusterRoleBindingKind,
  clusterRoleKind,
  roleBindingKind,
  roleKind,
];

const byPlural = new Map(resources.map((r) => [`${r.group}/${r.version}/${r.plural}`, r]));
const byKind = new Map(resources.map((r) => [`${r.group ? `${r.group}/` : ""}${r.version}/${r.kind}`, r]));

/** The kind served at /api(s)/<group>/<version>/<plural>; undefined when not served. */
export function resourceFor(group: string, version: string, plural: string): KindDefinition | undefined {
  return byPlural.get(`${group}/${version}/${plural}`);
}

/** The kind for an object's apiVersion and kind ("v1"/"Pod", "storage.k8s.io/v1"/"StorageClass"). */
export function resourceForKind(apiVersion: string, kind: string): KindDefinition | undefined {
  return byKind.get(`${apiVersion}/${kind}`);
}

/** The kind of an object, from its own apiVersion and kind. */
export function resourceForObject(obj: KubeObject): KindDefinition | undefined {
  return resourceForKind(obj.apiVersion, obj.kind);
}

/** "v1" for core, "<group>/<version>" otherwise. */
export function apiVersionOf(r: { group: string; version: string }): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

/** Served group/versions: [{group, version}], core first. */
export function groupVersions(): { group: string; version: string }[] {
  const seen = new Map<string, { group: string; version: string }>();
  for (const r of resources) seen.set(`${r.group}/${r.version}`, { group: r.group, version: r.version });
  return [...seen.values()];
}
