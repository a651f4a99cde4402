/**
 * How store keys live in a shared etcd: every key is stored as `namespace + key`, so several
 * Cistern clusters (or other tenants) can share one etcd. Keys must start with "/", which makes
 * the mapping injective across sibling namespaces ("/cistern" never sees "/cistern2/..." keys,
 * because its keys continue with "/"). etcd orders keys by bytes, and so does the contract.
 */
import { assertValidKey, assertValidPrefix } from "../core/keys.js";

/** A namespace is "" or "/seg/seg…" with no empty segment and no trailing "/" (NUL: assertValidPrefix). */
const NAMESPACE = /^(\/[^/]+)*$/;

export interface KeyRange {
  key: Buffer;
  /** Exclusive end. */
  rangeEnd: Buffer;
}

export class KeyCodec {
  private readonly nsBytes: Buffer;

  constructor(readonly namespace: string) {
    if (!NAMESPACE.test(namespace)) {
      throw new TypeError(`etcd key prefix ${JSON.stringify(namespace)} must look like /name or /a/b (no trailing "/")`);
    }
    assertValidPrefix(namespace);
    this.nsBytes = Buffer.from(namespace, "utf8");
  }

  /** The etcd key for a store key; TypeError for keys the contract or this layout refuses. */
  encode(key: string): Buffer {
    assertValidKey(key);
    if (!key.startsWith("/")) throw new TypeError(`etcd store keys must start with "/", got ${JSON.stringify(key)}`);
    return Buffer.from(this.namespace + key, "utf8");
  }

  decode(etcdKey: Buffer | Uint8Array): string {
    return Buffer.from(etcdKey.buffer, etcdKey.byteOffset, etcdKey.byteLength).subarray(this.nsBytes.length).toString("utf8");
  }

  /**
   * The etcd range holding exactly the store keys that start with `prefix`. A prefix that does not
   * start with "/" can match no store key; it maps to a range under namespace + NUL, which no
   * key of this layout (nor of a sibling namespace) can fall in.
   */
  prefixRange(prefix: string): KeyRange {
    assertValidPrefix(prefix);
    const start =
      prefix === "" ? this.namespace + "/" : prefix.startsWith("/") ? this.namespace + prefix : `${this.namespace}\u0000${prefix}`;
    const key = Buffer.from(start, "utf8");
    return { key, rangeEnd: bytesPrefixEnd(key) };
  }

  /** `range` narrowed to keys strictly after `startAfter`. */
  after(range: KeyRange, startAfter: string | undefined): KeyRange {
    if (startAfter === undefined) return range;
    assertValidPrefix(startAfter);
    const next = Buffer.concat([Buffer.from(this.namespace + startAfter, "utf8"), Buffer.from([0])]);
    return Buffer.compare(next, range.key) > 0 ? { key: next, rangeEnd: range.rangeEnd } : range;
  }
}

/** The smallest byte string above every string that starts with `prefix` (etcd's GetPrefixRangeEnd). */
export function bytesPrefixEnd(prefix: Buffer): Buffer {
  for (let i = prefix.length - 1; i >= 0; i--) {
    if (prefix[i] < 0xff) {
      const end = Buffer.from(prefix.subarray(0, i + 1));
      end[i]++;
      return end;
    }
  }
  // Only 0xff bytes (or empty): every key from `prefix` on; etcd spells that "\0".
  return Buffer.from([0]);
}
