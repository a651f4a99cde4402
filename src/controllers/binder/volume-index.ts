/**
 * The binder's volume index: every known PV, answering upstream's findBestMatchForClaim without
 * scanning all volumes.
 *
 * Upstream keeps one bucket per access-mode set and, for a claim, walks the buckets whose modes
 * include the claim's (fewest modes first), linearly scanning each with FindMatchingVolume and
 * returning the first bucket's answer. We keep the same buckets and the same order, and inside a
 * bucket answer the same question from two structures:
 *   - volumes pre-bound to the claim, by claimRef namespace/name (upstream returns one at once);
 *   - the "pool": volumes a claim without a pre-binding could take (no claimRef, phase
 *     Available, not being deleted), grouped by class, volumeMode and attributes class and
 *     sorted by capacity — the first pool member with capacity ≥ request that passes the
 *     remaining checks (label selector) is upstream's "smallest match".
 * Ties (equal sizes, equal-sized buckets) are unordered upstream; here they go by insertion order
 * and bucket key.
 *
 * Reservations: a claim worker reserves the volume it is about to bind, so parallel workers never
 * pick the same volume; a reserved volume is invisible to every other claim until released.
 */
import { accessModesContainedIn, accessModesKey, modesFromKey } from "../model/access-modes.js";
import { nanoKey } from "../model/quantity.js";
import type { PersistentVolume, PersistentVolumeClaim } from "../model/types.js";
import { claimClass, claimKey, claimRefKey, isDeleting, requestedStorage, volumeCapacity, volumeClass } from "../model/volume-helpers.js";
import { evaluateVolume } from "./match-volume.js";
import { SortedGroups } from "./sorted-groups.js";

interface Entry {
  pv: PersistentVolume;
  bucket: string;
  poolKey?: string;
  capacity: bigint;
  prebindKey?: string;
}

function poolKeyOf(pv: PersistentVolume): string | undefined {
  if (pv.spec.claimRef || pv.status?.phase !== "Available" || isDeleting(pv)) return undefined;
  return `${volumeClass(pv)}\u0000${pv.spec.volumeMode ?? "Filesystem"}\u0000${pv.spec.volumeAttributesClassName ?? ""}`;
}

function claimPoolKey(claim: PersistentVolumeClaim): string {
  return `${claimClass(claim)}\u0000${claim.spec.volumeMode ?? "Filesystem"}\u0000${claim.spec.volumeAttributesClassName ?? ""}`;
}

interface Bucket {
  key: string;
  modeCount: number;
  members: Set<string>;
  pools: Map<string, SortedGroups>;
}

export class VolumeIndex {
  private readonly entries = new Map<string, Entry>();
  private readonly buckets = new Map<string, Bucket>();
  private readonly preboundByClaim = new Map<string, Set<string>>();
  private readonly reserved = new Map<string, string>();
  private bucketOrder: Bucket[] | undefined;

  get size(): number {
    return this.entries.size;
  }

  get(name: string): PersistentVolume | undefined {
    return this.entries.get(name)?.pv;
  }

  list(): PersistentVolume[] {
    return [...this.entries.values()].map((e) => e.pv);
  }

  /** Add or replace a volume (the caller decides which version is newest). */
  upsert(pv: PersistentVolume): void {
    const name = pv.metadata.name ?? "";
    this.remove(name);
    const bucketKey = accessModesKey(pv.spec.accessModes);
    let bucket = this.buckets.get(bucketKey);
    if (!bucket) {
      bucket = { key: bucketKey, modeCount: bucketKey ? bucketKey.split(",").length : 0, members: new Set(), pools: new Map() };
      this.buckets.set(bucketKey, bucket);
      this.bucketOrder = undefined;
    }
    bucket.members.add(name);
    const entry: Entry = { pv, bucket: bucketKey, capacity: nanoKey(volumeCapacity(pv)) ?? 0n };
    entry.poolKey = poolKeyOf(pv);
    if (entry.poolKey !== undefined) {
      let pool = bucket.pools.get(entry.poolKey);
      if (!pool) bucket.pools.set(entry.poolKey, (pool = new SortedGroups()));
      pool.add(entry.capacity, name);
    }
    entry.prebindKey = claimRefKey(pv);
    if (entry.prebindKey !== undefined) {
      let set = this.preboundByClaim.get(entry.prebindKey);
      if (!set) this.preboundByClaim.set(entry.prebindKey, (set = new Set()));
      set.add(name);
    }
    this.entries.set(name, entry);
  }

