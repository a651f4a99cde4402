/** Compaction: what it keeps, the floor, idempotence, and revisions that are never reused. */
import { bytes, text, type Section } from "./harness.js";

export function compactionSection({ t, open }: Section): void {
  const { describe, it, expect } = t;

  describe("compaction", () => {
    it("keeps each key's latest version as of the target and all later history", async () => {
      const b = await open();
      await b.create("/c/a", bytes("a1")); // 1
      await b.update("/c/a", bytes("a2"), 1); // 2
      await b.create("/c/b", bytes("b1")); // 3
      await b.delete("/c/b"); // 4
      await b.create("/c/d", bytes("d1")); // 5
      await b.update("/c/a", bytes("a3"), 2); // 6
      await b.update("/c/d", bytes("d2"), 5); // 7
      const before = await b.stats();
      await b.compact(5);
      expect(await b.compactRevision()).toBe(5);
      expect((await b.stats()).rows).toBeLessThan(before.rows);

      const at5 = await b.list({ prefix: "/c/", revision: 5 });
      expect(at5.items.map((kv) => [kv.key, text(kv.value)])).toEqual([["/c/a", "a2"], ["/c/d", "d1"]]);
      expect(text((await b.get("/c/a", 5)).kv?.value)).toBe("a2");
      expect(text((await b.get("/c/a")).kv?.value)).toBe("a3");
      expect((await b.get("/c/b", 5)).kv).toBeUndefined();
      const at6 = await b.list({ prefix: "/c/", revision: 6 });
      expect(at6.items.map((kv) => [kv.key, text(kv.value)])).toEqual([["/c/a", "a3"], ["/c/d", "d1"]]);
      expect((await b.count("/c/", 5)).count).toBe(2);
    });

    it("is idempotent; a target at or below the floor is a no-op, above current is FutureRevision", async () => {
      const b = await open();
      await b.create("/a", bytes("1"));
      await b.update("/a", bytes("2"), 1);
      await b.update("/a", bytes("3"), 2);
      await b.compact(2);
      const rows = (await b.stats()).rows;
      await b.compact(2);
      await b.compact(1);
      expect(await b.compactRevision()).toBe(2);
      expect((await b.stats()).rows).toBe(rows);
      await expect(b.compact(4)).rejects.toMatchObject({ code: "FutureRevision" });
      await b.compact(3);
      expect(await b.compactRevision()).toBe(3);
      expect(text((await b.get("/a")).kv?.value)).toBe("3");
    });

    it("never reuses a revision, even when compaction removes the newest rows", async () => {
      const b = await open();
      await b.create("/a", bytes("1")); // 1
      await b.delete("/a"); // 2: a tombstone, the newest row
      await b.compact(2);
      expect(await b.currentRevision()).toBe(2);
      expect((await b.list({ prefix: "/" })).items).toEqual([]);
      const again = await b.create("/a", bytes("again"));
      expect(again).toMatchObject({ createRevision: 3, modRevision: 3 });
      expect(await b.currentRevision()).toBe(3);
    });

    it("keeps a deleted key deleted, and lets it be created again", async () => {
      const b = await open();
      await b.create("/a", bytes("1")); // 1
      await b.update("/a", bytes("2"), 1); // 2
      await b.delete("/a"); // 3
      await b.create("/z", bytes("z")); // 4
      await b.compact(4);
      expect((await b.get("/a")).kv).toBeUndefined();
      expect((await b.count("/")).count).toBe(1);
      await expect(b.update("/a", bytes("x"), 2)).rejects.toMatchObject({ code: "NotFound" });
      expect(await b.create("/a", bytes("new"))).toMatchObject({ createRevision: 5 });
      const u = await b.update("/a", bytes("newer"), 5);
      expect(u).toMatchObject({ createRevision: 5, modRevision: 6 });
    });

    it("leaves watchable history above the floor intact", async () => {
      const b = await open();
      for (let i = 0; i < 20; i++) await b.create(`/h/${i % 4}-${i}`, bytes(`${i}`));
      for (let i = 0; i < 20; i++) await b.delete(`/h/${i % 4}-${i}`);
      await b.compact(25);
      const events: number[] = [];
      await new Promise<void>((resolve, reject) => {
        const h = b.watch({
          prefix: "/h/",
          afterRevision: 25,
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
      expect(events).toEqual(Array.from({ length: 15 }, (_, i) => 26 + i));
    });
  });
}
