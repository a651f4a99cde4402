/**
 * The external provisioner for CSI drivers (here efs.csi.aws.com), as kubernetes-csi's
 * external-provisioner sidecar with --extra-create-metadata: it watches claims the PV controller
 * hands to the driver (volume.kubernetes.io/storage-provisioner) and released volumes the driver
 * provisioned, and calls the driver's CreateVolume / DeleteVolume in-process.
 *
 * Model and invariants
 *   - A claim gets at most one volume, named pvc-<claim uid>: the PV name is the CreateVolume name
 *     (idempotent in the driver) and an existing PV of that name means done. One reconcile per claim
 *     at a time; many claims in parallel.
 *   - The PV is created pre-bound (claimRef with uid), with provisioned-by, the class's reclaim policy
 *     and mount options, and — for Delete — the external-provisioner finalizer, so the backend volume
 *     is deleted even if the PV object is deleted first.
 *   - DeleteVolume runs only for a Released PV with policy Delete and our provisioned-by, after a live
 *     re-read of the PV and its claim; the finalizer goes only after the driver succeeded. Retain
 *     never reaches the driver.
 *   - Failures are events (ProvisioningFailed, VolumeFailedDelete with upstream's wording) and are
 *     retried with per-key exponential backoff, 1 s doubling to 5 min.
 */
export { startExternalProvisioner, type ExternalProvisioner, type ExternalProvisionerOptions } from "./provisioner.js";
export {
  capabilitiesFor,
  claimProblem,
  createRequest,
  decideClaim,
  decideVolume,
  provisionedVolume,
  volumeNameFor,
  type ClaimDecision,
  type VolumeDecision,
} from "./decide.js";
export { csiDriverObject, registerCsiDriver } from "./csidriver.js";
export { rpcErrorText } from "./errors.js";
export { FINALIZER_EXTERNAL_PROVISIONER, Reasons as ProvisionerReasons } from "./types.js";
