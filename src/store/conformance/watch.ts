/** Watch: history then live with no gap or duplicate, prefixes, cancel, compaction, event shapes. */
import { bytes, record, settle, text, type Section } from "./harness.js";

export function watchSection({ t, open }: Section): void {
  const { describe, it, expect } = t;

  describe("watch", () => {
    it("delivers history after a past revision, then live events, with no gap, duplicate or reordering", async () => {
      const b = await open();
      const created: number[] = [];
      for (let i = 0; i < 30; i++) created.push((await b.create(`/w/${i}`, bytes(`v${i}`))).modRevision);
      const rec = record(b, "/w/", created[9]);
      // Live writes race the history read: they start before the watcher has caught up.
      const updated = await Promise.all(Array.from({ length: 30 }, (_, i) => b.update(`/w/${i}`, bytes(`u${i}`), created[i])));
      const deleted: number[] = [];
      for (let i = 0; i < 10; i++) deleted.push((await b.delete(`/w/${i}`)).modRevision);
      await rec.until(() => rec.events.length >= 60 || rec.errors.length > 0);
      await settle();
      expect(rec.errors).toEqual([]);
      // Every write to the prefix above the start, each once, in revision order.
      const expected = [...created.slice(10), ...updated.map((kv) => kv.modRevision), ...deleted].sort((x, y) => x - y);
      expect(expected).toHaveLength(60);
      expect(rec.events.map((e) => e.revision)).toEqual(expected);
      expect(rec.events[0]).toMatchObject({ type: "put", created: true, kv: { key: "/w/10", modRevision: created[10] } });
      rec.handle.cancel();
    });

    it("delivers only keys under the prefix", async () => {
      const b = await open();
      const r0 = await b.currentRevision();
      const xOld = await b.create("/x/old", bytes("1"));
      await b.create("/y/old", bytes("1"));
      const rec = record(b, "/x/", r0);
      await b.create("/xy", bytes("sibling"));
      await b.create("/y/new", bytes("2"));
      const xNew = await b.create("/x/new", bytes("2"));
      await rec.until(() => rec.events.length >= 2);
      await settle();
      expect(rec.events.map((e) => [e.kv.key, e.revision])).toEqual([
        ["/x/old", xOld.modRevision],
        ["/x/new", xNew.modRevision],
      ]);
      rec.handle.cancel();
    });

    it("stops delivering after cancel", async () => {
      const b = await open();
      const rec = record(b, "/", await b.currentRevision());
      const a = await b.create("/a", bytes("1"));
      await rec.until(() => rec.events.length === 1);
      rec.handle.cancel();
      await b.create("/b", bytes("2"));
      await b.update("/a", bytes("3"), a.modRevision);
      await settle();
      expect(rec.events.map((e) => e.revision)).toEqual([a.modRevision]);
      expect(rec.errors).toEqual([]);
    });

    it("a cancel before the history is read delivers nothing", async () => {
      const b = await open();
      const r0 = await b.currentRevision();
      await b.create("/a", bytes("1"));
      const rec = record(b, "/", r0);
      rec.handle.cancel();
      await b.create("/b", bytes("2"));
      await settle();
      expect(rec.events).toEqual([]);
    });

    it("watching from a compacted revision ends with Compacted", async () => {
      const b = await open();
      const v1 = await b.create("/a", bytes("1"));
      const v2 = await b.update("/a", bytes("2"), v1.modRevision);
      const v3 = await b.update("/a", bytes("3"), v2.modRevision);
      await b.compact(v2.modRevision);
      const rec = record(b, "/", v2.modRevision - 1);
      await rec.until(() => rec.errors.length > 0);
      expect(rec.errors[0]).toMatchObject({ code: "Compacted", compactRevision: v2.modRevision });
      expect(rec.events).toEqual([]);
      const v4 = await b.update("/a", bytes("4"), v3.modRevision);
      await settle();
      expect(rec.events).toEqual([]);
      expect(rec.errors).toHaveLength(1);

      const ok = record(b, "/", v2.modRevision);
      await ok.until(() => ok.events.length >= 2);
      expect(ok.events.map((e) => e.revision)).toEqual([v3.modRevision, v4.modRevision]);
      ok.handle.cancel();
    });

    it("put events carry prevKv and created; delete events carry the last value", async () => {
      const b = await open();
      const r0 = await b.currentRevision();
      const rec = record(b, "/e/", r0);
      const one = await b.create("/e/k", bytes("one"), { ttlSeconds: 3600 });
      const two = await b.update("/e/k", bytes("two"), one.modRevision);
      const gone = await b.delete("/e/k");
      const three = await b.create("/e/k", bytes("three"));
      const [r1, r2, r3, r4] = [one, two, gone, three].map((kv) => kv.modRevision);
      await rec.until(() => rec.events.length >= 4);
      const [created, updated, deleted, recreated] = rec.events;
      expect(created).toMatchObject({ type: "put", revision: r1, created: true, kv: { createRevision: r1, modRevision: r1, lease: 3600 } });
      expect(created.prevKv).toBeUndefined();
      expect(updated).toMatchObject({ type: "put", revision: r2, created: false, kv: { createRevision: r1, modRevision: r2 } });
      expect(updated.prevKv).toMatchObject({ key: "/e/k", modRevision: r1, createRevision: r1, lease: 3600 });
      expect(text(updated.prevKv?.value)).toBe("one");
      expect(deleted).toMatchObject({ type: "delete", revision: r3, kv: { key: "/e/k", modRevision: r3, createRevision: r1 } });
      expect(text(deleted.kv.value)).toBe("two");
      expect(deleted.prevKv).toMatchObject({ modRevision: r2 });
      expect(text(deleted.prevKv?.value)).toBe("two");
      expect(recreated).toMatchObject({ type: "put", revision: r4, created: true, kv: { createRevision: r4 } });
      expect(recreated.prevKv).toBeUndefined();
      rec.handle.cancel();

      // The same events replayed from history look the same.
      const replay = record(b, "/e/", r0);
      await replay.until(() => replay.events.length >= 4);
      expect(replay.events.map((e) => ({ ...e, kv: { ...e.kv, value: text(e.kv.value) }, prevKv: e.prevKv && { ...e.prevKv, value: text(e.prevKv.value) } }))).toEqual(
        rec.events.map((e) => ({ ...e, kv: { ...e.kv, value: text(e.kv.value) }, prevKv: e.prevKv && { ...e.prevKv, value: text(e.prevKv.value) } })),
      );
      replay.handle.cancel();
    });

    it("a watch from the current revision sees only newer events, and several watchers each see them", async () => {
      const b = await open();
      const a = await b.create("/a", bytes("1"));
      const one = record(b, "/", a.modRevision);
      const two = record(b, "/", a.modRevision);
      const next = await b.create("/b", bytes("2"));
      await Promise.all([one.until(() => one.events.length >= 1), two.until(() => two.events.length >= 1)]);
      await settle();
      expect(one.events.map((e) => e.revision)).toEqual([next.modRevision]);
      expect(two.events.map((e) => e.revision)).toEqual([next.modRevision]);
      one.handle.cancel();
      two.handle.cancel();
    });

    it("a watch from a future revision waits for it", async () => {
      const b = await open();
      const start = (await b.currentRevision()) + 2;
      const rec = record(b, "/", start);
      const revs: number[] = [];
      for (const k of ["/a", "/b", "/c"]) revs.push((await b.create(k, bytes(k))).modRevision);
      // Revisions strictly increase, so at least the third write is above start.
      await rec.until(() => rec.events.some((e) => e.revision === revs[2]) || rec.errors.length > 0);
      await settle();
      expect(rec.errors).toEqual([]);
      expect(rec.events.map((e) => e.revision)).toEqual(revs.filter((r) => r > start));
      rec.handle.cancel();
    });

    it("closing the backend ends open watches with Unavailable", async () => {
      const b = await open();
      const rec = record(b, "/", await b.currentRevision());
      await b.close();
      await rec.until(() => rec.errors.length > 0);
      expect(rec.errors.map((e) => e.code)).toEqual(["Unavailable"]);
    });
  });
}
