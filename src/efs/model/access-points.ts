/**
 * Access points. Immutable once created. ClientToken is unique per account and region (not per file
 * system): the same token with the same parameters answers the existing access point (a retried create
 * succeeds), with different parameters AccessPointAlreadyExists carrying the existing AccessPointId. At
 * most `limits.accessPointsPerFileSystem` per file system (AWS: 10,000). The root directory is not
 * created here but at the first mount through the access point; deleting an access point never touches
 * data.
 */
import { AccessPointAlreadyExists, AccessPointLimitExceeded, AccessPointNotFound, BadRequest } from "../errors.js";
import { AP_ID_OR_ARN, bareId, newId } from "../ids.js";
import type { FileSystems } from "./file-systems.js";
import { pageOf, pageOfIterable, type Page } from "./pagination.js";
import type { State } from "./state.js";
import type { AccessPointRecord, CreationInfo, PosixUser, Tag } from "./types.js";
import { PERMISSIONS, UINT32_MAX, checkPattern, checkRange, checkRootPath, checkTags, checkToken } from "./validation.js";

export interface CreateAccessPointInput {
  clientToken: string;
  fileSystemId: string;
  tags?: Tag[];
  posixUser?: PosixUser;
  rootDirectory?: { path?: string; creationInfo?: CreationInfo };
}

export interface DescribeAccessPointsInput {
  accessPointId?: string;
  fileSystemId?: string;
  nextToken?: string;
  maxResults?: number;
}

function checkPosixUser(u: PosixUser): void {
  checkRange(u.uid, "posixUser.uid", 0, UINT32_MAX);
  checkRange(u.gid, "posixUser.gid", 0, UINT32_MAX);
  if (u.secondaryGids.length > 16) throw new BadRequest("PosixUser.SecondaryGids can have at most 16 entries.");
  u.secondaryGids.forEach((g, i) => checkRange(g, `posixUser.secondaryGids.${i + 1}.member`, 0, UINT32_MAX));
}

function checkCreationInfo(c: CreationInfo): void {
  checkRange(c.ownerUid, "rootDirectory.creationInfo.ownerUid", 0, UINT32_MAX);
  checkRange(c.ownerGid, "rootDirectory.creationInfo.ownerGid", 0, UINT32_MAX);
  checkPattern(c.permissions, "rootDirectory.creationInfo.permissions", PERMISSIONS);
}

/** The parameters that decide whether a repeated ClientToken is the same request. */
function fingerprint(fsId: string, tags: Tag[], posixUser: PosixUser | undefined, rootPath: string, creationInfo: CreationInfo | undefined): string {
  const sortedTags = [...tags].sort((a, b) => (a.Key < b.Key ? -1 : a.Key > b.Key ? 1 : 0));
  return JSON.stringify([
    fsId,
    sortedTags.map((t) => [t.Key, t.Value]),
    posixUser ? [posixUser.uid, posixUser.gid, posixUser.secondaryGids] : null,
    rootPath,
    creationInfo ? [creationInfo.ownerUid, creationInfo.ownerGid, creationInfo.permissions] : null,
  ]);
}

export class AccessPoints {
  constructor(
    private readonly s: State,
    private readonly fileSystems: FileSystems,
  ) {}

  get(idOrArn: string): AccessPointRecord {
    checkPattern(idOrArn, "accessPointId", AP_ID_OR_ARN);
    const id = bareId(this.s.scope, idOrArn);
    const ap = id === undefined ? undefined : this.s.accessPoints.get(id);
    if (!ap) throw new AccessPointNotFound(`Access point '${id ?? idOrArn}' does not exist.`);
    return ap;
  }

  /** Creates an access point, or returns the one a repeated identical request created (`created: false`). */
  create(input: CreateAccessPointInput): { accessPoint: AccessPointRecord; created: boolean } {
    checkToken(input.clientToken, "clientToken");
    const fs = this.fileSystems.get(input.fileSystemId);
    const tags = input.tags ?? [];
    checkTags(tags, "tags", this.s.limits.tagsPerResource);
    const posixUser = input.posixUser ? { uid: input.posixUser.uid, gid: input.posixUser.gid, secondaryGids: [...(input.posixUser.secondaryGids ?? [])] } : undefined;
    if (posixUser) checkPosixUser(posixUser);
    const rootPath = input.rootDirectory?.path ?? "/";
    checkRootPath(rootPath);
    const creationInfo = input.rootDirectory?.creationInfo ? { ...input.rootDirectory.creationInfo } : undefined;
    if (creationInfo) checkCreationInfo(creationInfo);

    const existingId = this.s.apByToken.get(input.clientToken);
    if (existingId) {
      const existing = this.s.accessPoints.get(existingId)!;
      const same = fingerprint(existing.fsId, existing.tags, existing.posixUser, existing.rootPath, existing.creationInfo) === fingerprint(fs.id, tags, posixUser, rootPath, creationInfo);
      if (same) return { accessPoint: existing, created: false };
      throw new AccessPointAlreadyExists(`Access point with client token '${input.clientToken}' already exists: ${existingId}.`, { AccessPointId: existingId });
    }
    this.fileSystems.getAvailable(fs.id);
    const list = this.s.apList(fs.id);
    const limit = this.s.limits.accessPointsPerFileSystem;
    if (list.size >= limit) {
      throw new AccessPointLimitExceeded(`You have reached the maximum number of access points (${limit}) for your file system ${fs.id}. Delete an access point and add a new one.`);
    }
    const ap: AccessPointRecord = {
      id: newId("fsap", (x) => this.s.accessPoints.has(x)),
      seq: this.s.nextSeq(),
      fsId: fs.id,
      clientToken: input.clientToken,
      creationTime: this.s.epochSeconds(),
      tags: [...tags],
      posixUser,
      rootPath,
      creationInfo,
    };
    this.s.accessPoints.set(ap.id, ap);
    this.s.apByToken.set(ap.clientToken, ap.id);
    list.add(ap);
    this.s.persist("access-point", ap, ap.id);
    return { accessPoint: ap, created: true };
  }

  describe(input: DescribeAccessPointsInput): Page<AccessPointRecord> {
    const limit = input.maxResults ?? 100;
    if (!Number.isInteger(limit) || limit < 1) throw new BadRequest("MaxResults must be an integer greater than 0.");
    if (input.accessPointId !== undefined && input.fileSystemId !== undefined) {
      throw new BadRequest("AccessPointId and FileSystemId are mutually exclusive; specify one or neither.");
    }
    if (input.accessPointId !== undefined) return { items: [this.get(input.accessPointId)] };
    if (input.fileSystemId !== undefined) {
      const fs = this.fileSystems.get(input.fileSystemId);
      return pageOf(this.s.apList(fs.id), input.nextToken, limit, "NextToken");
    }
    return pageOfIterable(this.s.accessPoints.values(), input.nextToken, limit, "NextToken");
  }

  /** Deletes the access point record only; its root directory and data stay. */
  delete(idOrArn: string): void {
    const ap = this.get(idOrArn);
    this.s.accessPoints.delete(ap.id);
    this.s.apByToken.delete(ap.clientToken);
    this.s.apsByFs.get(ap.fsId)?.remove(ap);
    this.s.unpersist("access-point", ap.id);
  }
}
