/**
 * CSI Node service.
 *
 * NodePublishVolume: validate the handle, capability, volume context and mount options (strict, see
 * their modules); work out the EFS client: access point (handle, or the deprecated accesspoint=
 * option, which must agree with it), TLS (forced for access points, else encryptInTransit / tls),
 * IAM principal (the pod's role ARN, presented only with the `iam` option, as efs-utils does —
 * otherwise the client is anonymous) and read-only (request, `ro`, reader-only access mode, or the
 * file system policy); then the mounter serves the volume at the target. Publishing the same
 * volume at the same target again succeeds; a different volume there is AlreadyExists.
 * NodeUnpublishVolume: unmount, release the EFS mount, remove the (empty) target; idempotent.
 * NodeGetVolumeStats: usage of the served directory (volume-stats.ts), condition of the mount.
 * One operation per target path at a time.
 */
import { promises as fsp } from "node:fs";
import { join } from "node:path";
import type { Logger } from "../lib/log.js";
import { childPath, readMountInfo, type MountInfo } from "../lib/safe-path/index.js";
import { checkCapabilities, isReaderOnly } from "./capabilities.js";
import { mountPathOf, parseVolumeHandle } from "./handle.js";
import { openHostPath } from "./host-path.js";
import { PRINCIPAL_ARN } from "./ids.js";
import type { KeyedMutex } from "./keyed-mutex.js";
import type { CsiMetrics } from "./metrics.js";
import { misplacedMount, mountIds, removeNewMountOnTarget, removeStrayMounts, strayMounts, targetMoved, type ServedHint } from "./mount-landing.js";
import type { NodeMounter, PublishSpec } from "./mounter.js";
import { parseMountOptions } from "./mount-options.js";
import type { PublishRecord, PublishState } from "./publish-state.js";
import {
  codeOf,
  csiError,
  type CsiError,
  type NodeGetVolumeStatsRequest,
  type NodeGetVolumeStatsResponse,
  type NodePublishVolumeRequest,
  type NodeService,
  type NodeUnpublishVolumeRequest,
} from "./spec.js";
import {
  checkTargetPath,
  mountedAt,
  openTargetParent,
  prepareTarget,
  removePreparedTarget,
  removeTarget,
  type PreparedTarget,
  type TargetParent,
} from "./target-path.js";
import { parseVolumeContext } from "./volume-context.js";
import { diskFigures, toVolumeUsage, type VolumeStatsCache } from "./volume-stats.js";

export interface NodeDeps {
  nodeId: string;
  mounter: NodeMounter;
  state: PublishState;
  locks: KeyedMutex;
  stats: VolumeStatsCache;
  /** `<EFS dataDir>/fs`, where served directories live (volume stats open them from there). */
  dataRoot?: string;
  /** When set, every target path must lie beneath it (e.g. the node agent's pods directory). */
  publishRoot?: string;
  /** The node's own IAM principal (an instance role's counterpart), used for `iam` mounts of pods without a role. */
  nodePrincipalArn?: string;
  metrics: CsiMetrics;
  log: Logger;
}

