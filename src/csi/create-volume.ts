/**
 * CreateVolume for `provisioningMode: efs-ap`: one access point per volume, idempotent by name.
 *
 *  1. Validate capabilities and StorageClass parameters; compute the root directory.
 *  2. ClientToken = the volume name (or its SHA-256 when longer than EFS's 64 characters); with
 *     reuseAccessPoint, SHA-256 of "<fileSystemId>:<pvc namespace>/<pvc name>" — upstream hashes the
 *     claim name only, so equal names in two namespaces shared one access point (#1664) and tokens
 *     collided across file systems (tokens are unique per account and region).
 *  3. uid/gid not both fixed → the GID allocator lists the file system's access points; one that
 *     already carries our token is the answer (retry, or adoption after validation).
 *  4. CreateAccessPoint with PosixUser, RootDirectory + CreationInfo, tags (upstream's cluster tag
 *     and ours recording deleteAccessPointRootDir, which DeleteVolume reads back: DeleteVolume gets
 *     no parameters). AccessPointAlreadyExists → describe that access point, validate, adopt.
 * The access point's directory is created by EFS at the first mount, as on AWS.
 */
import { createHash } from "node:crypto";
import type { Logger } from "../lib/log.js";
import { checkAdoptable } from "./adopt.js";
import { checkCapabilities } from "./capabilities.js";
import { awsErrorName, efsFailure, type EfsApi } from "./efs-api.js";
import type { GidAllocator, GidGrant, ListedAccessPoint } from "./gid-allocator.js";
import { formatVolumeHandle } from "./handle.js";
import type { KeyedMutex } from "./keyed-mutex.js";
import { parseProvisionParams, type ProvisionParams } from "./params.js";
import { accessPointRootDir } from "./root-dir.js";
import { csiError, isCsiError, type CreateVolumeRequest, type CreateVolumeResponse } from "./spec.js";

export const CLUSTER_TAG = { key: "efs.csi.aws.com/cluster", value: "true" } as const;
/** Our tag: "false" keeps the access point's directory when the volume is deleted. */
export const DELETE_ROOT_DIR_TAG = "cistern.io/delete-access-point-root-dir";

export interface CreateVolumeDeps {
  efs: EfsApi;
  gids: GidAllocator;
  locks: KeyedMutex;
  /** Extra tags for every access point (upstream's --tags). */
  tags: Record<string, string>;
  log: Logger;
}

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

export function clientTokenFor(name: string, params: ProvisionParams): string {
  if (params.reuseAccessPoint) return sha256(`${params.fileSystemId}:${params.pvcNamespace ?? ""}/${params.pvcName ?? ""}`);
  return name.length <= 64 ? name : sha256(name);
}

function tagsFor(params: ProvisionParams, extra: Record<string, string>): Record<string, string> {
  const tags: Record<string, string> = params.enableTagging ? { [CLUSTER_TAG.key]: CLUSTER_TAG.value, ...extra } : {};
  tags[DELETE_ROOT_DIR_TAG] = String(params.deleteAccessPointRootDir);
  return tags;
}

function fileSystemMissing(e: unknown): boolean {
  return awsErrorName(e) === "FileSystemNotFound";
}

function response(req: CreateVolumeRequest, ap: ListedAccessPoint): CreateVolumeResponse {
  return { volume: { volumeId: formatVolumeHandle(ap.fileSystemId, ap.accessPointId), capacityBytes: req.capacityRange?.requiredBytes ?? 0, volumeContext: {} } };
}

async function grantGid(deps: CreateVolumeDeps, params: ProvisionParams, token: string): Promise<GidGrant | undefined> {
  const fsId = params.fileSystemId;
  try {
    if (params.uid !== undefined && params.gid !== undefined) {
      if (!(await deps.efs.fileSystemExists(fsId))) throw csiError("InvalidArgument", `File System does not exist: ${fsId}`);
      return undefined;
    }
    return await deps.gids.allocate(fsId, { range: params.gidRange, match: (ap) => ap.clientToken === token });
  } catch (e) {
    if (isCsiError(e)) throw e;
    if (fileSystemMissing(e)) throw csiError("InvalidArgument", `File System does not exist: ${fsId}`);
    throw efsFailure(e, "Failed to fetch Access Points or Describe File System");
  }
}

async function adoptExisting(deps: CreateVolumeDeps, params: ProvisionParams, token: string, id: string | undefined): Promise<ListedAccessPoint> {
  let ap: ListedAccessPoint | undefined;
  try {
    ap = id ? await deps.efs.describeAccessPoint(id) : (await deps.efs.listAccessPoints(params.fileSystemId)).find((a) => a.clientToken === token);
  } catch (e) {
    throw efsFailure(e, `Error attempting to retrieve existing access point for client token ${token}`);
  }
  // Deleted between the two calls: the next attempt creates it afresh.
  if (!ap) throw csiError("Aborted", `access point for client token ${token} disappeared while being adopted; retry`);
  checkAdoptable(ap, params);
  return ap;
}

export async function createVolume(deps: CreateVolumeDeps, req: CreateVolumeRequest): Promise<CreateVolumeResponse> {
  if (typeof req.name !== "string" || req.name === "") throw csiError("InvalidArgument", "Volume name not provided");
  checkCapabilities(req.volumeCapabilities);
  if (req.volumeContentSource) throw csiError("InvalidArgument", "Volume content source is not supported: EFS access points cannot be cloned or restored from snapshots");
  const params = parseProvisionParams(req.parameters);
  if (!params.enableTagging && Object.keys(deps.tags).length > 0) {
    throw csiError("InvalidArgument", "enableTagging is false, but the driver is configured with tags to add; remove one of them");
  }
  const root = accessPointRootDir(params, req.name);
  const token = clientTokenFor(req.name, params);

  return deps.locks.run(`volume/${token}`, async () => {
    const grant = await grantGid(deps, params, token);
    if (grant?.kind === "existing") {
      checkAdoptable(grant.accessPoint, params);
      deps.log.debug("CreateVolume: access point exists for this token", { name: req.name, accessPointId: grant.accessPoint.accessPointId });
      return response(req, grant.accessPoint);
    }
    const uid = params.uid ?? grant!.gid;
    const gid = params.gid ?? grant!.gid;
    let created;
    try {
      created = await deps.efs.createAccessPoint({
        clientToken: token,
        fileSystemId: params.fileSystemId,
        uid,
        gid,
        rootPath: root.path,
        permissions: params.directoryPerms,
        tags: tagsFor(params, deps.tags),
      });
    } catch (e) {
      grant?.settle(false);
      if (fileSystemMissing(e)) throw csiError("InvalidArgument", `File System does not exist: ${params.fileSystemId}`);
      throw efsFailure(e, `Failed to create Access point in File System ${params.fileSystemId}`);
    }
    if ("created" in created) {
      grant?.settle(true);
      deps.log.info("CreateVolume: access point created", { name: req.name, accessPointId: created.created.accessPointId, gid, root: root.path });
      return response(req, created.created);
    }
    grant?.settle(false);
    return response(req, await adoptExisting(deps, params, token, created.alreadyExists));
  });
}
