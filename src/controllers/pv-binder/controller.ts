/**
 * The PersistentVolume controller: binds claims to volumes, releases and reclaims volumes, and
 * hands claims to external provisioners, by running the pure syncClaim/syncVolume decisions
 * against the API.
 *
 * Concurrency (upstream runs one worker per queue; we run many, safely):
 *   - a claim is synced by at most one worker at a time (the work queue guarantees it);
 *   - a volume is touched by at most one sync at a time: a claim sync holds the lock of every
 *     volume its decision writes, a volume sync holds its own volume's lock;
 *   - a claim reserves the volume it picked in the index before any await, so parallel claim
 *     syncs never pick the same volume;
 *   - every write is conditional on the resourceVersion it was computed from; a 409 re-queues.
 * Freshness: the caches (volume index, claims) take informer events and our own acknowledged
 * writes, whichever is newer. New or freed volumes wake waiting claims at once (WaitingClaims);
 * a periodic resync of unfinished objects is only a safety net.
 */
import type { KubeObject } from "../../api/types.js";
import { isConflict, isNotFound, type Informer, type InformerFactory, type KubeClient } from "../../client/index.js";
import type { Logger } from "../../lib/log.js";
import { Controller, type EventRecorder } from "../runtime/index.js";
import { executeSteps } from "../binder/execute.js";
import type { Decision } from "../binder/plan.js";
import { isDelayBindingMode } from "../binder/provision.js";
import { syncClaim } from "../binder/sync-claim.js";
import { syncVolume } from "../binder/sync-volume.js";
import type { BinderView } from "../binder/view.js";
import { VolumeIndex } from "../binder/volume-index.js";
import { ANN_BIND_COMPLETED, ANN_SELECTED_NODE } from "../model/constants.js";
import { Resources } from "../model/resources.js";
import type { PersistentVolume, PersistentVolumeClaim, Pod, StorageClass } from "../model/types.js";
import { claimKey, claimRefKey, hasAnnotation } from "../model/volume-helpers.js";
import { KeyedLock } from "../shared/keyed-lock.js";
import { POD_CLAIMS_INDEX, ensurePodClaimsIndex } from "../shared/pod-claims-index.js";
import { VersionedCache, isNewer } from "../shared/versioned-cache.js";
import { apiTarget } from "./api-target.js";
import { WaitingClaims } from "./waiting-claims.js";

export interface PvBinderOptions {
  client: KubeClient;
  informers: InformerFactory;
  recorder: EventRecorder;
  log: Logger;
  /** Claim syncs in flight at once (default 32). */
  claimWorkers?: number;
  /** Volume syncs in flight at once (default 16). */
  volumeWorkers?: number;
  /** Safety-net resync of unfinished claims and volumes (default 15 s, as upstream). */
  resyncMs?: number;
}

export class PvBinder {
  readonly index = new VolumeIndex();
  readonly claims = new VersionedCache<PersistentVolumeClaim>();
  readonly waiting = new WaitingClaims();
  private readonly locks = new KeyedLock();
  private readonly claimCtl: Controller;
  private readonly volumeCtl: Controller;
  private readonly pvInformer: Informer<PersistentVolume>;
  private readonly pvcInformer: Informer<PersistentVolumeClaim>;
  private readonly scInformer: Informer<StorageClass>;
  private readonly podInformer: Informer<Pod>;
  private readonly target;
  private timers: ReturnType<typeof setInterval>[] = [];
  private initialVolumes: Set<string> | undefined;
  private initialSettled: (() => void) | undefined;
  /** Claims whose binding is being written right now (their own sync completes it). */
  private readonly binding = new Set<string>();
  private resyncs = 0;

