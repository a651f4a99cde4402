/** Create, update, delete: the conditional writes and their error codes. */
import { isStoreError } from "../types.js";
import { bytes, eventsSince, text, type Section } from "./harness.js";

export function crudSection({ t, open, rev }: Section): void {
  const { describe, it, expect } = t;

  describe("create / update / delete", () => {
    it("starts with no keys, its compaction floor at or below its current revision", async () => {
      const b = await open();
      const r0 = await b.currentRevision();
      expect(Number.isSafeInteger(r0) && r0 >= 0).toBe(true);
      expect(await b.compactRevision()).toBeLessThanOrEqual(r0);
      expect((await b.get("/a")).kv).toBeUndefined();
      expect((await b.list({ prefix: "" })).items).toEqual([]);
      expect((await b.count("")).count).toBe(0);
    });

    it("create assigns the next revision as create and mod revision", async () => {
      const b = await open();
      const r0 = await b.currentRevision();
      const kv = await b.create("/a", bytes("one"));
      rev.next(r0, kv.modRevision);
      expect(kv).toMatchObject({ key: "/a", createRevision: kv.modRevision, lease: 0 });
      expect(text(kv.value)).toBe("one");
      const got = await b.get("/a");
      await rev.servedAtCurrent(b, got.revision, kv.modRevision);
      expect(got.kv).toMatchObject({ key: "/a", createRevision: kv.modRevision, modRevision: kv.modRevision });
      expect(text(got.kv?.value)).toBe("one");
    });

    it("create of a live key fails with KeyExists carrying the current value", async () => {
      const b = await open();
      const r0 = await b.currentRevision();
      const c = await b.create("/a", bytes("one"));
      const err = await b.create("/a", bytes("two")).catch((e) => e);
      expect(isStoreError(err, "KeyExists")).toBe(true);
      expect(err.current).toMatchObject({ key: "/a", modRevision: c.modRevision });
      expect(text(err.current.value)).toBe("one");
      await rev.current(b, c.modRevision);
      expect((await eventsSince(b, r0)).map((e) => e.revision)).toEqual([c.modRevision]);
    });

    it("update with the current modRevision succeeds and keeps createRevision", async () => {
      const b = await open();
      const other = await b.create("/other", bytes("x"));
      const c = await b.create("/a", bytes("one"));
      const u = await b.update("/a", bytes("two"), c.modRevision);
      rev.sequence(other.modRevision, [c.modRevision, u.modRevision]);
      expect(u).toMatchObject({ key: "/a", createRevision: c.modRevision });
      expect((await b.get("/a")).kv).toMatchObject({ createRevision: c.modRevision, modRevision: u.modRevision });
      expect(text((await b.get("/a")).kv?.value)).toBe("two");
    });

    it("update with a stale modRevision fails with Conflict carrying the current value", async () => {
      const b = await open();
      const r0 = await b.currentRevision();
      const c = await b.create("/a", bytes("one"));
      const u = await b.update("/a", bytes("two"), c.modRevision);
      const err = await b.update("/a", bytes("three"), c.modRevision).catch((e) => e);
      expect(isStoreError(err, "Conflict")).toBe(true);
      expect(err.current).toMatchObject({ key: "/a", modRevision: u.modRevision });
      expect(text(err.current.value)).toBe("two");
      expect(text((await b.get("/a")).kv?.value)).toBe("two");
      await rev.current(b, u.modRevision);
      expect((await eventsSince(b, r0)).map((e) => e.revision)).toEqual([c.modRevision, u.modRevision]);
    });

    it("update of a missing or deleted key fails with NotFound", async () => {
      const b = await open();
      const r0 = await b.currentRevision();
      await expect(b.update("/missing", bytes("x"), r0 + 1)).rejects.toMatchObject({ code: "NotFound" });
      const c = await b.create("/a", bytes("one"));
      await b.delete("/a");
      await expect(b.update("/a", bytes("x"), c.modRevision)).rejects.toMatchObject({ code: "NotFound" });
    });

    it("delete without an expected revision returns the last value at the tombstone revision", async () => {
      const b = await open();
      const c = await b.create("/a", bytes("one"));
      const u = await b.update("/a", bytes("two"), c.modRevision);
      const d = await b.delete("/a");
      rev.next(u.modRevision, d.modRevision);
      expect(d).toMatchObject({ key: "/a", createRevision: c.modRevision });
      expect(text(d.value)).toBe("two");
      expect((await b.get("/a")).kv).toBeUndefined();
      // The tombstone revision is where the key ends: live just below it, gone at it.
      expect(text((await b.get("/a", d.modRevision - 1)).kv?.value)).toBe("two");
      expect((await b.get("/a", d.modRevision)).kv).toBeUndefined();
      await rev.current(b, d.modRevision);
    });

    it("delete with the expected revision succeeds, with a stale one fails with Conflict", async () => {
      const b = await open();
      const c = await b.create("/a", bytes("one"));
      const u = await b.update("/a", bytes("two"), c.modRevision);
      const err = await b.delete("/a", c.modRevision).catch((e) => e);
      expect(isStoreError(err, "Conflict")).toBe(true);
      expect(err.current).toMatchObject({ modRevision: u.modRevision });
      expect((await b.get("/a")).kv?.modRevision).toBe(u.modRevision);
      const d = await b.delete("/a", u.modRevision);
      rev.next(u.modRevision, d.modRevision);
      expect((await b.get("/a")).kv).toBeUndefined();
    });

    it("delete of a missing or already deleted key fails with NotFound and writes nothing", async () => {
      const b = await open();
      const r0 = await b.currentRevision();
      await expect(b.delete("/missing")).rejects.toMatchObject({ code: "NotFound" });
      const c = await b.create("/a", bytes("one"));
      const d = await b.delete("/a");
      await expect(b.delete("/a")).rejects.toMatchObject({ code: "NotFound" });
      await expect(b.delete("/a", d.modRevision)).rejects.toMatchObject({ code: "NotFound" });
      await expect(b.delete("/a", c.modRevision)).rejects.toMatchObject({ code: "NotFound" });
      await rev.current(b, d.modRevision);
      expect((await eventsSince(b, r0)).map((e) => [e.type, e.revision])).toEqual([
        ["put", c.modRevision],
        ["delete", d.modRevision],
      ]);
    });

    it("create after delete starts a new incarnation with a new createRevision", async () => {
      const b = await open();
      await b.create("/a", bytes("one"));
      const d = await b.delete("/a");
      const again = await b.create("/a", bytes("again"));
      rev.next(d.modRevision, again.modRevision);
      expect(again.createRevision).toBe(again.modRevision);
      const u = await b.update("/a", bytes("again2"), again.modRevision);
      rev.next(again.modRevision, u.modRevision);
      expect(u.createRevision).toBe(again.modRevision);
    });

    it("every write takes a new, higher revision, which is the key's modRevision; a failed write takes none", async () => {
      const b = await open();
      const r0 = await b.currentRevision();
      const revs: number[] = [];
      for (let i = 0; i < 5; i++) revs.push((await b.create(`/k${i}`, bytes("v"))).modRevision);
      revs.push((await b.update("/k0", bytes("w"), revs[0])).modRevision);
      revs.push((await b.delete("/k1")).modRevision);
      rev.sequence(r0, revs);
      expect((await b.get("/k0")).kv?.modRevision).toBe(revs[5]);
      expect((await b.get("/k4")).kv?.modRevision).toBe(revs[4]);
      await expect(b.create("/k0", bytes("dup"))).rejects.toMatchObject({ code: "KeyExists" });
      await rev.current(b, revs[6]);
      expect((await eventsSince(b, r0)).map((e) => e.revision)).toEqual(revs);
    });

    it("stores arbitrary bytes and empty values", async () => {
      const b = await open();
      const raw = new Uint8Array([0, 255, 1, 128, 0]);
      await b.create("/bin", raw);
      await b.create("/empty", new Uint8Array(0));
      expect(Array.from((await b.get("/bin")).kv?.value ?? [])).toEqual([0, 255, 1, 128, 0]);
      expect((await b.get("/empty")).kv?.value.byteLength).toBe(0);
    });

    it("records the TTL as lease on the KeyValue", async () => {
      const b = await open();
      const kv = await b.create("/leased", bytes("x"), { ttlSeconds: 3600 });
      expect(kv.lease).toBe(3600);
      expect((await b.get("/leased")).kv?.lease).toBe(3600);
      const u = await b.update("/leased", bytes("y"), kv.modRevision);
      expect(u.lease).toBe(0);
    });

    it("refuses values above the size limit with TooLarge", async () => {
      const b = await open();
      const r0 = await b.currentRevision();
      await expect(b.create("/big", new Uint8Array(2 * 1024 * 1024))).rejects.toMatchObject({ code: "TooLarge" });
      await rev.current(b, r0);
      expect(await eventsSince(b, r0)).toEqual([]);
    });

    it("refuses malformed keys", async () => {
      const b = await open();
      await expect(b.create("", bytes("x"))).rejects.toBeInstanceOf(TypeError);
      await expect(b.create("/bad\uD800", bytes("x"))).rejects.toBeInstanceOf(TypeError);
      await expect(b.create("/nul\u0000", bytes("x"))).rejects.toBeInstanceOf(TypeError);
    });

    it("rejects operations after close with Unavailable", async () => {
      const b = await open();
      await b.create("/a", bytes("one"));
      await b.close();
      await expect(b.get("/a")).rejects.toMatchObject({ code: "Unavailable" });
      await expect(b.create("/b", bytes("x"))).rejects.toMatchObject({ code: "Unavailable" });
    });
  });
}
