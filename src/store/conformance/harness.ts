/**
 * What a conformance section needs: the test API (passed in, so production code that imports the
 * store never loads vitest), a way to open backends that are closed after each test, and helpers.
 *
 * Revisions are relative: a test reads `currentRevision()` after open and names every later
 * revision by the write that produced it. A fresh backend need not start at 0 (a new etcd prefix
 * starts wherever the cluster is), and only single-writer backends number their writes 1, 2, 3.
 */
import type * as Vitest from "vitest";
import type { Backend, StoreError, StoreEvent, WatchHandle } from "../types.js";
import { revisionChecks, type RevisionChecks } from "./revisions.js";

export interface TestApi {
  describe: typeof Vitest.describe;
  it: typeof Vitest.it;
  expect: typeof Vitest.expect;
  afterEach: typeof Vitest.afterEach;
}

export interface BackendFactory {
  /** A fresh, empty backend. */
  open(): Promise<Backend>;
  /**
   * Durable backends only: open the same storage again after `previous` was closed. When absent,
   * the restart sections are not registered (a memory store has nothing to restart from).
   */
  reopen?(previous: Backend): Promise<Backend>;
  /**
   * True when the backend alone assigns its revisions, so that each successful write takes exactly
   * the next one and nothing else moves the counter (SQLite, memory). The suite then checks
   * contiguity too. Leave it unset for etcd: its revision counts every write in the cluster (other
   * prefixes, lease expiries), so the contract there is only "strictly increasing, never reused".
   */
  contiguousRevisions?: boolean;
}

export interface Section {
  t: TestApi;
  /** Opens a backend that is closed after the current test. */
  open(): Promise<Backend>;
  reopen?(previous: Backend): Promise<Backend>;
  /** Revision assertions, exact where the factory declared contiguous revisions. */
  rev: RevisionChecks;
}

export function makeSection(t: TestApi, factory: BackendFactory): Section {
  const opened: Backend[] = [];
  t.afterEach(async () => {
    for (const b of opened.splice(0)) await b.close();
  });
  const track = (b: Backend) => {
    opened.push(b);
    return b;
  };
  return {
    t,
    rev: revisionChecks(t.expect, factory.contiguousRevisions === true),
    open: async () => track(await factory.open()),
    reopen: factory.reopen && (async (previous) => track(await (factory.reopen as NonNullable<BackendFactory["reopen"]>)(previous))),
  };
}

export const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
export const text = (b: Uint8Array | undefined): string | undefined => (b ? Buffer.from(b).toString("utf8") : undefined);

/** A watch that records what it receives and lets a test wait for a condition on it. */
export interface Recorder {
  events: StoreEvent[];
  errors: StoreError[];
  batches: number;
  handle: WatchHandle;
  /** Resolves once `ready()` holds; rejects after `timeoutMs` with what was seen. */
  until(ready: () => boolean, timeoutMs?: number): Promise<void>;
}

export function record(b: Backend, prefix: string, afterRevision: number): Recorder {
  const waiters: Array<() => void> = [];
  const poke = () => waiters.splice(0).forEach((w) => w());
  const rec: Recorder = {
    events: [],
    errors: [],
    batches: 0,
    handle: { cancel: () => undefined },
    until(ready, timeoutMs = 20_000) {
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`watch condition not met; saw revisions ${rec.events.map((e) => e.revision).join(",")} errors ${rec.errors.map((e) => e.code).join(",")}`)),
          timeoutMs,
        );
        const check = () => {
          if (ready()) {
            clearTimeout(timer);
            resolve();
          } else waiters.push(check);
        };
        check();
      });
    },
  };
  rec.handle = b.watch({
    prefix,
    afterRevision,
    onEvents: (events) => {
      rec.batches++;
      rec.events.push(...events);
      poke();
    },
    onError: (err) => {
      rec.errors.push(err);
      poke();
    },
  });
  return rec;
}

/** Resolves after the event loop has gone round a few times (lets queued deliveries happen). */
export async function settle(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r));
}

let markers = 0;

/**
 * Every event in the backend's namespace above `after`, up to a marker key written now. This shows
 * on any backend that a failed write wrote nothing (it has no event), where "the current revision
 * did not move" holds only when nothing else writes. The marker key stays: call this last.
 */
export async function eventsSince(b: Backend, after: number): Promise<StoreEvent[]> {
  const marker = await b.create(`/~marker/${++markers}`, new Uint8Array(0));
  const rec = record(b, "", after);
  try {
    await rec.until(() => rec.errors.length > 0 || rec.events.some((e) => e.revision >= marker.modRevision));
  } finally {
    rec.handle.cancel();
  }
  if (rec.errors.length > 0) throw rec.errors[0];
  return rec.events.filter((e) => e.revision < marker.modRevision);
}
