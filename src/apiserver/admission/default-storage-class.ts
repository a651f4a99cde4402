/**
 * DefaultStorageClass: a claim created without spec.storageClassName (nil, not "") gets the
 * default class, if one exists (newest default wins, as upstream since 1.26).
 */
import type { AdmissionPlugin } from "../registry/admission.js";
import { BETA_STORAGE_CLASS_ANNOTATION, defaultStorageClass } from "../../api/index.js";

export const defaultStorageClassPlugin: AdmissionPlugin = {
  name: "DefaultStorageClass",
  async admit(a) {
    if (a.operation !== "CREATE" || a.resource.kind !== "PersistentVolumeClaim" || a.subresource) return;
    const pvc = a.object as { spec?: { storageClassName?: string | null }; metadata: { annotations?: Record<string, string> } } | undefined;
    if (!pvc?.spec) return;
    if (pvc.spec.storageClassName !== undefined && pvc.spec.storageClassName !== null) return;
    if (pvc.metadata.annotations?.[BETA_STORAGE_CLASS_ANNOTATION] !== undefined) return;
    const classes = await a.reader.list(a.reader.resource("storage.k8s.io", "storageclasses"));
    const def = defaultStorageClass(classes as never);
    if (def) pvc.spec.storageClassName = (def as { metadata: { name?: string } }).metadata.name;
  },
};