/** Everything NodePublishVolume decides before touching the system (pure; exported for tests). */
export function publishSpecFor(req: NodePublishVolumeRequest, publishRoot?: string, nodePrincipalArn?: string): PublishSpec {
  if (typeof req.volumeId !== "string" || req.volumeId === "") throw csiError("InvalidArgument", "Volume ID not provided");
  const targetPath = checkTargetPath(req.targetPath, "Target path", publishRoot);
  if (!req.volumeCapability) throw csiError("InvalidArgument", "Volume capability not provided");
  checkCapabilities([req.volumeCapability]);
  const handle = parseVolumeHandle(req.volumeId);
  const ctx = parseVolumeContext(req.volumeContext);
  const opts = parseMountOptions(req.volumeCapability.mount?.mountFlags);
  let accessPointId = handle.accessPointId;
  if (opts.accessPointId !== undefined) {
    if (accessPointId !== undefined && accessPointId !== opts.accessPointId) {
      throw csiError("InvalidArgument", `Found conflicting access point IDs in mountOptions (${opts.accessPointId}) and volumeHandle (${accessPointId})`);
    }
    accessPointId = opts.accessPointId;
  }
  if (opts.tls && !ctx.encryptInTransit) throw csiError("InvalidArgument", "Found tls in mountOptions but encryptInTransit is false");
  if (req.principalArn !== undefined && (typeof req.principalArn !== "string" || !PRINCIPAL_ARN.test(req.principalArn))) {
    throw csiError("InvalidArgument", `principalArn ${JSON.stringify(req.principalArn)} is not an IAM role or user ARN`);
  }
  const principalArn = req.principalArn ?? nodePrincipalArn;
  if (opts.iam && principalArn === undefined) {
    throw csiError("InvalidArgument", "mount option iam needs an IAM principal: the pod's service account has no eks.amazonaws.com/role-arn annotation and the node has none configured");
  }
  return {
    volumeId: req.volumeId,
    fileSystemId: handle.fileSystemId,
    accessPointId,
    path: mountPathOf(handle),
    principalArn: opts.iam ? principalArn : undefined,
    // Access point mounts need TLS (efs-utils refuses them without it); otherwise encryptInTransit decides.
    secureTransport: accessPointId !== undefined || ctx.encryptInTransit || opts.tls,
    readOnly: req.readonly === true || opts.readOnly || isReaderOnly(req.volumeCapability),
    targetPath,
    options: opts.options,
  };
}

/**
 * Remove what a publish may have mounted other than on its target, by mount id: strays outside the
 * publish root and a new mount on the target's name (the mounters unmount by re-resolving the path
 * string, which is what went wrong). Returns the strays that could not be removed.
 */
async function removeLeftovers(deps: NodeDeps, target: PreparedTarget, before: Set<number>, hint: ServedHint): Promise<{ left: MountInfo[] }> {
  const strays = deps.publishRoot === undefined ? [] : strayMounts(target, hint, before, deps.publishRoot);
  const left = await removeStrayMounts(strays);
  await removeNewMountOnTarget(target, before);
  if (left.length > 0) deps.log.error("a misplaced mount could not be removed", { target: target.canonical, mountPoints: left.map((m) => m.mountPoint) });
  return { left };
}

function leftoverFailure(spec: PublishSpec, left: MountInfo[]): CsiError {
  return csiError("Internal", `target ${spec.targetPath} changed while it was mounted and the mount at ${left.map((m) => m.mountPoint).join(", ")} could not be removed`);
}

/** Mount at the prepared target and prove the mount landed on it; a mount that went elsewhere is removed and refused. */
async function mountOnPrepared(deps: NodeDeps, spec: PublishSpec, target: PreparedTarget): Promise<PublishRecord> {
  const before = mountIds();
  const stamp = target.stamp();
  let rec: PublishRecord;
  try {
    rec = await deps.mounter.publish(spec);
  } catch (e) {
    // A new mount on the target after a failure is the mounter's half-done work, left because its cleanup went by path.
    const onTarget = await removeNewMountOnTarget(target, before);
    // A renamed or swapped component (or a half-done mount) makes the failure the caller's doing.
    const raced = onTarget || targetMoved(target) || target.stamp() !== stamp;
    // Strays are looked for when the path may have been redirected: after a race, or a local failure after EFS
    // granted the mount (ctimes are coarse and may miss a swap). Not after EFS refused: nothing was mounted, and
    // another node's publish of the same file system must not be taken for a stray.
    if (raced || codeOf(e) === "Internal") {
      const fsDir = deps.dataRoot === undefined ? undefined : join(deps.dataRoot, spec.fileSystemId);
      const { left } = await removeLeftovers(deps, target, before, { dir: fsDir, within: true, fileSystemId: spec.fileSystemId });
      if (left.length > 0) throw leftoverFailure(spec, left);
    }
    if (!raced) throw e;
    throw csiError("InvalidArgument", `target ${spec.targetPath} changed while it was being mounted: ${e instanceof Error ? e.message : String(e)}`);
  }
  const wrong = misplacedMount(target, before);
  if (wrong === undefined) return rec;
  deps.log.warn("NodePublishVolume: the mount did not land on the target directory; undoing it", { target: spec.targetPath, reason: wrong });
  const { left } = await removeLeftovers(deps, target, before, { servedBy: rec.servedBy, dir: rec.hostPath, fileSystemId: rec.fileSystemId });
  await deps.mounter.unpublish(rec).catch((err) => deps.log.warn("cleanup of a misplaced publish failed", { target: spec.targetPath, err }));
  if (left.length > 0) throw leftoverFailure(spec, left);
  throw csiError("InvalidArgument", `target ${spec.targetPath} changed while it was being mounted (${wrong}); nothing is published`);
}

