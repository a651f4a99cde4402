/**
 * PersistentVolumeClaimResize: a larger storage request is admitted only for a Bound claim
 * whose class allows expansion, with upstream's messages.
 */
import { forbidden } from "../../api/status.js";
import type { AdmissionPlugin } from "../registry/admission.js";
import { compareQuantities } from "../../api/index.js";

interface Pvc {
  spec?: { storageClassName?: string; resources?: { requests?: Record<string, string> } };
  status?: { phase?: string };
  metadata: { name?: string; namespace?: string };
}

export const pvcResize: AdmissionPlugin = {
  name: "PersistentVolumeClaimResize",
  async validate(a) {
    if (a.operation !== "UPDATE" || a.resource.kind !== "PersistentVolumeClaim" || a.subresource) return;
    const pvc = a.object as unknown as Pvc;
    const old = a.oldObject as unknown as Pvc;
    const want = pvc.spec?.resources?.requests?.storage;
    const had = old.spec?.resources?.requests?.storage;
    if (!want || !had || compareQuantities(want, had) <= 0) return;
    const prefix = `persistentvolumeclaims "${pvc.metadata.name}" is forbidden`;
    if (old.status?.phase !== "Bound") throw forbidden(`${prefix}: Only bound persistent volume claims can be expanded`);
    const className = pvc.spec?.storageClassName;
    const sc = className ? await a.reader.get(a.reader.resource("storage.k8s.io", "storageclasses"), undefined, className) : undefined;
    if (!sc || (sc as { allowVolumeExpansion?: boolean }).allowVolumeExpansion !== true) {
      throw forbidden(`${prefix}: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize`);
    }
  },
};
