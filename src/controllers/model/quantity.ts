/**
 * Storage sizes as exact, totally ordered keys. Parsed once per string (sizes repeat across
 * thousands of objects), so matching 100,000 volumes does not re-parse quantities.
 */
import { Quantity } from "../../lib/quantity.js";

const NANO = 9;
const cache = new Map<string, bigint | null>();

/**
 * The quantity in units of 10^-9 (exact: upstream rounds every quantity to nano precision), or
 * undefined when absent or unparsable. Comparing these keys is upstream's Quantity.Cmp.
 */
export function nanoKey(q: string | undefined | null): bigint | undefined {
  if (q === undefined || q === null) return undefined;
  let v = cache.get(q);
  if (v === undefined) {
    const parsed = Quantity.tryParse(q);
    if (!parsed) v = null;
    else v = parsed.scale <= NANO ? parsed.unscaled * 10n ** BigInt(NANO - parsed.scale) : parsed.unscaled / 10n ** BigInt(parsed.scale - NANO);
    if (cache.size > 100_000) cache.clear();
    cache.set(q, v);
  }
  return v === null ? undefined : v;
}

/** Integer bytes rounded up (upstream's Quantity.Value(), without int64 overflow). */
export function bytesCeil(q: string | undefined | null): bigint | undefined {
  const parsed = q === undefined || q === null ? undefined : Quantity.tryParse(q);
  return parsed?.toBytesCeil();
}

/** -1/0/1, treating a missing or unparsable quantity as zero (as a zero-value Quantity). */
export function compareSizes(a: string | undefined | null, b: string | undefined | null): -1 | 0 | 1 {
  const x = nanoKey(a) ?? 0n;
  const y = nanoKey(b) ?? 0n;
  return x === y ? 0 : x < y ? -1 : 1;
}
