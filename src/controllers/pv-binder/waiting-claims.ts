/**
 * Claims that found no volume, waiting for one — so a volume that becomes bindable wakes a claim
 * at once instead of at the next periodic resync (upstream waits up to 15 s, kubernetes#48941).
 *
 * Rules, chosen so that every bindable volume ends up offered to every claim that could take it:
 *   - wake(volume) hands the volume to the oldest waiting claim it can serve (same class, and
 *     evaluateVolume says it is a candidate), takes that claim out of the waiting set and
 *     remembers the volume as the claim's "token";
 *   - when that claim's sync ends, `finish` re-offers the token volume if it is still free:
 *     the claim may have bound a better volume, or failed — the volume must not be stranded;
 *   - a claim that found nothing while holding a token is not offered that volume again.
 * Claims are grouped by class, so a volume only ever scans claims of its own class.
 */
import type { PersistentVolume, PersistentVolumeClaim } from "../model/types.js";
import { claimClass, volumeClass } from "../model/volume-helpers.js";
import { evaluateVolume } from "../binder/match-volume.js";
import { accessModesContainedIn } from "../model/access-modes.js";

export class WaitingClaims {
  private readonly byClass = new Map<string, Map<string, string>>();
  private readonly classOf = new Map<string, string>();
  private readonly tokens = new Map<string, string>();

  get size(): number {
    return this.classOf.size;
  }

  has(claimKey: string): boolean {
    return this.classOf.has(claimKey);
  }

  add(claimKey: string, claim: PersistentVolumeClaim): void {
    const cls = claimClass(claim);
    if (this.classOf.get(claimKey) === cls) return;
    this.remove(claimKey);
    let set = this.byClass.get(cls);
    if (!set) this.byClass.set(cls, (set = new Map()));
    set.set(claimKey, claimKey);
    this.classOf.set(claimKey, cls);
  }

  remove(claimKey: string): void {
    const cls = this.classOf.get(claimKey);
    if (cls === undefined) return;
    this.classOf.delete(claimKey);
    const set = this.byClass.get(cls);
    set?.delete(claimKey);
    if (set?.size === 0) this.byClass.delete(cls);
  }

  keysOfClass(cls: string): string[] {
    return [...(this.byClass.get(cls)?.keys() ?? [])];
  }

  all(): string[] {
    return [...this.classOf.keys()];
  }

  /**
   * The claim to offer `volume` to, or undefined. `claimOf` reads the cache; `skip` excludes a
   * claim that already failed to take this volume.
   */
  wake(volume: PersistentVolume, claimOf: (key: string) => PersistentVolumeClaim | undefined, skip?: string): string | undefined {
    const set = this.byClass.get(volumeClass(volume));
    if (!set) return undefined;
    for (const key of set.keys()) {
      if (key === skip || this.tokens.has(key)) continue;
      const claim = claimOf(key);
      if (!claim) {
        this.remove(key);
        continue;
      }
      if (!accessModesContainedIn(volume.spec.accessModes, claim.spec.accessModes)) continue;
      if (!evaluateVolume(claim, volume).ok) continue;
      this.remove(key);
      this.tokens.set(key, volume.metadata.name ?? "");
      return key;
    }
    return undefined;
  }

  /** The claim's sync ended: returns the token volume (if any) to re-offer. */
  finish(claimKey: string): string | undefined {
    const t = this.tokens.get(claimKey);
    this.tokens.delete(claimKey);
    return t;
  }
}
