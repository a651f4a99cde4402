/** REST mappings of the kinds the controllers use (group, version, plural, scope). */
import type { ResourceRef } from "../../client/index.js";

const core = (kind: string, plural: string, namespaced: boolean): ResourceRef => ({ group: "", version: "v1", kind, plural, namespaced });

export const Resources = {
  persistentVolumes: core("PersistentVolume", "persistentvolumes", false),
  persistentVolumeClaims: core("PersistentVolumeClaim", "persistentvolumeclaims", true),
  pods: core("Pod", "pods", true),
  nodes: core("Node", "nodes", false),
  namespaces: core("Namespace", "namespaces", false),
  serviceAccounts: core("ServiceAccount", "serviceaccounts", true),
  events: core("Event", "events", true),
  storageClasses: { group: "storage.k8s.io", version: "v1", kind: "StorageClass", plural: "storageclasses", namespaced: false } as ResourceRef,
} as const;
