/**
 * The events stream: newest first, filterable by the object it is about and by free text.
 * Events of cluster-scoped objects (PersistentVolumes) live in "default" or in no namespace, so an
 * object filter matches on the involved object's own namespace, never on the event's.
 */
import type { KubeEvent } from "./kube-types.js";

export interface EventFilter {
  /** Matches involvedObject.kind exactly when set. */
  kind?: string;
  /** Matches involvedObject.namespace exactly when set ("" = cluster-scoped). */
  namespace?: string;
  /** Matches involvedObject.name exactly when set. */
  name?: string;
  /** Case-insensitive substring of reason, message, object name or source. */
  text?: string;
}

export interface EventRow {
  key: string;
  time: number;
  type: string;
  reason: string;
  message: string;
  count: number;
  object: { kind: string; namespace: string; name: string };
  source: string;
}

function parseTime(s: string | null | undefined): number {
  if (!s) return 0;
  const t = Date.parse(s);
  return Number.isNaN(t) ? 0 : t;
}

/** When an event last happened (epoch ms): series, lastTimestamp, eventTime, then creation. */
export function eventTime(e: KubeEvent): number {
  return parseTime(e.series?.lastObservedTime) || parseTime(e.lastTimestamp) || parseTime(e.eventTime) || parseTime(e.metadata.creationTimestamp);
}

export function toEventRow(key: string, e: KubeEvent): EventRow {
  const io = e.involvedObject ?? {};
  return {
    key,
    time: eventTime(e),
    type: e.type ?? "Normal",
    reason: e.reason ?? "",
    message: e.message ?? "",
    count: e.series?.count ?? e.count ?? 1,
    object: { kind: io.kind ?? "", namespace: io.namespace ?? "", name: io.name ?? "" },
    source: e.reportingComponent || e.source?.component || "",
  };
}

export function matchesFilter(row: EventRow, f: EventFilter): boolean {
  if (f.kind !== undefined && row.object.kind !== f.kind) return false;
  if (f.namespace !== undefined && row.object.namespace !== f.namespace) return false;
  if (f.name !== undefined && row.object.name !== f.name) return false;
  const text = f.text?.trim().toLowerCase();
  if (text) {
    const hay = `${row.reason}\n${row.message}\n${row.object.kind}/${row.object.name}\n${row.object.namespace}\n${row.source}`.toLowerCase();
    if (!hay.includes(text)) return false;
  }
  return true;
}

/** The rows matching `filter`, newest first (ties broken by key so the order is stable), at most `limit`. */
export function filterEvents(events: ReadonlyMap<string, KubeEvent>, filter: EventFilter, limit = Infinity): EventRow[] {
  const rows: EventRow[] = [];
  for (const [key, e] of events) {
    const row = toEventRow(key, e);
    if (matchesFilter(row, filter)) rows.push(row);
  }
  rows.sort((a, b) => b.time - a.time || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return rows.length > limit ? rows.slice(0, limit) : rows;
}
