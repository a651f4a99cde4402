/**
 * Access-mode sets as upstream compares them: a claim's modes must all be present in the
 * volume's; the canonical key of a set lists each mode once in upstream's fixed order
 * (GetAccessModesAsString: RWO, ROX, RWX, RWOP), so equal sets share one index bucket.
 */
import type { AccessMode } from "./types.js";

const ORDER: AccessMode[] = ["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"];
const SHORT: Record<AccessMode, string> = { ReadWriteOnce: "RWO", ReadOnlyMany: "ROX", ReadWriteMany: "RWX", ReadWriteOncePod: "RWOP" };

/** "RWO,ROX" style key; unknown strings are ignored (validation refuses them anyway). */
export function accessModesKey(modes: readonly string[] | undefined): string {
  const set = new Set(modes ?? []);
  return ORDER.filter((m) => set.has(m)).map((m) => SHORT[m]).join(",");
}

export function modesFromKey(key: string): AccessMode[] {
  if (!key) return [];
  const byShort = new Map(ORDER.map((m) => [SHORT[m], m]));
  return key.split(",").map((s) => byShort.get(s) as AccessMode);
}

/** Every mode in `wanted` is in `have` (upstream's AccessModesContainedInAll / CheckAccessModes). */
export function accessModesContainedIn(have: readonly string[] | undefined, wanted: readonly string[] | undefined): boolean {
  const set = new Set(have ?? []);
  for (const m of wanted ?? []) if (!set.has(m)) return false;
  return true;
}

export function shortAccessModes(modes: readonly string[] | undefined): string {
  return accessModesKey(modes);
}
