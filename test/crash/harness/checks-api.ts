/**
 * Checkers for what the API server and its store promise across crashes, over a recorded history
 * and the final state. Each returns the violations it found, as readable sentences; none throws.
 *
 *  - durability: the last acknowledged write to every key is what the final state shows (same UID,
 *    resourceVersion not older, the annotation an acknowledged update set), an acknowledged delete
 *    is not undone;
 *  - no rewind: each incarnation starts at or above every revision a client was shown before;
 *  - watches: per resource, events arrive in strictly increasing revision order (no duplicate),
 *    every acknowledged write shows up as an event, and replaying the events gives exactly the final
 *    list (no gap), except across a recorded RELIST, where continuity is broken on purpose.
 */
import type { AckRecord, AttemptRecord, HistoryRecord, Resource, WatchRecord } from "./history.js";

export interface FinalObject {
  key: string;
  uid: string;
  rv: number;
  annotations?: Record<string, string>;
  deleting?: boolean;
}

export interface FinalList {
  rv: number;
  items: FinalObject[];
}

function byKey<T extends { key: string }>(xs: T[]): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) {
    const l = m.get(x.key);
    if (l) l.push(x);
    else m.set(x.key, [x]);
  }
  return m;
}

/**
 * `attempts`: deletes the workload sent; an object whose last acknowledged write is older than such a
 * delete may be gone (the delete happened, its reply was lost).
 */
export function checkAcknowledgedWrites(acks: AckRecord[], finals: Map<Resource, FinalList>, attempts: AttemptRecord[] = []): string[] {
  const deleteSent = new Set(attempts.map((a) => `${a.resource} ${a.key}`));
  const out: string[] = [];
  const resources = new Set(acks.map((a) => a.resource));
  for (const resource of resources) {
    const final = finals.get(resource);
    if (!final) {
      out.push(`durability: no final list of ${resource} to check ${acks.filter((a) => a.resource === resource).length} acknowledged writes against`);
      continue;
    }
    const now = new Map(final.items.map((i) => [i.key, i]));
    for (const [key, list] of byKey(acks.filter((a) => a.resource === resource))) {
      list.sort((a, b) => a.rv - b.rv);
      const last = list[list.length - 1];
      const obj = now.get(key);
      for (const a of list) {
        if (obj && a.verb !== "delete" && a.uid !== obj.uid && last.verb !== "delete") {
          out.push(`durability: ${resource} ${key} was acknowledged with UID ${a.uid} (${a.verb} at ${a.rv}) but now has UID ${obj.uid}`);
        }
      }
      if (last.verb === "delete") {
        if (obj && obj.uid === last.uid && !obj.deleting) out.push(`durability: ${resource} ${key} was deleted (acknowledged at ${last.rv}) but is back without a deletionTimestamp`);
        continue;
      }
      if (!obj) {
        if (!deleteSent.has(`${resource} ${key}`)) out.push(`durability: ${resource} ${key} was acknowledged (${last.verb} at rv ${last.rv}, epoch ${last.epoch}) and is gone`);
        continue;
      }
      if (obj.rv < last.rv) out.push(`durability: ${resource} ${key} is at rv ${obj.rv}, older than the acknowledged ${last.verb} at ${last.rv}`);
      const ann = [...list].reverse().find((a) => a.annotation)?.annotation;
      if (ann && obj.annotations?.[ann[0]] !== ann[1]) {
        out.push(`durability: ${resource} ${key}: acknowledged annotation ${ann[0]}=${ann[1]} is ${JSON.stringify(obj.annotations?.[ann[0]])} now`);
      }
    }
  }
  return out;
}

/** Every incarnation's first revision is at least every revision shown to a client before it. */
export function checkNoRewind(records: HistoryRecord[]): string[] {
  const out: string[] = [];
  let max = 0;
  let maxFrom = "";
  for (const r of records) {
    if (r.type === "ack" && r.rv > max) [max, maxFrom] = [r.rv, `ack ${r.verb} ${r.resource} ${r.key}`];
    else if (r.type === "watch" && r.rv > max) [max, maxFrom] = [r.rv, `watch ${r.event} ${r.resource} ${r.key}`];
    else if (r.type === "note" && r.what === "restart") {
      const rv = Number(r.rv);
      if (rv < max) out.push(`rewind: incarnation ${r.epoch} started at revision ${rv}, below ${max} already shown (${maxFrom})`);
      if (rv > max) [max, maxFrom] = [rv, `restart of incarnation ${r.epoch}`];
    }
  }
  return out;
}

