/**
 * The EFS model: every resource and rule, no HTTP. Parts share one State and are exposed as
 * `model.fileSystems`, `model.accessPoints`, `model.mountTargets`, `model.tags`, `model.policies`,
 * `model.mounts`. Mutations change memory at once and queue a durable write; callers that answer a client
 * await `store.sync()` first (the HTTP layer does this for every response).
 */
import { FS_ID } from "../ids.js";
import type { Scope } from "../ids.js";
import type { MetadataStore } from "../persistence/metadata-store.js";
import { AccessPoints } from "./access-points.js";
import { FileSystems } from "./file-systems.js";
import { MountTargets } from "./mount-targets.js";
import { Mounts, type MountDirectoryResolver } from "./mounts.js";
import { Policies } from "./policies.js";
import { DEFAULT_LIMITS, State, type EfsLimits, type FileSystemDisk } from "./state.js";
import { Tags } from "./tags.js";

export const DEFAULT_FILE_SYSTEM_TOKEN = "cistern-default";
export const DEFAULT_FILE_SYSTEM_NAME = "cistern-default";

export interface EfsModelOptions {
  store: MetadataStore;
  scope: Scope;
  limits?: Partial<EfsLimits>;
  disk: FileSystemDisk;
  resolveDirectory: MountDirectoryResolver;
  now?: () => Date;
  defer?: (fn: () => void) => void;
}

export class EfsModel {
  readonly fileSystems: FileSystems;
  readonly accessPoints: AccessPoints;
  readonly mountTargets: MountTargets;
  readonly tags: Tags;
  readonly policies: Policies;
  readonly mounts: Mounts;
  readonly limits: EfsLimits;
  private readonly state: State;

  constructor(opts: EfsModelOptions) {
    this.limits = { ...DEFAULT_LIMITS, ...opts.limits };
    this.state = new State(opts.store, opts.scope, this.limits, opts.disk, opts.now, opts.defer);
    this.fileSystems = new FileSystems(this.state);
    this.accessPoints = new AccessPoints(this.state, this.fileSystems);
    this.mountTargets = new MountTargets(this.state, this.fileSystems, this.accessPoints);
    this.tags = new Tags(this.state, this.fileSystems, this.accessPoints);
    this.policies = new Policies(this.state, this.fileSystems);
    this.mounts = new Mounts(this.state, this.fileSystems, this.accessPoints, this.policies, opts.resolveDirectory);
    this.state.reload();
  }

  get scope(): Scope {
    return this.state.scope;
  }

  /** Rebuilds memory from committed state (after a failed commit). */
  reload(): void {
    this.state.reload();
    this.policies.reset();
  }

  /**
   * Start-up recovery and bootstrapping: every file system's directory exists, interrupted creates
   * complete, the default file system (Name tag "cistern-default") exists, and so does each pre-created
   * ID. Returns the default file system's ID.
   */
  bootstrap(preCreateIds: string[] = []): string {
    for (const id of preCreateIds) if (!FS_ID.test(id)) throw new Error(`preCreateFileSystemIds: '${id}' does not match fs-[0-9a-f]{8,40}`);
    for (const fs of this.state.fileSystems.values()) {
      this.state.disk.ensure(fs.id);
      if (fs.state === "creating") this.fileSystems.finishCreating(fs.id);
    }
    let defaultId = this.state.fsByToken.get(DEFAULT_FILE_SYSTEM_TOKEN);
    if (!defaultId) {
      defaultId = this.fileSystems.create({ creationToken: DEFAULT_FILE_SYSTEM_TOKEN, tags: [{ Key: "Name", Value: DEFAULT_FILE_SYSTEM_NAME }] }).id;
    }
    for (const id of preCreateIds) {
      if (this.state.fileSystems.has(id)) continue;
      this.fileSystems.create({ creationToken: `cistern-precreated-${id}`, tags: [{ Key: "Name", Value: id }] }, id);
    }
    return defaultId;
  }

  /** All file system IDs, oldest first. */
  fileSystemIds(): string[] {
    return [...this.state.fileSystems.keys()];
  }

  /** Access points of a file system (metering needs their roots). */
  accessPointsOf(fsId: string) {
    return this.state.apsByFs.get(fsId)?.all() ?? [];
  }
}
