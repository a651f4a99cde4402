/**
 * File systems: creation is idempotent by CreationToken (a reused token answers FileSystemAlreadyExists
 * with the existing FileSystemId, as AWS does, whatever the other parameters); a new file system is
 * `creating` until its root directory exists, then `available` on the next turn of the event loop.
 * Deleting needs no mount targets and no active client mounts; it removes the file system's access
 * points and policy with it and detaches its directory tree for background removal.
 */
import {
  BadRequest,
  FileSystemAlreadyExists,
  FileSystemInUse,
  FileSystemLimitExceeded,
  FileSystemNotFound,
  IncorrectFileSystemLifeCycleState,
  ThroughputLimitExceeded,
} from "../errors.js";
import { FS_ID, FS_ID_OR_ARN, bareId, newId } from "../ids.js";
import { pageOfIterable, type Page } from "./pagination.js";
import type { State } from "./state.js";
import type { FileSystemRecord, PerformanceMode, Tag, ThroughputMode } from "./types.js";
import { KMS_KEY_ID, checkLength, checkPattern, checkTags, checkToken } from "./validation.js";

export interface CreateFileSystemInput {
  creationToken: string;
  performanceMode?: PerformanceMode;
  throughputMode?: ThroughputMode;
  provisionedThroughputInMibps?: number;
  encrypted?: boolean;
  kmsKeyId?: string;
  availabilityZoneName?: string;
  tags?: Tag[];
}

export interface DescribeFileSystemsInput {
  fileSystemId?: string;
  creationToken?: string;
  marker?: string;
  maxItems?: number;
}

export interface UpdateFileSystemInput {
  throughputMode?: ThroughputMode;
  provisionedThroughputInMibps?: number;
}

const MAX_PROVISIONED_MIBPS = 1024; // the default quota; AWS raises it on request

function checkThroughput(mode: ThroughputMode, mibps: number | undefined): void {
  if (mode === "provisioned" && mibps === undefined) throw new BadRequest("ProvisionedThroughputInMibps is required when ThroughputMode is provisioned.");
  if (mode !== "provisioned" && mibps !== undefined) throw new BadRequest("ProvisionedThroughputInMibps can only be set when ThroughputMode is provisioned.");
  if (mibps !== undefined) {
    if (!(mibps >= 1)) throw new BadRequest("ProvisionedThroughputInMibps must be at least 1.0.");
    if (mibps > MAX_PROVISIONED_MIBPS) throw new ThroughputLimitExceeded(`Provisioned throughput of ${mibps} MiB/s exceeds the limit of ${MAX_PROVISIONED_MIBPS} MiB/s.`);
  }
}

export class FileSystems {
  constructor(private readonly s: State) {}

  /** Resolves an ID or ARN to the record; FileSystemNotFound if there is none. */
  get(idOrArn: string): FileSystemRecord {
    checkPattern(idOrArn, "fileSystemId", FS_ID_OR_ARN);
    const id = bareId(this.s.scope, idOrArn);
    const fs = id === undefined ? undefined : this.s.fileSystems.get(id);
    if (!fs) throw new FileSystemNotFound(`File system '${id ?? idOrArn}' does not exist.`);
    return fs;
  }

  /** Like get, and the file system must be `available`. */
  getAvailable(idOrArn: string): FileSystemRecord {
    const fs = this.get(idOrArn);
    if (fs.state !== "available") throw new IncorrectFileSystemLifeCycleState(`File system '${fs.id}' is in the '${fs.state}' state; it must be 'available'.`);
    return fs;
  }

