/**
 * The EFS CSI driver (efs.csi.aws.com), CSI-shaped and called in-process: the external provisioner
 * uses its Controller service, node agents its Node service. It reaches EFS only through the EFS
 * API (`@aws-sdk/client-efs`; endpoint, region and credentials are configuration) and, to mount on
 * Cistern, through the EFS service's SigV4-signed mount extension. It never imports src/efs.
 *
 * Model
 *   volume        = a whole file system, a directory of it, or an access point (+ directory below
 *                   its root), named by the volume handle "[efs:]fs-ID[:SUBPATH[:fsap-ID]]";
 *                   dynamically provisioned volumes are access points "efs:fs-ID::fsap-ID".
 *   CreateVolume  = one access point per volume name (ClientToken), POSIX user from a GID range,
 *                   root directory from basePath/subPathPattern; idempotent.
 *   DeleteVolume  = the access point, and its directory unless the class said to keep it.
 *   Publish       = the EFS mount extension authorises a client (policy: ClientMount / ClientWrite /
 *                   ClientRootAccess) and names a local directory; it is served at the target by
 *                   efs-fuse (access point identity, root squash) or by a bind mount of its fd.
 *
 * Invariants
 *   - A GID is never handed to two live access points of one file system (derived from EFS's own
 *     listing plus in-flight reservations, per file system; correct across restarts).
 *   - Every user-supplied identifier and path is pattern-checked (IDs, subpaths, basePath,
 *     subPathPattern, mount options, volume attributes) and every path is resolved without following
 *     symlinks; deletion never follows a link, leaves the access point root, crosses a mount, removes
 *     the file system root or a directory another access point uses, and refuses an access point of
 *     another file system than the handle names.
 *   - Every RPC is idempotent (repeat = same result) and fails with a CsiError carrying a gRPC code.
 *   - HostPaths from the service are used only when they lie beneath the configured EFS data root.
 */
export { createEfsCsiDriver, type EfsCsiDriver, type EfsCsiDriverConfig } from "./driver.js";
export {
  CsiError,
  GRPC_CODES,
  csiError,
  codeOf,
  isCsiError,
  type AccessModeName,
  type ControllerService,
  type CreateVolumeRequest,
  type CreateVolumeResponse,
  type CsiCode,
  type DeleteVolumeRequest,
  type IdentityService,
  type NodeGetVolumeStatsRequest,
  type NodeGetVolumeStatsResponse,
  type NodePublishVolumeRequest,
  type NodeService,
  type NodeUnpublishVolumeRequest,
  type ValidateVolumeCapabilitiesRequest,
  type ValidateVolumeCapabilitiesResponse,
  type Volume,
  type VolumeCapability,
  type VolumeUsage,
} from "./spec.js";
export { DRIVER_NAME, FS_ID, AP_ID } from "./ids.js";
export { parseVolumeHandle, formatVolumeHandle, type VolumeHandle } from "./handle.js";
export { parseMountOptions, type MountOptionSet } from "./mount-options.js";
export { parseVolumeContext } from "./volume-context.js";
export { parseProvisionParams, PARAM, type ProvisionParams } from "./params.js";
export { accessPointRootDir, interpolateSubPathPattern } from "./root-dir.js";
export { GidAllocator, lowestFree, type ListedAccessPoint } from "./gid-allocator.js";
export { CLUSTER_TAG, DELETE_ROOT_DIR_TAG } from "./create-volume.js";
export { publishSpecFor } from "./node.js";
export { CsiMetrics } from "./metrics.js";
