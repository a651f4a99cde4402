/**
 * StorageObjectInUseProtection: every new PVC gets kubernetes.io/pvc-protection and every new
 * PV kubernetes.io/pv-protection, so neither disappears while in use; the protection
 * controllers remove them.
 */
import type { AdmissionPlugin } from "../registry/admission.js";
import { PVC_PROTECTION_FINALIZER, PV_PROTECTION_FINALIZER } from "../../api/index.js";

export const storageObjectInUseProtection: AdmissionPlugin = {
  name: "StorageObjectInUseProtection",
  async admit(a) {
    if (a.operation !== "CREATE" || a.subresource || !a.object) return;
    const fin = a.resource.kind === "PersistentVolumeClaim" ? PVC_PROTECTION_FINALIZER : a.resource.kind === "PersistentVolume" ? PV_PROTECTION_FINALIZER : undefined;
    if (!fin) return;
    const m = a.object.metadata;
    if (!(m.finalizers ?? []).includes(fin)) m.finalizers = [...(m.finalizers ?? []), fin];
  },
};
