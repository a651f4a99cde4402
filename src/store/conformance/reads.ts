/** Reads as of a revision (MVCC) and the two refusals: Compacted and FutureRevision. */
import { bytes, text, type Section } from "./harness.js";

export function readsSection({ t, open }: Section): void {
  const { describe, it, expect } = t;

  describe("reads at a revision", () => {
    it("get and list see the state as of a past revision", async () => {
      const b = await open();
      await b.create("/r/a", bytes("a1")); // 1
      await b.create("/r/b", bytes("b1")); // 2
      await b.update("/r/a", bytes("a2"), 1); // 3
      await b.delete("/r/b"); // 4
      await b.create("/r/c", bytes("c1")); // 5

      expect(text((await b.get("/r/a", 2)).kv?.value)).toBe("a1");
      expect((await b.get("/r/a", 2)).revision).toBe(2);
      expect(text((await b.get("/r/a", 3)).kv?.value)).toBe("a2");
      expect((await b.get("/r/b", 3)).kv?.modRevision).toBe(2);
      expect((await b.get("/r/b", 4)).kv).toBeUndefined();
      expect((await b.get("/r/c", 4)).kv).toBeUndefined();

      const at2 = await b.list({ prefix: "/r/", revision: 2 });
      expect(at2.revision).toBe(2);
      expect(at2.items.map((kv) => [kv.key, text(kv.value)])).toEqual([["/r/a", "a1"], ["/r/b", "b1"]]);
      const at4 = await b.list({ prefix: "/r/", revision: 4 });
      expect(at4.items.map((kv) => [kv.key, kv.modRevision])).toEqual([["/r/a", 3]]);
      const now = await b.list({ prefix: "/r/" });
      expect(now.revision).toBe(5);
      expect(now.items.map((kv) => kv.key)).toEqual(["/r/a", "/r/c"]);
      expect((await b.count("/r/", 2)).count).toBe(2);
      expect(await b.count("/r/", 4)).toEqual({ count: 1, revision: 4 });
    });

    it("revision 0 or absent means the current revision", async () => {
      const b = await open();
      await b.create("/a", bytes("1"));
      await b.create("/b", bytes("2"));
      expect((await b.get("/a", 0)).revision).toBe(2);
      expect((await b.list({ prefix: "/", revision: 0 })).revision).toBe(2);
      expect((await b.count("/")).revision).toBe(2);
    });

    it("a revision above the current one fails with FutureRevision", async () => {
      const b = await open();
      await b.create("/a", bytes("1"));
      await expect(b.get("/a", 2)).rejects.toMatchObject({ code: "FutureRevision" });
      await expect(b.list({ prefix: "/", revision: 9 })).rejects.toMatchObject({ code: "FutureRevision" });
      await expect(b.count("/", 9)).rejects.toMatchObject({ code: "FutureRevision" });
    });

    it("a revision below the compaction floor fails with Compacted, the floor itself is readable", async () => {
      const b = await open();
      await b.create("/a", bytes("1")); // 1
      await b.update("/a", bytes("2"), 1); // 2
      await b.update("/a", bytes("3"), 2); // 3
      await b.compact(2);
      const err = await b.get("/a", 1).catch((e) => e);
      expect(err).toMatchObject({ code: "Compacted", compactRevision: 2 });
      await expect(b.list({ prefix: "/", revision: 1 })).rejects.toMatchObject({ code: "Compacted" });
      await expect(b.count("/", 1)).rejects.toMatchObject({ code: "Compacted" });
      expect(text((await b.get("/a", 2)).kv?.value)).toBe("2");
      expect(text((await b.get("/a")).kv?.value)).toBe("3");
    });

    it("rejects negative or fractional revisions as programming errors", async () => {
      const b = await open();
      await expect(b.get("/a", -1)).rejects.toBeInstanceOf(TypeError);
      await expect(b.list({ prefix: "/", revision: 1.5 })).rejects.toBeInstanceOf(TypeError);
    });
  });
}
