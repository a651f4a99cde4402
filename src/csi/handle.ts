/**
 * Volume handles (PV spec.csi.volumeHandle), as the upstream driver accepts them:
 *   fs-ID                 the whole file system
 *   fs-ID:SUBPATH         a directory of it (must exist)
 *   fs-ID::fsap-ID        through an access point
 *   fs-ID:SUBPATH:fsap-ID a directory below the access point's root
 * each optionally prefixed "efs:". IDs must match upstream's strict patterns (the fix for mount
 * option injection through the handle); the subpath is reduced to plain components, so "..",
 * NUL, control characters and the like never reach the EFS service. Whether the subpath exists,
 * and that it holds no symlink, is decided by the service's no-follow walk at mount time.
 */
import { AP_ID, FS_ID, pathComponents } from "./ids.js";
import { csiError } from "./spec.js";

export interface VolumeHandle {
  fileSystemId: string;
  /** Plain components below the file system root, or below the access point root when there is one. */
  subPath: string[];
  accessPointId?: string;
}

const MAX_HANDLE = 4096;

/** Parse a handle, or throw InvalidArgument saying what is wrong with it. */
export function parseVolumeHandle(volumeId: string): VolumeHandle {
  if (typeof volumeId !== "string" || volumeId === "") throw csiError("InvalidArgument", "Volume ID not provided");
  if (volumeId.length > MAX_HANDLE) throw csiError("InvalidArgument", `volume ID is longer than ${MAX_HANDLE} characters`);
  let rest = volumeId;
  if (rest.startsWith("efs:")) rest = rest.slice(4);
  else if (rest.startsWith("s3files:")) throw csiError("InvalidArgument", `volume ID ${JSON.stringify(volumeId)}: Amazon S3 Files volumes are not supported`);
  const fields = rest.split(":");
  if (fields.length > 3) {
    throw csiError("InvalidArgument", `volume ID ${JSON.stringify(volumeId)} is improperly formatted: expected fs-ID[:SUBPATH[:fsap-ID]]`);
  }
  const [fsId, sub = "", apId = ""] = fields;
  if (!FS_ID.test(fsId)) throw csiError("InvalidArgument", `volume ID ${JSON.stringify(volumeId)}: ${JSON.stringify(fsId)} is not a file system ID (fs-[0-9a-f]{8,40})`);
  if (apId !== "" && !AP_ID.test(apId)) {
    throw csiError("InvalidArgument", `volume ID ${JSON.stringify(volumeId)}: ${JSON.stringify(apId)} is not an access point ID (fsap-[0-9a-f]{8,40})`);
  }
  const subPath = pathComponents(sub, `volume ID ${JSON.stringify(volumeId)}: subpath`);
  return apId === "" ? { fileSystemId: fsId, subPath } : { fileSystemId: fsId, subPath, accessPointId: apId };
}

/** The handle a dynamically provisioned volume gets (upstream v3: "efs:fs-…::fsap-…"). */
export function formatVolumeHandle(fileSystemId: string, accessPointId: string): string {
  return `efs:${fileSystemId}::${accessPointId}`;
}

/** "/" or "/a/b": the handle's subpath as the EFS mount extension's Path. */
export function mountPathOf(h: VolumeHandle): string {
  return "/" + h.subPath.join("/");
}
