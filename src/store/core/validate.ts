/**
 * Argument checks every backend applies before touching storage, so that all backends refuse the
 * same inputs the same way: programming errors are TypeErrors, an oversized value is TooLarge.
 */
import { StoreError, type WriteOptions } from "../types.js";
import { assertValidKey } from "./keys.js";

/** etcd's default --max-request-bytes (1.5 MiB). */
export const DEFAULT_MAX_VALUE_BYTES = 1.5 * 1024 * 1024;

/** Longest TTL accepted, etcd's MaxLeaseTTL. */
const MAX_TTL_SECONDS = 9_000_000_000;

export function checkValue(key: string, value: unknown, maxBytes: number): Uint8Array {
  assertValidKey(key);
  if (!(value instanceof Uint8Array)) throw new TypeError("store value must be a Uint8Array");
  if (value.byteLength > maxBytes) {
    throw new StoreError("TooLarge", `value of ${key} is ${value.byteLength} bytes, limit ${maxBytes}`);
  }
  return value;
}

/** The lease (TTL seconds) to store: 0 when none. */
export function checkTtl(opts: WriteOptions | undefined): number {
  const ttl = opts?.ttlSeconds ?? 0;
  if (!Number.isSafeInteger(ttl) || ttl < 0 || ttl > MAX_TTL_SECONDS) {
    throw new TypeError(`ttlSeconds must be an integer in 0..${MAX_TTL_SECONDS}, got ${String(ttl)}`);
  }
  return ttl;
}

export function checkExpectedRevision(rev: unknown): number {
  if (typeof rev !== "number" || !Number.isSafeInteger(rev) || rev <= 0) {
    throw new TypeError(`expected modRevision must be a positive integer, got ${String(rev)}`);
  }
  return rev;
}

/** The list limit as a number of items, or undefined for no limit (absent or 0). */
export function checkLimit(limit: unknown): number | undefined {
  if (limit === undefined || limit === 0) return undefined;
  if (typeof limit !== "number" || !Number.isSafeInteger(limit) || limit < 0) {
    throw new TypeError(`list limit must be a non-negative integer, got ${String(limit)}`);
  }
  return limit;
}
