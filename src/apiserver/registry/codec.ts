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
