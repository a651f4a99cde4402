/** Watch: history then live with no gap or duplicate, prefixes, cancel, compaction, event shapes. */
import { bytes, record, settle, text, type Section } from "./harness.js";

export function watchSection({ t, open }: Section): void {
  const { describe, it, expect } = t;

  describe("watch", () => {
    it("delivers history after a past revision, then live events, with no gap, duplicate or reordering", async () => {
      const b = await open();
      for (let i = 0; i < 30; i++) await b.create(`/w/${i}`, bytes(`v${i}`));
      const rec = record(b, "/w/", 10);
      // Live writes race the history read: they start before the watcher has caught up.
      const writes = Array.from({ length: 30 }, (_, i) => b.update(`/w/${i}`, bytes(`u${i}`), i + 1));
      await Promise.all(writes);
      for (let i = 0; i < 10; i++) await b.delete(`/w/${i}`);
      await rec.until(() => rec.events.length >= 60 || rec.errors.length > 0);
      await settle();
      expect(rec.errors).toEqual([]);
      expect(rec.events.map((e) => e.revision)).toEqual(Array.from({ length: 60 }, (_, i) => 11 + i));
      expect(rec.events[0]).toMatchObject({ type: "put", created: true, kv: { key: "/w/10", modRevision: 11 } });
      rec.handle.cancel();
    });

    it("delivers only keys under the prefix", async () => {
      const b = await open();
      await b.create("/x/old", bytes("1"));
      await b.create("/y/old", bytes("1"));
      const rec = record(b, "/x/", 0);
      await b.create("/xy", bytes("sibling"));
      await b.create("/y/new", bytes("2"));
      await b.create("/x/new", bytes("2"));
      await rec.until(() => rec.events.length >= 2);
      await settle();
      expect(rec.events.map((e) => [e.kv.key, e.revision])).toEqual([["/x/old", 1], ["/x/new", 5]]);
      rec.handle.cancel();
    });

    it("stops delivering after cancel", async () => {
      const b = await open();
      const rec = record(b, "/", 0);
      await b.create("/a", bytes("1"));
      await rec.until(() => rec.events.length === 1);
      rec.handle.cancel();
      await b.create("/b", bytes("2"));
      await b.update("/a", bytes("3"), 1);
      await settle();
      expect(rec.events.map((e) => e.revision)).toEqual([1]);
      expect(rec.errors).toEqual([]);
    });

    it("a cancel before the history is read delivers nothing", async () => {
      const b = await open();
      await b.create("/a", bytes("1"));
      const rec = record(b, "/", 0);
      rec.handle.cancel();
      await b.create("/b", bytes("2"));
      await settle();
      expect(rec.events).toEqual([]);
    });

    it("watching from a compacted revision ends with Compacted", async () => {
      const b = await open();
      await b.create("/a", bytes("1"));
      await b.update("/a", bytes("2"), 1);
      await b.update("/a", bytes("3"), 2);
      await b.compact(2);
      const rec = record(b, "/", 1);
      await rec.until(() => rec.errors.length > 0);
      expect(rec.errors[0]).toMatchObject({ code: "Compacted", compactRevision: 2 });
      expect(rec.events).toEqual([]);
      await b.update("/a", bytes("4"), 3);
      await settle();
      expect(rec.events).toEqual([]);
      expect(rec.errors).toHaveLength(1);

      const ok = record(b, "/", 2);
      await ok.until(() => ok.events.length >= 2);
      expect(ok.events.map((e) => e.revision)).toEqual([3, 4]);
      ok.handle.cancel();
    });

    it("put events carry prevKv and created; delete events carry the last value", async () => {
      const b = await open();
      const rec = record(b, "/e/", 0);
      await b.create("/e/k", bytes("one"), { ttlSeconds: 3600 }); // 1
      await b.update("/e/k", bytes("two"), 1); // 2
      await b.delete("/e/k"); // 3
      await b.create("/e/k", bytes("three")); // 4
      await rec.until(() => rec.events.length >= 4);
      const [created, updated, deleted, recreated] = rec.events;
      expect(created).toMatchObject({ type: "put", revision: 1, created: true, kv: { createRevision: 1, modRevision: 1, lease: 3600 } });
      expect(created.prevKv).toBeUndefined();
      expect(updated).toMatchObject({ type: "put", revision: 2, created: false, kv: { createRevision: 1, modRevision: 2 } });
      expect(updated.prevKv).toMatchObject({ key: "/e/k", modRevision: 1, createRevision: 1, lease: 3600 });
      expect(text(updated.prevKv?.value)).toBe("one");
      expect(deleted).toMatchObject({ type: "delete", revision: 3, kv: { key: "/e/k", modRevision: 3, createRevision: 1 } });
      expect(text(deleted.kv.value)).toBe("two");
      expect(deleted.prevKv).toMatchObject({ modRevision: 2 });
      expect(text(deleted.prevKv?.value)).toBe("two");
      expect(recreated).toMatchObject({ type: "put", revision: 4, created: true, kv: { createRevision: 4 } });
      expect(recreated.prevKv).toBeUndefined();
      rec.handle.cancel();

      // The same events replayed from history look the same.
      const replay = record(b, "/e/", 0);
      await replay.until(() => replay.events.length >= 4);
      expect(replay.events.map((e) => ({ ...e, kv: { ...e.kv, value: text(e.kv.value) }, prevKv: e.prevKv && { ...e.prevKv, value: text(e.prevKv.value) } }))).toEqual(
        rec.events.map((e) => ({ ...e, kv: { ...e.kv, value: text(e.kv.value) }, prevKv: e.prevKv && { ...e.prevKv, value: text(e.prevKv.value) } })),
      );
      replay.handle.cancel();
    });

    it("a watch from the current revision sees only newer events, and several watchers each see them", async () => {
      const b = await open();
      await b.create("/a", bytes("1"));
      const one = record(b, "/", 1);
      const two = record(b, "/", 1);
      await b.create("/b", bytes("2"));
      await Promise.all([one.until(() => one.events.length >= 1), two.until(() => two.events.length >= 1)]);
      await settle();
      expect(one.events.map((e) => e.revision)).toEqual([2]);
      expect(two.events.map((e) => e.revision)).toEqual([2]);
      one.handle.cancel();
      two.handle.cancel();
    });

    it("a watch from a future revision waits for it", async () => {
      const b = await open();
      const rec = record(b, "/", 2);
      await b.create("/a", bytes("1"));
      await b.create("/b", bytes("2"));
      await b.create("/c", bytes("3"));
      await rec.until(() => rec.events.length >= 1);
      await settle();
      expect(rec.events.map((e) => e.revision)).toEqual([3]);
      rec.handle.cancel();
    });

    it("closing the backend ends open watches with Unavailable", async () => {
      const b = await open();
      const rec = record(b, "/", 0);
      await b.close();
      await rec.until(() => rec.errors.length > 0);
      expect(rec.errors.map((e) => e.code)).toEqual(["Unavailable"]);
    });
  });
}
