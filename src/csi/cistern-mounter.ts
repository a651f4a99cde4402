/**
 * Mounting through Cistern's EFS service. The mount extension decides (file system policy, access
 * point, lazy root creation, no-follow resolution of the path) and names a local HostPath; this
 * module re-checks that the HostPath lies beneath the EFS data root, opens it without following
 * symlinks, and serves that opened directory at the target:
 *   - efs-fuse when an access point's POSIX identity must be enforced or root must be squashed
 *     (identity rules need a file server in the path);
 *   - otherwise a bind mount of the opened fd (no path re-walk), made read-only when asked.
 * Every failure after the service granted a mount releases it again, so ClientConnections stay true.
 */
import { createHash } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { mountEfsFuse, readIoCounters, unmountEfsFuse, type EfsFuseMount } from "./efs-fuse/index.js";
import type { Logger } from "../lib/log.js";
import { bindMountFd, unmount as unmountBind } from "../lib/safe-path/index.js";
import { openHostPath } from "./host-path.js";
import type { FileSystemRootAccess, NodeMounter, PublishSpec } from "./mounter.js";
import { MountExtensionError, type IoReport, type MountExtensionClient, type MountReply } from "./mount-extension.js";
import type { PublishRecord } from "./publish-state.js";
import { csiError, isCsiError, type CsiError } from "./spec.js";

export interface CisternMounterOptions {
  ext: MountExtensionClient;
  /**
   * `<EFS dataDir>/fs`: every HostPath must lie beneath it. Without it (EFS's disk is not local to
   * this process) only the EFS API works: publishing and deleting access point directories fail
   * with FailedPrecondition.
   */
  dataRoot?: string;
  stateDir: string;
  nodeId: string;
  /** The controller's IAM principal for root mounts (DeleteVolume); absent = anonymous. */
  controllerPrincipalArn?: string;
  log: Logger;
}

/** Map a failed mount extension call to the CSI code a CO should see (not an answer at all: Unavailable). */
export function mountFailure(e: unknown, what: string): CsiError {
  if (isCsiError(e)) return e;
  if (!(e instanceof MountExtensionError)) return csiError("Unavailable", `${what}: cannot reach EFS: ${e instanceof Error ? e.message : String(e)}`);
  switch (e.code) {
    case "AccessDeniedException":
      return csiError("PermissionDenied", `${what}: ${e.message}`);
    case "FileSystemNotFound":
    case "AccessPointNotFound":
      return csiError("NotFound", `${what}: ${e.message}`);
    case "MountFailed":
      return csiError("FailedPrecondition", `${what}: ${e.message}`);
    case "BadRequest":
    case "ValidationException":
      return csiError("InvalidArgument", `${what}: ${e.message}`);
    case "IncorrectFileSystemLifeCycleState":
    case "ThrottlingException":
      return csiError("Unavailable", `${what}: ${e.message}`);
    default:
      return csiError("Internal", `${what}: ${e.code}: ${e.message}`);
  }
}

/** A local failure while serving a granted mount. */
function serveFailure(e: unknown, what: string): CsiError {
  if (isCsiError(e)) return e;
  return csiError("Internal", `${what}: ${e instanceof Error ? e.message : String(e)}`);
}

function ioDelta(now: IoReport, before: IoReport | undefined): IoReport | undefined {
  const d = {} as IoReport;
  let any = false;
  for (const k of Object.keys(now) as (keyof IoReport)[]) {
    d[k] = Math.max(0, now[k] - (before?.[k] ?? 0));
    if (d[k] > 0) any = true;
  }
  return any ? d : undefined;
}

export class CisternMounter implements NodeMounter, FileSystemRootAccess {
  readonly name = "cistern";
  private readonly fuse = new Map<string, EfsFuseMount>();
  private readonly statsDir: string;

  constructor(private readonly o: CisternMounterOptions) {
    this.statsDir = join(o.stateDir, "fuse-stats");
    mkdirSync(this.statsDir, { recursive: true, mode: 0o700 });
  }