async function publish(deps: NodeDeps, req: NodePublishVolumeRequest): Promise<Record<string, never>> {
  const spec = publishSpecFor(req, deps.publishRoot, deps.nodePrincipalArn);
  const root = deps.publishRoot;
  return deps.locks.run(`target/${spec.targetPath}`, async () => {
    const existing = deps.state.get(spec.targetPath);
    const mounted = mountedAt(spec.targetPath, root);
    if (existing) {
      if (mounted) {
        if (existing.volumeId !== spec.volumeId) {
          throw csiError("AlreadyExists", `target ${spec.targetPath} already has volume ${existing.volumeId} published`);
        }
        if (existing.readOnly !== spec.readOnly && !existing.readOnly) {
          throw csiError("AlreadyExists", `volume ${spec.volumeId} is already published read-write at ${spec.targetPath}`);
        }
        return {};
      }
      deps.log.warn("published volume is no longer mounted; publishing it again", { target: spec.targetPath, volumeId: existing.volumeId });
      await deps.mounter.unpublish(existing).catch((err) => deps.log.warn("cleanup of a stale publish failed", { target: spec.targetPath, err }));
      deps.state.remove(spec.targetPath);
    } else if (mounted) {
      throw csiError("FailedPrecondition", `target ${spec.targetPath} already has a mount this driver did not make`);
    }
    const target = prepareTarget(spec.targetPath, root);
    try {
      const rec = await mountOnPrepared(deps, spec, target);
      try {
        deps.state.put(rec);
      } catch (e) {
        await deps.mounter.unpublish(rec).catch(() => undefined);
        throw csiError("Internal", `could not record the publish of ${spec.volumeId}: ${(e as Error).message}`);
      }
      deps.log.info("NodePublishVolume: published", { volumeId: spec.volumeId, target: spec.targetPath, servedBy: rec.servedBy, readOnly: rec.readOnly });
      return {};
    } catch (e) {
      if (target.created) {
        try {
          removePreparedTarget(target);
        } catch {
          // leave it: it is the caller's directory tree and may be in use
        }
      }
      throw e;
    } finally {
      target.close();
    }
  });
}

async function unpublish(deps: NodeDeps, req: NodeUnpublishVolumeRequest): Promise<Record<string, never>> {
  if (typeof req.volumeId !== "string" || req.volumeId === "") throw csiError("InvalidArgument", "Volume ID not provided");
  const target = checkTargetPath(req.targetPath, "Target path", deps.publishRoot);
  return deps.locks.run(`target/${target}`, async () => {
    // Resolving the target first refuses a link below the publish root before anything is unmounted.
    const mounted = mountedAt(target, deps.publishRoot);
    const rec = deps.state.get(target);
    if (rec) {
      if (rec.volumeId !== req.volumeId) deps.log.warn("NodeUnpublishVolume: target holds another volume than named", { target, published: rec.volumeId, asked: req.volumeId });
      await deps.mounter.unpublish(rec);
      deps.state.remove(target);
    } else if (mounted) {
      await deps.mounter.unmountUnknown(target);
    }
    removeTarget(target, deps.publishRoot);
    deps.stats.forget(target);
    return {};
  });
}