  constructor(private readonly o: PvBinderOptions) {
    this.pvInformer = o.informers.informerFor<PersistentVolume>(Resources.persistentVolumes);
    this.pvcInformer = o.informers.informerFor<PersistentVolumeClaim>(Resources.persistentVolumeClaims);
    this.scInformer = o.informers.informerFor<StorageClass>(Resources.storageClasses);
    this.podInformer = o.informers.informerFor<Pod>(Resources.pods);
    ensurePodClaimsIndex(this.podInformer);
    this.claimCtl = new Controller({ name: "pv-binder-claims", reconcile: (k) => this.reconcileClaim(k), workers: o.claimWorkers ?? 32, log: o.log.child("claims") });
    this.volumeCtl = new Controller({ name: "pv-binder-volumes", reconcile: (k) => this.reconcileVolume(k), workers: o.volumeWorkers ?? 16, log: o.log.child("volumes") });
    this.target = apiTarget(o.client, o.recorder, {
      // Our own writes update the caches but do not re-queue the object: the sync that wrote it
      // already acted on the new state. Related objects are still woken.
      written: (kind, obj) => (kind === "PersistentVolume" ? this.volumeChanged(obj as PersistentVolume, true) : this.claimChanged(obj as PersistentVolumeClaim, true)),
      // A claim whose binding is being written completes it in its own sync.
      enqueueClaim: (key) => {
        if (!this.binding.has(key)) this.claimCtl.enqueue(key);
      },
    });
  }

  async start(signal?: AbortSignal): Promise<void> {
    this.pvInformer.addEventHandler({
      onAdd: (pv) => this.volumeChanged(pv),
      onUpdate: (_o, pv) => this.volumeChanged(pv),
      onDelete: (pv) => this.volumeDeleted(pv),
    });
    this.pvcInformer.addEventHandler({
      onAdd: (c) => this.claimChanged(c),
      onUpdate: (_o, c) => this.claimChanged(c),
      onDelete: (c) => this.claimDeleted(c),
    });
    this.scInformer.addEventHandler({
      onAdd: (sc) => this.classChanged(sc),
      onUpdate: (_o, sc) => this.classChanged(sc),
    });
    for (const i of [this.pvInformer, this.pvcInformer, this.scInformer, this.podInformer]) i.start();
    await Promise.all([this.pvInformer, this.pvcInformer, this.scInformer, this.podInformer].map((i) => i.waitForSync(signal)));
    // Volumes first: a claim synced before the existing volumes are Available would find
    // nothing, report it, and have to be woken again.
    this.initialVolumes = new Set(this.index.list().map((v) => v.metadata.name ?? ""));
    const settled = new Promise<void>((resolve) => (this.initialSettled = resolve));
    await this.volumeCtl.start();
    if (this.initialVolumes.size === 0) this.initialSettled?.();
    await Promise.race([settled, new Promise((r) => setTimeout(r, 30_000).unref())]);
    this.initialVolumes = undefined;
    await this.claimCtl.start();
    const resyncMs = this.o.resyncMs ?? 15_000;
    if (resyncMs > 0) this.timers.push(setInterval(() => this.resync(), resyncMs));
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await Promise.all([this.claimCtl.stop(), this.volumeCtl.stop()]);
  }

  get stats() {
    return {
      claims: { ...this.claimCtl.stats, queued: this.claimCtl.queue.len() },
      volumes: { ...this.volumeCtl.stats, queued: this.volumeCtl.queue.len() },
      waiting: this.waiting.size,
    };
  }

  // --- cache maintenance --------------------------------------------------------------------

  private volumeChanged(pv: PersistentVolume, ownWrite = false): void {
    const name = pv.metadata.name ?? "";
    const cached = this.index.get(name);
    if (cached && !isNewer(cached, pv)) return;
    const same = cached?.metadata.resourceVersion === pv.metadata.resourceVersion && cached !== undefined;
    this.index.upsert(pv);
    if (same) return;
    if (!ownWrite) this.volumeCtl.enqueue(name);
    const ref = claimRefKey(pv);
    if (ref) {
      // A volume pre-bound (by a user, the scheduler or a provisioner) to a claim not yet bound to it.
      const claim = this.claims.get(ref);
      if (claim && claim.spec.volumeName !== name && !this.binding.has(ref)) this.claimCtl.enqueue(ref);
    } else if (this.index.isInPool(name)) {
      this.offer(pv);
    }
  }

  private volumeDeleted(pv: PersistentVolume): void {
    const name = pv.metadata.name ?? "";
    this.index.remove(name);
    const ref = claimRefKey(pv);
    if (ref && this.claims.get(ref)) this.claimCtl.enqueue(ref);
  }

