/** etcd's wire shapes (int64 as decimal strings, keys as bytes) to the store's KeyValue and StoreEvent. */
import type { IEvent, IKeyValue } from "etcd3";
import type { KeyValue, StoreEvent } from "../types.js";
import type { KeyCodec } from "./keys.js";
import { ttlFromLeaseId } from "./lease-id.js";

export function toKeyValue(keys: KeyCodec, kv: IKeyValue): KeyValue {
  return {
    key: keys.decode(kv.key),
    value: toBytes(kv.value),
    createRevision: Number(kv.create_revision),
    modRevision: Number(kv.mod_revision),
    lease: ttlFromLeaseId(kv.lease),
  };
}

/**
 * A watch event. etcd's delete event carries only the key and the tombstone revision; the store
 * contract wants the last value there, which etcd gives as prev_kv (requested on every watch).
 */
export function toStoreEvent(keys: KeyCodec, ev: IEvent): StoreEvent {
  const revision = Number(ev.kv.mod_revision);
  const prevKv = ev.prev_kv ? toKeyValue(keys, ev.prev_kv) : undefined;
  if (ev.type === "Delete") {
    const kv: KeyValue = prevKv
      ? { ...prevKv, modRevision: revision }
      : { key: keys.decode(ev.kv.key), value: new Uint8Array(0), createRevision: 0, modRevision: revision, lease: 0 };
    return { type: "delete", revision, kv, prevKv, created: false };
  }
  const kv = toKeyValue(keys, ev.kv);
  return { type: "put", revision, kv, prevKv, created: kv.createRevision === kv.modRevision };
}

function toBytes(v: Buffer | Uint8Array | string | undefined): Uint8Array {
  if (v === undefined) return new Uint8Array(0);
  return typeof v === "string" ? Buffer.from(v, "utf8") : v;
}
