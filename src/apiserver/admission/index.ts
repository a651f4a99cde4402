/** The admission chain, in kube-apiserver's default order for the plugins we implement. */
import type { AdmissionPlugin } from "../registry/admission.js";
import { namespaceLifecycle } from "./namespace-lifecycle.js";
import { defaultStorageClassPlugin } from "./default-storage-class.js";
import { storageObjectInUseProtection } from "./storage-protection.js";
import { pvcResize } from "./pvc-resize.js";
import { podDefaults } from "./pod-defaults.js";

export function defaultAdmission(): AdmissionPlugin[] {
  return [namespaceLifecycle, podDefaults, defaultStorageClassPlugin, pvcResize, storageObjectInUseProtection];
}