interface Replay {
  state: Map<string, { uid: string; rv: number }>;
  /** Revision intervals (exclusive, inclusive] over which a relist replaced the stream. */
  breaks: [number, number][];
  seen: Set<string>;
  deleted: Map<string, number[]>;
  violations: string[];
}

function replay(resource: Resource, events: WatchRecord[], upTo: number): Replay {
  const r: Replay = { state: new Map(), breaks: [], seen: new Set(), deleted: new Map(), violations: [] };
  let last = 0;
  let pending: WatchRecord[] = [];
  for (const e of events) {
    if (e.event === "RELIST") {
      if (e.key !== "") {
        pending.push(e);
        continue;
      }
      // The marker closes a list: the list is the state at its revision.
      r.breaks.push([last, e.rv]);
      if (e.rv <= upTo) {
        r.state = new Map(pending.map((p) => [p.key, { uid: p.uid, rv: p.rv }]));
      }
      for (const p of pending) r.seen.add(`${p.key}@${p.rv}`);
      pending = [];
      last = e.rv;
      continue;
    }
    if (e.rv <= last) r.violations.push(`watch ${resource}: ${e.event} ${e.key} at rv ${e.rv} arrived after rv ${last} (duplicate or out of order; stream ${e.stream}, epoch ${e.epoch})`);
    last = Math.max(last, e.rv);
    r.seen.add(`${e.key}@${e.rv}`);
    if (e.event === "DELETED") {
      const l = r.deleted.get(e.key) ?? [];
      l.push(e.rv);
      r.deleted.set(e.key, l);
    }
    if (e.rv > upTo) continue;
    if (e.event === "DELETED") r.state.delete(e.key);
    else r.state.set(e.key, { uid: e.uid, rv: e.rv });
  }
  return r;
}

export function checkWatches(records: HistoryRecord[], finals: Map<Resource, FinalList>): string[] {
  const out: string[] = [];
  const watches = records.filter((r): r is WatchRecord => r.type === "watch");
  const acks = records.filter((r): r is AckRecord => r.type === "ack");
  for (const [resource, final] of finals) {
    const events = watches.filter((w) => w.resource === resource);
    if (events.length === 0) continue;
    const r = replay(resource, events, final.rv);
    out.push(...r.violations);
    const inBreak = (rv: number) => r.breaks.some(([a, b]) => rv > a && rv <= b);
    const finalByKey = new Map(final.items.map((i) => [i.key, i]));
    for (const [key, s] of r.state) {
      const f = finalByKey.get(key);
      if (!f) out.push(`watch ${resource}: the stream says ${key} exists (rv ${s.rv}) but the final list at ${final.rv} has no such object (missed DELETED)`);
      else if (f.rv !== s.rv || f.uid !== s.uid) out.push(`watch ${resource}: the stream left ${key} at rv ${s.rv} but the final list has rv ${f.rv} (missed event)`);
    }
    for (const key of finalByKey.keys()) {
      if (!r.state.has(key)) out.push(`watch ${resource}: ${key} is in the final list (rv ${finalByKey.get(key)!.rv}) but the stream never delivered it`);
    }
    for (const a of acks.filter((x) => x.resource === resource && x.rv <= final.rv)) {
      if (a.verb === "delete" && !a.pending) {
        if (!(r.deleted.get(a.key) ?? []).some((rv) => rv >= a.rv) && !inBreak(a.rv)) out.push(`watch ${resource}: acknowledged delete of ${a.key} (rv ${a.rv}) never arrived as DELETED`);
        continue;
      }
      if (!r.seen.has(`${a.key}@${a.rv}`) && !inBreak(a.rv)) out.push(`watch ${resource}: acknowledged ${a.verb} of ${a.key} at rv ${a.rv} never arrived`);
    }
  }
  return out;
}