  remove(name: string): PersistentVolume | undefined {
    const entry = this.entries.get(name);
    if (!entry) return undefined;
    this.entries.delete(name);
    const bucket = this.buckets.get(entry.bucket);
    if (bucket) {
      bucket.members.delete(name);
      if (entry.poolKey !== undefined) bucket.pools.get(entry.poolKey)?.remove(entry.capacity, name);
      if (bucket.members.size === 0) {
        this.buckets.delete(entry.bucket);
        this.bucketOrder = undefined;
      }
    }
    if (entry.prebindKey !== undefined) {
      const set = this.preboundByClaim.get(entry.prebindKey);
      set?.delete(name);
      if (set?.size === 0) this.preboundByClaim.delete(entry.prebindKey);
    }
    return entry.pv;
  }

  /** Volumes whose claimRef names this "namespace/name" (any uid). */
  volumesClaimedBy(key: string): PersistentVolume[] {
    return [...(this.preboundByClaim.get(key) ?? [])].map((n) => this.entries.get(n)?.pv as PersistentVolume);
  }

  /** In the pool: a claim without a pre-binding could take it right now. */
  isInPool(name: string): boolean {
    return this.entries.get(name)?.poolKey !== undefined;
  }

  reserve(name: string, forClaim: string): boolean {
    const holder = this.reserved.get(name);
    if (holder !== undefined && holder !== forClaim) return false;
    this.reserved.set(name, forClaim);
    return true;
  }

  release(name: string, forClaim: string): void {
    if (this.reserved.get(name) === forClaim) this.reserved.delete(name);
  }

  reservedBy(name: string): string | undefined {
    return this.reserved.get(name);
  }

  /** Access-mode buckets containing the claim's modes, fewest modes first (ties by key). */
  candidateBuckets(modes: readonly string[] | undefined): string[] {
    if (!this.bucketOrder) this.bucketOrder = [...this.buckets.values()].sort((a, b) => a.modeCount - b.modeCount || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return this.bucketOrder.filter((b) => accessModesContainedIn(modesFromKey(b.key), modes)).map((b) => b.key);
  }

  /**
   * Upstream's findBestMatchForClaim(claim, delayBinding): the volume the PV controller would
   * bind, skipping volumes reserved by other claims.
   */
  findBestMatchForClaim(claim: PersistentVolumeClaim, delayBinding: boolean): PersistentVolume | undefined {
    const me = claimKey(claim);
    const prebound = (this.preboundByClaim.get(me) ?? new Set<string>()) as Set<string>;
    const request = nanoKey(requestedStorage(claim)) ?? 0n;
    const poolKey = claimPoolKey(claim);
    for (const bucketKey of this.candidateBuckets(claim.spec.accessModes)) {
      for (const name of prebound) {
        const e = this.entries.get(name);
        if (!e || e.bucket !== bucketKey || !this.usable(name, me)) continue;
        const ev = evaluateVolume(claim, e.pv, { delayBinding });
        if (ev.ok && ev.prebound) return e.pv;
      }
      if (delayBinding) continue;
      const pool = this.buckets.get(bucketKey)?.pools.get(poolKey);
      if (!pool) continue;
      for (const [, name] of pool.atLeast(request)) {
        const e = this.entries.get(name);
        if (!e || !this.usable(name, me)) continue;
        if (evaluateVolume(claim, e.pv, { delayBinding }).ok) return e.pv;
      }
    }
    return undefined;
  }

  private usable(name: string, claim: string): boolean {
    const holder = this.reserved.get(name);
    return holder === undefined || holder === claim;
  }
}
