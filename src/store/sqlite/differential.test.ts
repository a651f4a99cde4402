/**
 * Differential test: random operation sequences run against the SQLite and memory backends must
 * give the same results, errors, reads at past revisions, and watch history. The conformance suite
 * checks chosen cases; this checks the two implementations of the log model agree everywhere else.
 */
import fc from "fast-check";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { MemoryBackend } from "../memory/memory-backend.js";
import type { Backend, KeyValue, StoreEvent } from "../types.js";
import { SqliteBackend } from "./sqlite-backend.js";

const root = mkdtempSync(join(tmpdir(), "cistern-diff-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const KEYS = ["/a", "/a/b", "/a/b/c", "/a/bc", "/a/b0", "/\uFFFD", "/\u{1F600}", "/b"];
const PREFIXES = ["", "/", "/a", "/a/", "/a/b", "/a/b/", "/\uFFFD", "/\u{1F600}", "/b", "/z"];

type Expect = "current" | "stale" | "none";
type Op =
  | { op: "create"; key: string; value: string; ttl: boolean }
  | { op: "update"; key: string; value: string; expect: Exclude<Expect, "none"> }
  | { op: "delete"; key: string; expect: Expect }
  | { op: "get"; key: string; at: number }
  | { op: "list"; prefix: string; after: string | null; limit: number; at: number }
  | { op: "count"; prefix: string; at: number }
  | { op: "compact"; at: number };

const key = fc.constantFrom(...KEYS);
const at = fc.double({ min: 0, max: 1, noNaN: true });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant("create" as const), key, value: fc.string({ maxLength: 4 }), ttl: fc.boolean() }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant("update" as const), key, value: fc.string({ maxLength: 4 }), expect: fc.constantFrom("current" as const, "stale" as const) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("delete" as const), key, expect: fc.constantFrom("current" as const, "stale" as const, "none" as const) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("get" as const), key, at }) },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant("list" as const), prefix: fc.constantFrom(...PREFIXES), after: fc.option(key), limit: fc.nat({ max: 4 }), at }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("count" as const), prefix: fc.constantFrom(...PREFIXES), at }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("compact" as const), at }) },
);

const plainKv = (kv: KeyValue | undefined) => kv && { ...kv, value: Buffer.from(kv.value).toString("utf8") };
const plainEvent = (e: StoreEvent) => ({ ...e, kv: plainKv(e.kv), prevKv: plainKv(e.prevKv) });

/** Values as strings, so a Buffer and a Uint8Array with the same bytes compare equal. */
function normalize(v: unknown): unknown {
  if (v instanceof Uint8Array) return Buffer.from(v).toString("utf8");
  if (Array.isArray(v)) return v.map(normalize);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalize(x)]));
  return v;
}

async function outcome(p: Promise<unknown>): Promise<unknown> {
  try {
    return { ok: normalize(await p) };
  } catch (err) {
    const e = err as { code?: string; current?: KeyValue; compactRevision?: number; name: string };
    return { err: e.code ?? e.name, current: plainKv(e.current), floor: e.compactRevision };
  }
}

/** Applies one op to a backend; `model` (the memory backend) decides revision-dependent arguments. */
async function apply(b: Backend, op: Op, current: number, floor: number, modRev: number | undefined): Promise<unknown> {
  const rev = (f: number) => (f === 0 ? undefined : Math.floor(f * current));
  const bytes = (s: string) => new TextEncoder().encode(s);
  switch (op.op) {
    case "create":
      return outcome(b.create(op.key, bytes(op.value), op.ttl ? { ttlSeconds: 3600 } : undefined));
    case "update":
      return outcome(b.update(op.key, bytes(op.value), op.expect === "current" ? (modRev ?? 1) : Math.max(1, (modRev ?? 2) - 1)));
    case "delete":
      return outcome(b.delete(op.key, op.expect === "none" ? undefined : op.expect === "current" ? (modRev ?? 1) : Math.max(1, (modRev ?? 2) - 1)));
    case "get":
      return outcome(b.get(op.key, rev(op.at)));
    case "list":
      return outcome(b.list({ prefix: op.prefix, startAfter: op.after ?? undefined, limit: op.limit, revision: rev(op.at) }));
    case "count":
      return outcome(b.count(op.prefix, rev(op.at)));
    case "compact":
      return outcome(b.compact(Math.max(floor, Math.floor(op.at * current))));
  }
}

async function history(b: Backend, after: number, until: number): Promise<unknown[]> {
  if (until <= after) return [];
  return new Promise((resolve, reject) => {
    const got: StoreEvent[] = [];
    const h = b.watch({
      prefix: "",
      afterRevision: after,
      onEvents: (events) => {
        got.push(...events);
        if (got[got.length - 1].revision >= until) {
          h.cancel();
          resolve(got.map(plainEvent));
        }
      },
      onError: reject,
    });
  });
}

let n = 0;

describe("SQLite and memory backends agree", () => {
  it("on random operation sequences", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 60 }), async (ops) => {
        const mem = new MemoryBackend();
        const sql = SqliteBackend.open(join(root, `d${++n}.db`));
        try {
          for (const op of ops) {
            const current = await mem.currentRevision();
            const floor = await mem.compactRevision();
            const modRev = "key" in op ? (await mem.get(op.key)).kv?.modRevision : undefined;
            const expected = await apply(mem, op, current, floor, modRev);
            const actual = await apply(sql, op, current, floor, modRev);
            expect(actual, JSON.stringify(op)).toEqual(expected);
          }
          const [current, floor] = [await mem.currentRevision(), await mem.compactRevision()];
          expect(await sql.currentRevision()).toBe(current);
          expect(await sql.compactRevision()).toBe(floor);
          expect(await history(sql, floor, current)).toEqual(await history(mem, floor, current));
        } finally {
          await mem.close();
          await sql.close();
        }
      }),
      { numRuns: 120 },
    );
  });
});