/** Is the volume at `path` mounted and answering? Looked at through its opened parent, never through a link. */
async function volumeCondition(path: string, root: string | undefined): Promise<{ abnormal: boolean; message: string }> {
  let at: TargetParent | undefined;
  try {
    at = openTargetParent(path, root);
  } catch (e) {
    return { abnormal: true, message: (e as Error).message };
  }
  if (!at) return { abnormal: true, message: `nothing is mounted at ${path}` };
  try {
    if (!readMountInfo().some((m) => m.mountPoint === at.canonical)) return { abnormal: true, message: `nothing is mounted at ${path}` };
    await fsp.lstat(childPath(at.parent.fd, at.name));
    return { abnormal: false, message: "volume is mounted and answering" };
  } catch (e) {
    return { abnormal: true, message: `the mount at ${path} does not answer: ${(e as Error).message}` };
  } finally {
    at.close();
  }
}

async function volumeStats(deps: NodeDeps, req: NodeGetVolumeStatsRequest): Promise<NodeGetVolumeStatsResponse> {
  if (typeof req.volumeId !== "string" || req.volumeId === "") throw csiError("InvalidArgument", "Volume ID not provided");
  const path = checkTargetPath(req.volumePath, "Volume path", deps.publishRoot);
  const rec = deps.state.get(path);
  if (!rec || rec.volumeId !== req.volumeId) throw csiError("NotFound", `volume ${req.volumeId} is not published at ${path}`);
  if (!rec.hostPath || !deps.dataRoot) throw csiError("Unimplemented", `volume statistics need the EFS data root (mounter ${deps.mounter.name})`);
  const condition = await volumeCondition(path, deps.publishRoot);
  const dir = openHostPath(deps.dataRoot, rec.hostPath);
  try {
    const [tree, disk] = await Promise.all([deps.stats.usage(path, dir.fd), diskFigures(dir.fd)]);
    const updated = await deps.mounter.reportIo(rec).catch((err) => {
      deps.log.debug("could not report I/O to EFS", { target: path, err });
      return undefined;
    });
    if (updated) deps.state.put(updated);
    return { usage: toVolumeUsage(tree, disk), volumeCondition: condition };
  } finally {
    dir.close();
  }
}

export function createNodeService(deps: NodeDeps): NodeService {
  const m = deps.metrics;
  const unimplemented = (op: string) => () =>
    m.observe(op, async () => {
      throw csiError("Unimplemented", `${op} is not supported by the EFS driver`);
    });
  return {
    nodePublishVolume: (req) => m.observe("NodePublishVolume", () => publish(deps, req)),
    nodeUnpublishVolume: (req) => m.observe("NodeUnpublishVolume", () => unpublish(deps, req)),
    nodeGetVolumeStats: (req) => m.observe("NodeGetVolumeStats", () => volumeStats(deps, req)),
    nodeGetInfo: () => m.observe("NodeGetInfo", async () => ({ nodeId: deps.nodeId, maxVolumesPerNode: 0 })),
    nodeGetCapabilities: () =>
      m.observe("NodeGetCapabilities", async () => ({
        capabilities: [{ rpc: { type: "GET_VOLUME_STATS" as const } }, { rpc: { type: "VOLUME_CONDITION" as const } }, { rpc: { type: "SINGLE_NODE_MULTI_WRITER" as const } }],
      })),
    nodeStageVolume: unimplemented("NodeStageVolume"),
    nodeUnstageVolume: unimplemented("NodeUnstageVolume"),
    nodeExpandVolume: unimplemented("NodeExpandVolume"),
  };
}
