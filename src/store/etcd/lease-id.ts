/**
 * etcd keys carry a lease ID, not a TTL, but the contract reports the TTL given at the last write
 * (KeyValue.lease). We choose the lease IDs ourselves (etcd accepts a client-chosen ID) and put the
 * requested TTL in their high bits, so any client reading a key, event or prevKv recovers the TTL
 * from the ID alone, with no side table. Low 29 bits: random, so leases with one TTL differ.
 *
 * ttl ≤ 9,000,000,000 (etcd's MaxLeaseTTL) < 2^34, and 2^34 · 2^29 = 2^63: the ID stays a positive int64.
 */
import { randomInt } from "node:crypto";

const RANDOM_BITS = 29n;
const RANDOM_SPAN = 1 << Number(RANDOM_BITS);

/** A fresh lease ID (decimal int64 string) that encodes `ttlSeconds`. */
export function leaseIdFor(ttlSeconds: number): string {
  if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds <= 0) throw new TypeError(`lease TTL must be a positive integer, got ${ttlSeconds}`);
  return ((BigInt(ttlSeconds) << RANDOM_BITS) | BigInt(randomInt(1, RANDOM_SPAN))).toString();
}

/** The TTL encoded in a lease ID ("0" = no lease = 0). */
export function ttlFromLeaseId(id: string | number | undefined): number {
  if (id === undefined || id === "0" || id === 0) return 0;
  const n = BigInt(id);
  return n > 0n ? Number(n >> RANDOM_BITS) : 0;
}
