/** Create, update, delete: the conditional writes and their error codes. */
import { isStoreError } from "../types.js";
import { bytes, text, type Section } from "./harness.js";

export function crudSection({ t, open }: Section): void {
  const { describe, it, expect } = t;

  describe("create / update / delete", () => {
    it("starts empty at revision 0", async () => {
      const b = await open();
      expect(await b.currentRevision()).toBe(0);
      expect(await b.compactRevision()).toBe(0);
      expect((await b.get("/a")).kv).toBeUndefined();
    });

    it("create assigns the next revision as create and mod revision", async () => {
      const b = await open();
      const kv = await b.create("/a", bytes("one"));
      expect(kv).toMatchObject({ key: "/a", createRevision: 1, modRevision: 1, lease: 0 });
      expect(text(kv.value)).toBe("one");
      const got = await b.get("/a");
      expect(got.revision).toBe(1);
      expect(got.kv).toMatchObject({ key: "/a", createRevision: 1, modRevision: 1 });
      expect(text(got.kv?.value)).toBe("one");
    });

    it("create of a live key fails with KeyExists carrying the current value", async () => {
      const b = await open();
      await b.create("/a", bytes("one"));
      const err = await b.create("/a", bytes("two")).catch((e) => e);
      expect(isStoreError(err, "KeyExists")).toBe(true);
      expect(err.current).toMatchObject({ key: "/a", modRevision: 1 });
      expect(text(err.current.value)).toBe("one");
      expect(await b.currentRevision()).toBe(1);
    });

    it("update with the current modRevision succeeds and keeps createRevision", async () => {
      const b = await open();
      await b.create("/other", bytes("x"));
      const c = await b.create("/a", bytes("one"));
      const u = await b.update("/a", bytes("two"), c.modRevision);
      expect(u).toMatchObject({ key: "/a", createRevision: 2, modRevision: 3 });
      expect(text((await b.get("/a")).kv?.value)).toBe("two");
    });

    it("update with a stale modRevision fails with Conflict carrying the current value", async () => {
      const b = await open();
      const c = await b.create("/a", bytes("one"));
      await b.update("/a", bytes("two"), c.modRevision);
      const err = await b.update("/a", bytes("three"), c.modRevision).catch((e) => e);
      expect(isStoreError(err, "Conflict")).toBe(true);
      expect(err.current).toMatchObject({ key: "/a", modRevision: 2 });
      expect(text(err.current.value)).toBe("two");
      expect(await b.currentRevision()).toBe(2);
    });

    it("update of a missing or deleted key fails with NotFound", async () => {
      const b = await open();
      await expect(b.update("/missing", bytes("x"), 1)).rejects.toMatchObject({ code: "NotFound" });
      const c = await b.create("/a", bytes("one"));
      await b.delete("/a");
      await expect(b.update("/a", bytes("x"), c.modRevision)).rejects.toMatchObject({ code: "NotFound" });
    });

    it("delete without an expected revision returns the last value at the tombstone revision", async () => {
      const b = await open();
      await b.create("/a", bytes("one"));
      const u = await b.update("/a", bytes("two"), 1);
      const d = await b.delete("/a");
      expect(d).toMatchObject({ key: "/a", createRevision: 1, modRevision: u.modRevision + 1 });
      expect(text(d.value)).toBe("two");
      expect((await b.get("/a")).kv).toBeUndefined();
      expect(await b.currentRevision()).toBe(3);
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
      expect(d.modRevision).toBe(u.modRevision + 1);
    });

    it("delete of a missing or already deleted key fails with NotFound and writes nothing", async () => {
      const b = await open();
      await expect(b.delete("/missing")).rejects.toMatchObject({ code: "NotFound" });
      await b.create("/a", bytes("one"));
      await b.delete("/a");
      await expect(b.delete("/a")).rejects.toMatchObject({ code: "NotFound" });
      await expect(b.delete("/a", 2)).rejects.toMatchObject({ code: "NotFound" });
      expect(await b.currentRevision()).toBe(2);
    });

    it("create after delete starts a new incarnation with a new createRevision", async () => {
      const b = await open();
      await b.create("/a", bytes("one"));
      await b.delete("/a");
      const again = await b.create("/a", bytes("again"));
      expect(again).toMatchObject({ createRevision: 3, modRevision: 3 });
      const u = await b.update("/a", bytes("again2"), 3);
      expect(u).toMatchObject({ createRevision: 3, modRevision: 4 });
    });

    it("every write takes exactly the next revision", async () => {
      const b = await open();
      const revs: number[] = [];
      for (let i = 0; i < 5; i++) revs.push((await b.create(`/k${i}`, bytes("v"))).modRevision);
      revs.push((await b.update("/k0", bytes("w"), revs[0])).modRevision);
      revs.push((await b.delete("/k1")).modRevision);
      expect(revs).toEqual([1, 2, 3, 4, 5, 6, 7]);
      await b.create("/k0", bytes("dup")).catch(() => undefined);
      expect(await b.currentRevision()).toBe(7);
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
      await expect(b.create("/big", new Uint8Array(2 * 1024 * 1024))).rejects.toMatchObject({ code: "TooLarge" });
      expect(await b.currentRevision()).toBe(0);
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