  private dataRoot(): string {
    if (!this.o.dataRoot) {
      throw csiError("FailedPrecondition", "efsDataRoot is not configured: this driver cannot serve or delete EFS directories on this machine");
    }
    return this.o.dataRoot;
  }

  async publish(spec: PublishSpec): Promise<PublishRecord> {
    this.dataRoot();
    let reply: MountReply;
    try {
      reply = await this.o.ext.mount({
        FileSystemId: spec.fileSystemId,
        AccessPointId: spec.accessPointId,
        Path: spec.path,
        PrincipalArn: spec.principalArn,
        SecureTransport: spec.secureTransport,
        ReadOnly: spec.readOnly || undefined,
        NodeId: this.o.nodeId,
      });
    } catch (e) {
      throw mountFailure(e, `mounting ${spec.volumeId}`);
    }
    try {
      return await this.serve(spec, reply);
    } catch (e) {
      await this.o.ext.release(reply.MountId).catch((err) => this.o.log.warn("could not release EFS mount after a failed publish", { mountId: reply.MountId, err }));
      throw e;
    }
  }

  private async serve(spec: PublishSpec, reply: MountReply): Promise<PublishRecord> {
    const readOnly = spec.readOnly || reply.ReadOnly;
    const posix = reply.PosixUser;
    if (posix && posix.Uid === 0 && reply.RootSquash) {
      throw csiError("PermissionDenied", `access point ${spec.accessPointId} enforces uid 0, which needs elasticfilesystem:ClientRootAccess`);
    }
    const dir = openHostPath(this.dataRoot(), reply.HostPath);
    const base = {
      volumeId: spec.volumeId,
      targetPath: spec.targetPath,
      mountId: reply.MountId,
      fileSystemId: spec.fileSystemId,
      accessPointId: spec.accessPointId,
      hostPath: dir.realPath,
      readOnly,
      publishedAt: new Date().toISOString(),
    };
    try {
      if (posix || reply.RootSquash) {
        const statsFile = join(this.statsDir, createHash("sha256").update(spec.targetPath).digest("hex") + ".json");
        // efs-fuse opens the source with RESOLVE_NO_SYMLINKS: give it the kernel's path of the directory we hold.
        const m = await mountEfsFuse({
          source: dir.realPath,
          target: spec.targetPath,
          uid: posix?.Uid,
          gid: posix?.Gid,
          groups: posix?.SecondaryGids,
          squashRoot: !posix && reply.RootSquash,
          readOnly,
          fsName: `efs:${spec.fileSystemId}`,
          statsFile,
        });
        this.fuse.set(spec.targetPath, m);
        return { ...base, servedBy: "fuse", statsFile };
      }
      await bindMountFd(dir.fd, spec.targetPath, { readOnly });
      return { ...base, servedBy: "bind" };
    } catch (e) {
      throw serveFailure(e, `serving ${spec.volumeId} at ${spec.targetPath}`);
    } finally {
      dir.close();
    }
  }

  async unpublish(rec: PublishRecord): Promise<void> {
    try {
      if (rec.servedBy === "fuse") {
        const m = this.fuse.get(rec.targetPath);
        if (m) await m.unmount();
        else await unmountEfsFuse(rec.targetPath);
        this.fuse.delete(rec.targetPath);
      } else {
        await unmountBind(rec.targetPath);
      }
    } catch (e) {
      throw csiError("Internal", `could not unmount ${rec.targetPath}: ${e instanceof Error ? e.message : String(e)}`);
    }
    await this.reportIo(rec).catch(() => undefined);
    if (rec.mountId) {
      try {
        await this.o.ext.release(rec.mountId);
      } catch (e) {
        throw mountFailure(e, `releasing EFS mount ${rec.mountId}`);
      }
    }
  }

