/**
 * Objects are stored as JSON bytes without metadata.resourceVersion: the resourceVersion is
 * the key's modRevision and is set on every read, so it can never disagree with the store.
 */
import type { KubeObject } from "../../api/types.js";
import type { KeyValue } from "../../store/types.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeObject(obj: KubeObject): Uint8Array {
  const { resourceVersion: _rv, ...meta } = obj.metadata;
  return encoder.encode(JSON.stringify({ ...obj, metadata: meta }));
}

export function decodeObject(kv: KeyValue): KubeObject {
  const obj = JSON.parse(decoder.decode(kv.value)) as KubeObject;
  obj.metadata.resourceVersion = String(kv.modRevision);
  return obj;
}

/** Upstream's field order for output: apiVersion, kind, metadata, then the rest, status last. */
export function canonicalOrder(obj: KubeObject): KubeObject {
  const { apiVersion, kind, metadata, status, ...rest } = obj;
  const out: KubeObject = { apiVersion, kind, metadata, ...rest };
  if (status !== undefined) out.status = status;
  return out;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN = 0x7b;
const CLOSE = 0x7d;
const METADATA_KEY = encoder.encode('"metadata":{');

/** Where the top-level metadata object of a stored value starts ('{'), or -1 if the layout is not the canonical one. */
function metadataStart(v: Uint8Array): number {
  // canonicalOrder writes {"apiVersion":"…","kind":"…","metadata":{…: neither value can contain a quote, so the
  // first '"metadata":{' after them is the top-level one. Anything else takes the slow path.
  let quotes = 0;
  let i = 1;
  for (; i < v.length && quotes < 8; i++) if (v[i] === QUOTE) quotes++;
  if (v[0] !== OPEN || quotes < 8 || v[i] !== 0x2c) return -1;
  for (let k = 0; k < METADATA_KEY.length; k++) if (v[i + 1 + k] !== METADATA_KEY[k]) return -1;
  return i + METADATA_KEY.length;
}

/** The index of the '}' closing the object whose '{' is at `open` (strings and escapes skipped). */
function closingBrace(v: Uint8Array, open: number): number {
  let depth = 0;
  for (let i = open; i < v.length; i++) {
    const c = v[i];
    if (c === QUOTE) {
      for (i++; i < v.length && v[i] !== QUOTE; i++) if (v[i] === BACKSLASH) i++;
    } else if (c === OPEN || c === 0x5b) depth++;
    else if (c === CLOSE || c === 0x5d) {
      if (--depth === 0) return i;
    }
  }
  return -1;
}

/**
 * The JSON bytes of a stored object as decodeObject + JSON.stringify would produce them, without
 * parsing: resourceVersion is spliced in as the last field of metadata. LIST of many objects uses
 * this, since parsing and re-serialising each item is most of its cost.
 */
export function encodeStoredJson(kv: KeyValue): Buffer {
  const v = kv.value;
  const open = metadataStart(v);
  const close = open < 0 ? -1 : closingBrace(v, open);
  if (close < 0) return Buffer.from(JSON.stringify(decodeObject(kv)));
  const rv = `"resourceVersion":"${kv.modRevision}"`;
  const insert = Buffer.from(close === open + 1 ? rv : `,${rv}`);
  const bytes = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  return Buffer.concat([bytes.subarray(0, close), insert, bytes.subarray(close)]);
}
