/**
 * The in-memory state every model part shares, loaded from the metadata store at start and written
 * through to it on every change (the store queues and group-commits; see persistence/metadata-store.ts).
 * Only the model mutates it; everything is single-threaded, so an in-memory check followed by the
 * in-memory change is atomic with respect to other requests.
 */
import type { MetadataStore, ResourceKind } from "../persistence/metadata-store.js";
import type { Scope } from "../ids.js";
import { SeqList } from "./seq-list.js";
import type { AccessPointRecord, ClientMountRecord, FileSystemRecord, MountTargetRecord, PolicyRecord } from "./types.js";

export interface EfsLimits {
  fileSystems: number;
  accessPointsPerFileSystem: number;
  tagsPerResource: number;
  mountTargetSecurityGroups: number;
}

export const DEFAULT_LIMITS: EfsLimits = {
  fileSystems: 1000,
  accessPointsPerFileSystem: 10000,
  tagsPerResource: 50,
  mountTargetSecurityGroups: 5,
};

/** Side effects on local disk that file system lifecycle changes need; injected so the model stays testable. */
export interface FileSystemDisk {
  /** Creates the file system's root directory if absent. Must be durable on return. */
  ensure(fsId: string): void;
  /** Detaches the file system's directory tree for removal. Must be durable on return. */
  discard(fsId: string): void;
}

export class State {
  readonly fileSystems = new Map<string, FileSystemRecord>();
  readonly fsByToken = new Map<string, string>();
  readonly accessPoints = new Map<string, AccessPointRecord>();
  readonly apByToken = new Map<string, string>();
  readonly apsByFs = new Map<string, SeqList<AccessPointRecord>>();
  readonly mountTargets = new Map<string, MountTargetRecord>();
  readonly policies = new Map<string, PolicyRecord>();
  readonly mounts = new Map<string, ClientMountRecord>();
  private lastSeq = 0;

  constructor(
    readonly store: MetadataStore,
    readonly scope: Scope,
    readonly limits: EfsLimits,
    readonly disk: FileSystemDisk,
    readonly now: () => Date = () => new Date(),
    /** Runs deferred state transitions (creating → available); setImmediate unless a test wants control. */
    readonly defer: (fn: () => void) => void = (fn) => setImmediate(fn),
  ) {}

  nextSeq(): number {
    return ++this.lastSeq;
  }

  epochSeconds(): number {
    return Math.floor(this.now().getTime() / 1000);
  }

  persist(kind: ResourceKind, record: { seq: number }, id: string): void {
    this.store.put(kind, id, record.seq, record);
  }

  unpersist(kind: ResourceKind, id: string): void {
    this.store.remove(kind, id);
  }

  apList(fsId: string): SeqList<AccessPointRecord> {
    let list = this.apsByFs.get(fsId);
    if (!list) {
      list = new SeqList();
      this.apsByFs.set(fsId, list);
    }
    return list;
  }

  /** Replaces all in-memory state with what the store has committed (start-up, or after a failed commit). */
  reload(): void {
    this.fileSystems.clear();
    this.fsByToken.clear();
    this.accessPoints.clear();
    this.apByToken.clear();
    this.apsByFs.clear();
    this.mountTargets.clear();
    this.policies.clear();
    this.mounts.clear();
    let maxSeq = 0;
    const track = (seq: number) => (maxSeq = Math.max(maxSeq, seq));
    for (const { doc, seq } of this.store.load("file-system")) {
      const fs = doc as FileSystemRecord;
      this.fileSystems.set(fs.id, fs);
      this.fsByToken.set(fs.creationToken, fs.id);
      track(seq);
    }
    for (const { doc, seq } of this.store.load("access-point")) {
      const ap = doc as AccessPointRecord;
      this.accessPoints.set(ap.id, ap);
      this.apByToken.set(ap.clientToken, ap.id);
      this.apList(ap.fsId).add(ap);
      track(seq);
    }
    for (const { doc, seq } of this.store.load("mount-target")) {
      const mt = doc as MountTargetRecord;
      this.mountTargets.set(mt.id, mt);
      track(seq);
    }
    for (const { doc, seq } of this.store.load("policy")) {
      const p = doc as PolicyRecord;
      this.policies.set(p.fsId, p);
      track(seq);
    }
    for (const { doc, seq } of this.store.load("mount")) {
      const m = doc as ClientMountRecord;
      this.mounts.set(m.id, m);
      track(seq);
    }
    this.lastSeq = Math.max(this.lastSeq, maxSeq);
  }
}
