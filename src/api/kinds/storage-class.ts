/**
 * storage.k8s.io/v1 StorageClass: how dynamic volumes are provisioned. Defaults reclaimPolicy
 * Delete and volumeBindingMode Immediate; the provisioning fields are immutable.
 */
import type { KubeObject } from "../types.js";
import type { TopologySelectorTerm } from "./core-types.js";
import { registerKind, STANDARD_VERBS, type KindDefinition } from "./kind.js";
import { nameIsDNSSubdomain } from "../validation/names.js";
import { validateStorageClass, validateStorageClassUpdate } from "../validation/storage-class.js";
import { isDefaultStorageClass } from "../storage-helpers.js";
import { ageColumn, column, nameColumn } from "../printing/columns.js";
import { ageSince } from "../printing/duration.js";

export interface StorageClass extends KubeObject {
  provisioner: string;
  parameters?: Record<string, string>;
  reclaimPolicy?: string;
  mountOptions?: string[];
  allowVolumeExpansion?: boolean;
  volumeBindingMode?: string;
  allowedTopologies?: TopologySelectorTerm[];
}

export const storageClasses: KindDefinition<StorageClass> = {
  group: "storage.k8s.io",
  version: "v1",
  kind: "StorageClass",
  listKind: "StorageClassList",
  plural: "storageclasses",
  singular: "storageclass",
  shortNames: ["sc"],
  namespaced: false,
  categories: [],
  subresources: [],
  verbs: STANDARD_VERBS,
  schemaName: "io.k8s.api.storage.v1.StorageClass",
  validateName: nameIsDNSSubdomain,

  applyDefaults(sc) {
    if (sc.reclaimPolicy === undefined || sc.reclaimPolicy === null) sc.reclaimPolicy = "Delete";
    if (sc.volumeBindingMode === undefined || sc.volumeBindingMode === null) sc.volumeBindingMode = "Immediate";
  },

  validateCreate: (sc) => validateStorageClass(sc),
  validateUpdate: (sc, old) => validateStorageClassUpdate(sc, old),

  tableColumns: [
    nameColumn(),
    column("Provisioner", "Driver that provisions volumes of this class."),
    column("ReclaimPolicy", "Reclaim policy given to provisioned volumes."),
    column("VolumeBindingMode", "When volumes are bound and provisioned."),
    column("AllowVolumeExpansion", "Whether claims of this class may grow."),
    ageColumn(),
  ],
  tableRow(sc, now) {
    const name = (sc.metadata.name ?? "") + (isDefaultStorageClass(sc) ? " (default)" : "");
    return [
      name,
      sc.provisioner ?? "",
      sc.reclaimPolicy ?? "Delete",
      sc.volumeBindingMode ?? "Immediate",
      sc.allowVolumeExpansion ?? false,
      ageSince(sc.metadata.creationTimestamp, now),
    ];
  },
  fieldSelectors: {},
};

export const storageClassKind = registerKind(storageClasses);