  private claimChanged(claim: PersistentVolumeClaim, ownWrite = false): void {
    const key = claimKey(claim);
    const cached = this.claims.get(key);
    if (!this.claims.store(key, claim)) return;
    if (cached?.metadata.resourceVersion === claim.metadata.resourceVersion) return;
    if (!ownWrite) this.claimCtl.enqueue(key);
    // Volumes that point at this claim but that it did not take (a lost race) need their sync.
    for (const pv of this.index.volumesClaimedBy(key)) if (pv.metadata.name !== claim.spec.volumeName) this.volumeCtl.enqueue(pv.metadata.name ?? "");
  }

  private claimDeleted(claim: PersistentVolumeClaim): void {
    const key = claimKey(claim);
    this.claims.delete(key);
    this.waiting.remove(key);
    for (const pv of this.index.volumesClaimedBy(key)) this.volumeCtl.enqueue(pv.metadata.name ?? "");
    if (claim.spec.volumeName) this.volumeCtl.enqueue(claim.spec.volumeName);
  }

  private classChanged(sc: StorageClass): void {
    for (const key of this.waiting.keysOfClass(sc.metadata.name ?? "")) this.claimCtl.enqueue(key);
  }

  /** Offer a bindable volume to a waiting claim (see WaitingClaims). */
  private offer(pv: PersistentVolume, skip?: string): void {
    const name = pv.metadata.name ?? "";
    if (!this.index.isInPool(name) || this.index.reservedBy(name) !== undefined) return;
    const key = this.waiting.wake(pv, (k) => this.claims.get(k), skip);
    if (key) this.claimCtl.enqueue(key);
  }

  private resync(): void {
    this.resyncs++;
    const full = this.resyncs % 20 === 0;
    for (const [key, c] of [...this.claims.keys()].map((k) => [k, this.claims.get(k)] as const)) {
      if (full || c?.status?.phase !== "Bound" || !hasAnnotation(c, ANN_BIND_COMPLETED)) this.claimCtl.enqueue(key);
    }
    for (const pv of this.index.list()) {
      const phase = pv.status?.phase;
      if (full || (phase !== "Bound" && !(phase === "Available" && !pv.spec.claimRef))) this.volumeCtl.enqueue(pv.metadata.name ?? "");
    }
  }

  // --- syncs --------------------------------------------------------------------------------

  private view(reserveFor?: string, reserved?: string[]): BinderView {
    return {
      volume: (n) => this.index.get(n),
      claim: (k) => this.claims.get(k),
      findBestMatch: (c, delay) => {
        const pv = this.index.findBestMatchForClaim(c, delay);
        // Reserve synchronously: no other sync can pick this volume from here on.
        if (pv && reserveFor && this.index.reserve(pv.metadata.name ?? "", reserveFor)) reserved?.push(pv.metadata.name ?? "");
        return pv;
      },
      storageClass: (n) => this.scInformer.getByName(undefined, n),
      storageClasses: () => this.scInformer.list(),
      podsForClaim: (k) => this.podInformer.byIndex(POD_CLAIMS_INDEX, k),
    };
  }

  /** Volumes a decision writes, with the resourceVersion each write was computed from. */
  private volumesWritten(d: Decision): Map<string, string | undefined> {
    const out = new Map<string, string | undefined>();
    for (const s of d.steps) if ((s.type === "update" || s.type === "updateStatus") && s.kind === "PersistentVolume" && !out.has(s.object.metadata.name ?? "")) out.set(s.object.metadata.name ?? "", s.object.metadata.resourceVersion);
    return out;
  }