  /**
   * Creates a file system (state `creating`) and its root directory. `id` pins the ID (pre-created file
   * systems); otherwise a long-form ID is generated.
   */
  create(input: CreateFileSystemInput, id?: string): FileSystemRecord {
    checkToken(input.creationToken, "creationToken");
    const existing = this.s.fsByToken.get(input.creationToken);
    if (existing) {
      throw new FileSystemAlreadyExists(`File system with creation token '${input.creationToken}' already exists: ${existing}.`, { FileSystemId: existing });
    }
    const tags = input.tags ?? [];
    checkTags(tags, "tags", this.s.limits.tagsPerResource);
    const throughputMode = input.throughputMode ?? "bursting";
    checkThroughput(throughputMode, input.provisionedThroughputInMibps);
    if (input.kmsKeyId !== undefined) {
      checkLength(input.kmsKeyId, "kmsKeyId", 1, 2048);
      checkPattern(input.kmsKeyId, "kmsKeyId", KMS_KEY_ID);
      if (!input.encrypted) throw new BadRequest("KmsKeyId can only be given when Encrypted is true.");
    }
    if (input.availabilityZoneName !== undefined) checkLength(input.availabilityZoneName, "availabilityZoneName", 1, 64);
    if (this.s.fileSystems.size >= this.s.limits.fileSystems) {
      throw new FileSystemLimitExceeded(`You have reached the maximum number of file systems (${this.s.limits.fileSystems}) for this account.`);
    }
    if (id !== undefined && (!FS_ID.test(id) || this.s.fileSystems.has(id))) throw new BadRequest(`Cannot create a file system with ID '${id}'.`);
    const fs: FileSystemRecord = {
      id: id ?? newId("fs", (x) => this.s.fileSystems.has(x)),
      seq: this.s.nextSeq(),
      creationToken: input.creationToken,
      creationTime: this.s.epochSeconds(),
      state: "creating",
      performanceMode: input.performanceMode ?? "generalPurpose",
      throughputMode,
      provisionedThroughputInMibps: input.provisionedThroughputInMibps,
      encrypted: input.encrypted ?? false,
      kmsKeyId: input.encrypted ? (input.kmsKeyId ?? `arn:aws:kms:${this.s.scope.region}:${this.s.scope.accountId}:alias/aws/elasticfilesystem`) : undefined,
      availabilityZoneName: input.availabilityZoneName,
      tags: [...tags],
    };
    this.s.disk.ensure(fs.id);
    this.s.fileSystems.set(fs.id, fs);
    this.s.fsByToken.set(fs.creationToken, fs.id);
    this.s.persist("file-system", fs, fs.id);
    const snapshot = { ...fs, tags: [...fs.tags] };
    this.s.defer(() => this.finishCreating(fs.id));
    return snapshot;
  }

  /** creating → available once the directory exists (also used at start-up for interrupted creates). */
  finishCreating(id: string): void {
    const fs = this.s.fileSystems.get(id);
    // A service closed before this deferred step ran finishes the create at its next start.
    if (!fs || fs.state !== "creating" || this.s.store.isClosed) return;
    this.s.disk.ensure(id);
    fs.state = "available";
    this.s.persist("file-system", fs, fs.id);
  }

  describe(input: DescribeFileSystemsInput): Page<FileSystemRecord> {
    const limit = input.maxItems ?? 100;
    if (!Number.isInteger(limit) || limit < 1) throw new BadRequest("MaxItems must be an integer greater than 0.");
    if (input.fileSystemId !== undefined) {
      const fs = this.get(input.fileSystemId);
      if (input.creationToken !== undefined && fs.creationToken !== input.creationToken) return { items: [] };
      return { items: [fs] };
    }
    if (input.creationToken !== undefined) {
      checkToken(input.creationToken, "creationToken");
      const id = this.s.fsByToken.get(input.creationToken);
      return { items: id ? [this.s.fileSystems.get(id)!] : [] };
    }
    return pageOfIterable(this.s.fileSystems.values(), input.marker, limit, "Marker");
  }

  update(idOrArn: string, input: UpdateFileSystemInput): FileSystemRecord {
    const fs = this.getAvailable(idOrArn);
    if (input.throughputMode === undefined && input.provisionedThroughputInMibps === undefined) {
      throw new BadRequest("Specify ThroughputMode, ProvisionedThroughputInMibps, or both.");
    }
    const mode = input.throughputMode ?? fs.throughputMode;
    const mibps = input.provisionedThroughputInMibps ?? (mode === "provisioned" ? fs.provisionedThroughputInMibps : undefined);
    checkThroughput(mode, mibps);
    fs.throughputMode = mode;
    fs.provisionedThroughputInMibps = mibps;
    this.s.persist("file-system", fs, fs.id);
    return fs;
  }

  /** Number of mount targets, and of active client mounts (ClientConnections). */
  usage(fsId: string): { mountTargets: number; clientMounts: number } {
    let mountTargets = 0;
    for (const mt of this.s.mountTargets.values()) if (mt.fsId === fsId) mountTargets++;
    let clientMounts = 0;
    for (const m of this.s.mounts.values()) if (m.fsId === fsId) clientMounts++;
    return { mountTargets, clientMounts };
  }

  delete(idOrArn: string): void {
    const fs = this.get(idOrArn);
    const { mountTargets, clientMounts } = this.usage(fs.id);
    if (mountTargets > 0) throw new FileSystemInUse(`File system '${fs.id}' has ${mountTargets} mount target(s); delete them first.`);
    if (clientMounts > 0) throw new FileSystemInUse(`File system '${fs.id}' has ${clientMounts} active client mount(s); unmount them first.`);
    this.s.disk.discard(fs.id);
    for (const ap of [...(this.s.apsByFs.get(fs.id)?.all() ?? [])]) {
      this.s.accessPoints.delete(ap.id);
      this.s.apByToken.delete(ap.clientToken);
      this.s.unpersist("access-point", ap.id);
    }
    this.s.apsByFs.delete(fs.id);
    if (this.s.policies.delete(fs.id)) this.s.unpersist("policy", fs.id);
    this.s.fileSystems.delete(fs.id);
    this.s.fsByToken.delete(fs.creationToken);
    this.s.unpersist("file-system", fs.id);
  }
}
