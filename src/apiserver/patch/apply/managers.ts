/**
 * metadata.managedFields in memory: one entry per manager identity with its field set.
 * Identity, as upstream's BuildManagerIdentifier: manager + operation + subresource, plus the
 * apiVersion for Update entries (so an applier keeps one entry across versions, an updater
 * gets one per version). Entries are written sorted as upstream: Apply before Update, then by
 * time, manager, apiVersion, subresource; empty sets are dropped.
 */
import type { ManagedFieldsEntry } from "../../../api/types.js";
import { decodeFieldsV1, encodeFieldsV1 } from "../fieldpath/fieldsv1.js";
import type { FieldSet } from "../fieldpath/set.js";
import { compareStrings, isObject } from "../json.js";

export interface ManagerEntry {
  manager: string;
  operation: "Apply" | "Update";
  apiVersion: string;
  subresource: string;
  time?: string;
  set: FieldSet;
}

export type Managers = Map<string, ManagerEntry>;

export function managerId(e: Pick<ManagerEntry, "manager" | "operation" | "apiVersion" | "subresource">): string {
  const id: Record<string, string> = { manager: e.manager, operation: e.operation };
  if (e.operation === "Update" && e.apiVersion) id.apiVersion = e.apiVersion;
  if (e.subresource) id.subresource = e.subresource;
  return JSON.stringify(id);
}

/** Decode stored entries; throws on malformed input so callers can fall back as upstream does. */
export function decodeManagers(raw: unknown): Managers {
  const out: Managers = new Map();
  if (raw === undefined || raw === null) return out;
  if (!Array.isArray(raw)) throw new Error("managedFields is not a list");
  for (const item of raw) {
    if (!isObject(item)) throw new Error("managedFields entry is not an object");
    if (item.operation !== "Apply" && item.operation !== "Update") throw new Error(`invalid operation ${String(item.operation)}`);
    if (item.fieldsType !== "FieldsV1") throw new Error("wrong format: fieldsType should be FieldsV1");
    const entry: ManagerEntry = {
      manager: typeof item.manager === "string" ? item.manager : "",
      operation: item.operation,
      apiVersion: typeof item.apiVersion === "string" ? item.apiVersion : "",
      subresource: typeof item.subresource === "string" ? item.subresource : "",
      set: decodeFieldsV1(item.fieldsV1 ?? {}),
    };
    if (typeof item.time === "string") entry.time = item.time;
    out.set(managerId(entry), entry);
  }
  return out;
}

const seconds = (t: string | undefined) => (t ? Math.floor(Date.parse(t) / 1000) || 0 : 0);

export function encodeManagers(managers: Managers): ManagedFieldsEntry[] {
  const entries = [...managers.values()].filter((e) => !e.set.isEmpty());
  entries.sort(
    (a, b) =>
      compareStrings(a.operation, b.operation) ||
      seconds(a.time) - seconds(b.time) ||
      compareStrings(a.manager, b.manager) ||
      compareStrings(a.apiVersion, b.apiVersion) ||
      compareStrings(a.subresource, b.subresource),
  );
  // Key order as upstream serialises ManagedFieldsEntry.
  return entries.map((e) => ({
    manager: e.manager,
    operation: e.operation,
    apiVersion: e.apiVersion,
    ...(e.time !== undefined ? { time: e.time } : {}),
    fieldsType: "FieldsV1",
    fieldsV1: encodeFieldsV1(e.set),
    ...(e.subresource ? { subresource: e.subresource } : {}),
  }));
}

/** Upstream's DefaultMaxUpdateManagers and the bucket old updates fold into. */
export const MAX_UPDATE_MANAGERS = 10;
export const ANCIENT_CHANGES = "ancient-changes";

/**
 * Keep at most MAX_UPDATE_MANAGERS Update entries: the oldest are folded, per apiVersion, into
 * an "ancient-changes" entry (upstream's capManagersManager), so managedFields cannot grow
 * without bound as controllers come and go.
 */
export function capUpdateManagers(managers: Managers, max = MAX_UPDATE_MANAGERS): Managers {
  const updaters = [...managers.entries()].filter(([, e]) => e.operation === "Update");
  if (updaters.length <= max) return managers;
  const out: Managers = new Map(managers);
  updaters.sort(([ida, a], [idb, b]) => seconds(a.time) - seconds(b.time) || compareStrings(ida, idb));
  const firstByVersion = new Map<string, string>();
  let count = updaters.length;
  for (const [id, e] of updaters) {
    if (count <= max) break;
    const first = firstByVersion.get(e.apiVersion);
    if (first === undefined) {
      firstByVersion.set(e.apiVersion, id);
      continue;
    }
    const bucketId = managerId({ manager: ANCIENT_CHANGES, operation: "Update", apiVersion: e.apiVersion, subresource: "" });
    let bucket = out.get(bucketId);
    if (!bucket) {
      const seed = out.get(first)!;
      out.delete(first);
      bucket = { ...seed, manager: ANCIENT_CHANGES, subresource: "" };
    }
    out.set(bucketId, { ...bucket, set: bucket.set.union(e.set), time: e.time });
    out.delete(id);
    count--;
  }
  return out;
}