  async unmountUnknown(targetPath: string): Promise<void> {
    try {
      await unmountEfsFuse(targetPath);
      await unmountBind(targetPath);
    } catch (e) {
      throw csiError("Internal", `could not unmount ${targetPath}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  async reportIo(rec: PublishRecord): Promise<PublishRecord | undefined> {
    if (rec.servedBy !== "fuse" || !rec.statsFile || !rec.mountId) return undefined;
    const c = readIoCounters(rec.statsFile);
    const now: IoReport = {
      DataReadIOBytes: c.dataReadBytes,
      DataWriteIOBytes: c.dataWriteBytes,
      MetadataIOBytes: c.metadataBytes,
      DataReadOps: c.dataReadOps,
      DataWriteOps: c.dataWriteOps,
      MetadataOps: c.metadataOps,
    };
    const delta = ioDelta(now, rec.reportedIo);
    if (!delta) return undefined;
    await this.o.ext.reportIo(rec.mountId, delta);
    return { ...rec, reportedIo: now };
  }

  /** Root mounts live only for one DeleteVolume; they are recorded under their own node id so stale ones can be found. */
  private get rootNodeId(): string {
    return `${this.o.nodeId}:root`;
  }

  /**
   * A controller killed inside DeleteVolume leaves its root mount recorded by the EFS service (a
   * client connection that never goes away, and FileSystemInUse). Root mounts are never held across
   * operations, so any record of ours that no operation in this process holds is stale: release it.
   */
  async releaseStaleRootMounts(fileSystemId?: string): Promise<void> {
    if (this.rootSwept.has(fileSystemId ?? "*") || this.rootSwept.has("*")) return;
    const listed = await this.o.ext.list({ FileSystemId: fileSystemId, NodeId: this.rootNodeId });
    // A root mount being made right now may be listed before its reply names it: sweep another time.
    if (this.rootMounting > 0) return;
    const held = new Set(this.rootHeld.values());
    for (const m of listed) {
      if (held.has(m.MountId)) continue;
      await this.o.ext.release(m.MountId);
      this.o.log.info("released a stale EFS root mount left by an earlier controller", { fileSystemId, mountId: m.MountId });
    }
    this.rootSwept.add(fileSystemId ?? "*");
  }

  private readonly rootSwept = new Set<string>();
  private readonly rootHeld = new Map<symbol, string>();
  private rootMounting = 0;

  async withFileSystemRoot<T>(fileSystemId: string, fn: (rootDir: string) => Promise<T>): Promise<T> {
    this.dataRoot();
    await this.releaseStaleRootMounts(fileSystemId).catch((err) => this.o.log.warn("could not sweep stale EFS root mounts", { fileSystemId, err }));
    let reply: MountReply;
    const token = Symbol(fileSystemId);
    this.rootMounting++;
    try {
      reply = await this.o.ext.mount({ FileSystemId: fileSystemId, Path: "/", PrincipalArn: this.o.controllerPrincipalArn, SecureTransport: true, NodeId: this.rootNodeId });
    } catch (e) {
      throw mountFailure(e, `mounting the root of ${fileSystemId}`);
    } finally {
      this.rootMounting--;
    }
    this.rootHeld.set(token, reply.MountId);
    try {
      if (reply.RootSquash || reply.ReadOnly) {
        const who = this.o.controllerPrincipalArn ?? "an anonymous client";
        throw csiError(
          "PermissionDenied",
          `deleting an access point's directory needs root access to ${fileSystemId}, but its file system policy does not give ${who} ` +
            `elasticfilesystem:${reply.RootSquash ? "ClientRootAccess" : "ClientWrite"}`,
        );
      }
      const dir = openHostPath(this.dataRoot(), reply.HostPath);
      try {
        // The fd's magic link *is* the directory we opened: nothing below re-resolves the HostPath string.
        return await fn(dir.procPath);
      } finally {
        dir.close();
      }
    } finally {
      this.rootHeld.delete(token);
      await this.o.ext.release(reply.MountId).catch((err) => this.o.log.warn("could not release EFS root mount", { mountId: reply.MountId, err }));
    }
  }
}
