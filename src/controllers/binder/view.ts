/**
 * What a sync may read: the controller's caches, behind an interface so the sync functions stay
 * pure (tests build a view from plain arrays).
 */
import type { PersistentVolume, PersistentVolumeClaim, Pod, StorageClass } from "../model/types.js";

export interface BinderView {
  /** A volume by name from the controller's cache. */
  volume(name: string): PersistentVolume | undefined;
  /** A claim by "namespace/name" from the controller's cache. */
  claim(key: string): PersistentVolumeClaim | undefined;
  /** Upstream's findBestMatchForClaim over the cached volumes. */
  findBestMatch(claim: PersistentVolumeClaim, delayBinding: boolean): PersistentVolume | undefined;
  storageClass(name: string): StorageClass | undefined;
  /** All StorageClasses (for the default-class choice). */
  storageClasses(): StorageClass[];
  /** Pods that mount the claim "namespace/name". */
  podsForClaim(key: string): Pod[];
  /**
   * The claim as read live from the API server, when the sync asked for it (see
   * Decision.needLiveClaim): null = confirmed absent, undefined = not read yet.
   */
  liveClaim?(key: string): PersistentVolumeClaim | null | undefined;
}
