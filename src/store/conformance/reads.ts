/** Reads as of a revision (MVCC) and the two refusals: Compacted and FutureRevision. */
import { bytes, text, type Section } from "./harness.js";

export function readsSection({ t, open, rev }: Section): void {
  const { describe, it, expect } = t;

  describe("reads at a revision", () => {
    it("get and list see the state as of a past revision", async () => {
      const b = await open();
      const r0 = await b.currentRevision();
      const a1 = await b.create("/r/a", bytes("a1"));
      const b1 = await b.create("/r/b", bytes("b1"));
      const a2 = await b.update("/r/a", bytes("a2"), a1.modRevision);
      const bGone = await b.delete("/r/b");
      const c1 = await b.create("/r/c", bytes("c1"));
      const [r1, r2, r3, r4, r5] = [a1, b1, a2, bGone, c1].map((kv) => kv.modRevision);
      rev.sequence(r0, [r1, r2, r3, r4, r5]);

      expect(text((await b.get("/r/a", r2)).kv?.value)).toBe("a1");
      expect((await b.get("/r/a", r2)).revision).toBe(r2);
      expect(text((await b.get("/r/a", r3)).kv?.value)).toBe("a2");
      expect((await b.get("/r/b", r3)).kv?.modRevision).toBe(r2);
      expect((await b.get("/r/b", r4)).kv).toBeUndefined();
      expect((await b.get("/r/c", r4)).kv).toBeUndefined();
      // A revision no write of ours took (other writers, on etcd) reads as of the write before it.
      expect((await b.get("/r/c", r5 - 1)).kv).toBeUndefined();

      const at2 = await b.list({ prefix: "/r/", revision: r2 });
      expect(at2.revision).toBe(r2);
      expect(at2.items.map((kv) => [kv.key, text(kv.value)])).toEqual([["/r/a", "a1"], ["/r/b", "b1"]]);
      const at4 = await b.list({ prefix: "/r/", revision: r4 });
      expect(at4.items.map((kv) => [kv.key, kv.modRevision])).toEqual([["/r/a", r3]]);
      const now = await b.list({ prefix: "/r/" });
      await rev.servedAtCurrent(b, now.revision, r5);
      expect(now.items.map((kv) => kv.key)).toEqual(["/r/a", "/r/c"]);
      expect((await b.count("/r/", r2)).count).toBe(2);
      expect(await b.count("/r/", r4)).toEqual({ count: 1, revision: r4 });
    });

    it("revision 0 or absent means the current revision", async () => {
      const b = await open();
      await b.create("/a", bytes("1"));
      const last = (await b.create("/b", bytes("2"))).modRevision;
      await rev.servedAtCurrent(b, (await b.get("/a", 0)).revision, last);
      await rev.servedAtCurrent(b, (await b.list({ prefix: "/", revision: 0 })).revision, last);
      expect((await b.list({ prefix: "/", revision: 0 })).items).toHaveLength(2);
      await rev.servedAtCurrent(b, (await b.count("/")).revision, last);
      await rev.servedAtCurrent(b, (await b.count("/", 0)).revision, last);
      expect((await b.count("/", 0)).count).toBe(2);
    });

    it("the current revision is readable, one above it fails with FutureRevision", async () => {
      const b = await open();
      await b.create("/a", bytes("1"));
      const current = await b.currentRevision();
      expect((await b.get("/a", current)).revision).toBe(current);
      await expect(b.get("/a", current + 1)).rejects.toMatchObject({ code: "FutureRevision" });
      await expect(b.list({ prefix: "/", revision: current + 1000 })).rejects.toMatchObject({ code: "FutureRevision" });
      await expect(b.count("/", current + 1000)).rejects.toMatchObject({ code: "FutureRevision" });
    });

    it("a revision below the compaction floor fails with Compacted, the floor itself is readable", async () => {
      const b = await open();
      const v1 = await b.create("/a", bytes("1"));
      const v2 = await b.update("/a", bytes("2"), v1.modRevision);
      await b.update("/a", bytes("3"), v2.modRevision);
      await b.compact(v2.modRevision);
      const err = await b.get("/a", v1.modRevision).catch((e) => e);
      expect(err).toMatchObject({ code: "Compacted", compactRevision: v2.modRevision });
      await expect(b.get("/a", v2.modRevision - 1)).rejects.toMatchObject({ code: "Compacted" });
      await expect(b.list({ prefix: "/", revision: v1.modRevision })).rejects.toMatchObject({ code: "Compacted" });
      await expect(b.count("/", v1.modRevision)).rejects.toMatchObject({ code: "Compacted" });
      expect(text((await b.get("/a", v2.modRevision)).kv?.value)).toBe("2");
      expect(text((await b.get("/a")).kv?.value)).toBe("3");
    });

    it("rejects negative or fractional revisions as programming errors", async () => {
      const b = await open();
      await expect(b.get("/a", -1)).rejects.toBeInstanceOf(TypeError);
      await expect(b.list({ prefix: "/", revision: 1.5 })).rejects.toBeInstanceOf(TypeError);
    });
  });
}
