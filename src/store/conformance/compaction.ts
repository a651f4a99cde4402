/** Compaction: what it keeps, the floor, idempotence, and revisions that are never reused. */
import { bytes, text, type Section } from "./harness.js";

export function compactionSection({ t, open, rev }: Section): void {
  const { describe, it, expect } = t;

  describe("compaction", () => {
    it("keeps each key's latest version as of the target and all later history", async () => {
      const b = await open();
      const a1 = await b.create("/c/a", bytes("a1"));
      const a2 = await b.update("/c/a", bytes("a2"), a1.modRevision);
      await b.create("/c/b", bytes("b1"));
      await b.delete("/c/b");
      const d1 = await b.create("/c/d", bytes("d1"));
      const a3 = await b.update("/c/a", bytes("a3"), a2.modRevision);
      await b.update("/c/d", bytes("d2"), d1.modRevision);
      const target = d1.modRevision;
      const before = await b.stats();
      await b.compact(target);
      expect(await b.compactRevision()).toBe(target);
      expect((await b.stats()).rows).toBeLessThan(before.rows);

      const atTarget = await b.list({ prefix: "/c/", revision: target });
      expect(atTarget.items.map((kv) => [kv.key, text(kv.value)])).toEqual([["/c/a", "a2"], ["/c/d", "d1"]]);
      expect(text((await b.get("/c/a", target)).kv?.value)).toBe("a2");
      expect(text((await b.get("/c/a")).kv?.value)).toBe("a3");
      expect((await b.get("/c/b", target)).kv).toBeUndefined();
      const afterA3 = await b.list({ prefix: "/c/", revision: a3.modRevision });
      expect(afterA3.items.map((kv) => [kv.key, text(kv.value)])).toEqual([["/c/a", "a3"], ["/c/d", "d1"]]);
      expect((await b.count("/c/", target)).count).toBe(2);
    });

    it("is idempotent; a target at or below the floor is a no-op, above current is FutureRevision", async () => {
      const b = await open();
      const v1 = await b.create("/a", bytes("1"));
      const v2 = await b.update("/a", bytes("2"), v1.modRevision);
      const v3 = await b.update("/a", bytes("3"), v2.modRevision);
      await b.compact(v2.modRevision);
      const rows = (await b.stats()).rows;
      await b.compact(v2.modRevision);
      await b.compact(v1.modRevision);
      expect(await b.compactRevision()).toBe(v2.modRevision);
      expect((await b.stats()).rows).toBe(rows);
      await expect(b.compact((await b.currentRevision()) + 1)).rejects.toMatchObject({ code: "FutureRevision" });
      expect(await b.compactRevision()).toBe(v2.modRevision);
      await b.compact(v3.modRevision);
      expect(await b.compactRevision()).toBe(v3.modRevision);
      expect(text((await b.get("/a")).kv?.value)).toBe("3");
    });

    it("never reuses a revision, even when compaction removes the newest rows", async () => {
      const b = await open();
      await b.create("/a", bytes("1"));
      const tombstone = await b.delete("/a"); // the newest row
      await b.compact(tombstone.modRevision);
      await rev.current(b, tombstone.modRevision);
      expect((await b.list({ prefix: "/" })).items).toEqual([]);
      const again = await b.create("/a", bytes("again"));
      rev.next(tombstone.modRevision, again.modRevision);
      expect(again.createRevision).toBe(again.modRevision);
      await rev.current(b, again.modRevision);
    });

    it("keeps a deleted key deleted, and lets it be created again", async () => {
      const b = await open();
      const v1 = await b.create("/a", bytes("1"));
      const v2 = await b.update("/a", bytes("2"), v1.modRevision);
      await b.delete("/a");
      const z = await b.create("/z", bytes("z"));
      await b.compact(z.modRevision);
      expect((await b.get("/a")).kv).toBeUndefined();
      expect((await b.count("/")).count).toBe(1);
      await expect(b.update("/a", bytes("x"), v2.modRevision)).rejects.toMatchObject({ code: "NotFound" });
      const fresh = await b.create("/a", bytes("new"));
      rev.next(z.modRevision, fresh.modRevision);
      expect(fresh.createRevision).toBe(fresh.modRevision);
      const u = await b.update("/a", bytes("newer"), fresh.modRevision);
      rev.next(fresh.modRevision, u.modRevision);
      expect(u.createRevision).toBe(fresh.modRevision);
    });

    it("leaves watchable history above the floor intact", async () => {
      const b = await open();
      const revs: number[] = [];
      for (let i = 0; i < 20; i++) revs.push((await b.create(`/h/${i % 4}-${i}`, bytes(`${i}`))).modRevision);
      for (let i = 0; i < 20; i++) revs.push((await b.delete(`/h/${i % 4}-${i}`)).modRevision);
      const floor = revs[24];
      await b.compact(floor);
      const events: number[] = [];
      await new Promise<void>((resolve, reject) => {
        const h = b.watch({
          prefix: "/h/",
          afterRevision: floor,
          onEvents: (evs) => {
            events.push(...evs.map((e) => e.revision));
            if (events.length >= 15) {
              h.cancel();
              resolve();
            }
          },
          onError: reject,
        });
      });
      expect(events).toEqual(revs.slice(25));
    });
  });
}