  private async reconcileClaim(key: string): Promise<{ requeue?: boolean } | void> {
    const claim = this.claims.get(key);
    if (!claim) {
      this.waiting.remove(key);
      this.waiting.finish(key);
      return;
    }
    const reserved: string[] = [];
    let outcome: "done" | "stale" | "conflict" = "done";
    let foundNothing = false;
    try {
      const decision = syncClaim(claim, this.view(key, reserved));
      if (decision.error) throw new Error(decision.error);
      const written = this.volumesWritten(decision);
      foundNothing = written.size === 0 && !claim.spec.volumeName && !hasAnnotation(claim, ANN_BIND_COMPLETED);
      outcome = await this.locks.withLock([...written.keys(), ...reserved], async () => {
        // Another sync may have written the volume while we waited: decide again from fresh state.
        for (const [name, rv] of written) if (this.index.get(name)?.metadata.resourceVersion !== rv) return "stale";
        if (this.claims.get(key)?.metadata.resourceVersion !== claim.metadata.resourceVersion) return "stale";
        this.binding.add(key);
        const result = await executeSteps(decision.steps, this.target).finally(() => this.binding.delete(key));
        if (result.ok) return "done";
        if (isConflict(result.error) || isNotFound(result.error)) return "conflict";
        throw result.error;
      });
    } finally {
      for (const name of reserved) this.index.release(name, key);
      this.afterClaimSync(key, foundNothing && outcome === "done", reserved);
    }
    return outcome === "done" ? undefined : { requeue: true };
  }

  private afterClaimSync(key: string, foundNothing: boolean, reserved: string[]): void {
    const claim = this.claims.get(key);
    const waits =
      foundNothing && claim && !claim.spec.volumeName && !isDelayBindingMode(claim, { storageClass: (n) => this.scInformer.getByName(undefined, n) }).delay && !hasAnnotation(claim, ANN_SELECTED_NODE);
    if (waits && claim) {
      this.waiting.add(key, claim);
      // A volume that became bindable while this sync ran was offered before the claim was
      // waiting: look once more now, or that wake-up is lost until the resync.
      if (this.index.findBestMatchForClaim(claim, false)) this.claimCtl.enqueue(key);
    } else {
      this.waiting.remove(key);
    }
    // The volume that woke this claim, and any it reserved but did not take, may be free again.
    const token = this.waiting.finish(key);
    for (const name of new Set([...(token ? [token] : []), ...reserved])) {
      const pv = this.index.get(name);
      if (pv) this.offer(pv, foundNothing ? key : undefined);
    }
  }

  private async reconcileVolume(name: string): Promise<{ requeue?: boolean } | void> {
    try {
      return await this.syncVolumeKey(name);
    } finally {
      if (this.initialVolumes?.delete(name) && this.initialVolumes.size === 0) this.initialSettled?.();
    }
  }

  private async syncVolumeKey(name: string): Promise<{ requeue?: boolean } | void> {
    const first = this.index.get(name);
    if (!first) return;
    // Most volume syncs decide "nothing to do" (e.g. the echo of a bind's own write): decide
    // without the lock first, and lock only to write.
    if (this.isNoop(syncVolume(first, this.view()))) return this.offerIfFree(name);
    const outcome = await this.locks.withLock([name], async () => {
      const pv = this.index.get(name);
      if (!pv) return "done";
      let decision = syncVolume(pv, this.view());
      if (decision.needLiveClaim) {
        const { namespace, name: claimName } = decision.needLiveClaim;
        const live = await this.readClaim(namespace, claimName);
        if (live) this.claimChanged(live);
        const key = `${namespace}/${claimName}`;
        decision = syncVolume(pv, { ...this.view(), liveClaim: (k) => (k === key ? live : undefined) });
      }
      if (decision.error) throw new Error(decision.error);
      const result = await executeSteps(decision.steps, this.target);
      if (result.ok) return "done";
      if (isConflict(result.error) || isNotFound(result.error)) return "conflict";
      throw result.error;
    });
    this.offerIfFree(name);
    return outcome === "done" ? undefined : { requeue: true };
  }

  /** No writes, no live read, no error: only events and enqueues, which are safe without the lock. */
  private isNoop(d: Decision): boolean {
    if (d.error || d.needLiveClaim || d.steps.some((s) => s.type === "update" || s.type === "updateStatus")) return false;
    for (const s of d.steps) {
      if (s.type === "enqueueClaim") this.target.enqueueClaim(s.key);
      else if (s.type === "event") this.target.event(s.involved, s);
    }
    return true;
  }

  private offerIfFree(name: string): void {
    const pv = this.index.get(name);
    if (pv && this.index.isInPool(name)) this.offer(pv);
  }

  private async readClaim(namespace: string, name: string): Promise<PersistentVolumeClaim | null> {
    try {
      return await this.o.client.resource<PersistentVolumeClaim & KubeObject>(Resources.persistentVolumeClaims).get(namespace, name);
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }
}
