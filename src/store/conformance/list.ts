/** Listing: byte-wise order, prefix boundaries, pagination and counting. */
import { bytes, type Section } from "./harness.js";

export function listSection({ t, open, rev }: Section): void {
  const { describe, it, expect } = t;

  describe("list and count", () => {
    it("a prefix matches only keys under it, not siblings that share its bytes", async () => {
      const b = await open();
      for (const k of ["/a/b", "/a/b/1", "/a/b/2", "/a/b0", "/a/bc", "/a/bc/1", "/a/a/9", "/b"]) await b.create(k, bytes(k));
      const keys = async (prefix: string) => (await b.list({ prefix })).items.map((kv) => kv.key);
      expect(await keys("/a/b/")).toEqual(["/a/b/1", "/a/b/2"]);
      expect(await keys("/a/bc/")).toEqual(["/a/bc/1"]);
      expect(await keys("/a/b")).toEqual(["/a/b", "/a/b/1", "/a/b/2", "/a/b0", "/a/bc", "/a/bc/1"]);
      expect(await keys("/zzz/")).toEqual([]);
      expect((await b.count("/a/b/")).count).toBe(2);
      expect((await b.count("/a/")).count).toBe(7);
    });

    it("orders keys by their UTF-8 bytes, and the empty prefix lists everything", async () => {
      const b = await open();
      // UTF-16 order would put the emoji (a surrogate pair) before U+FFFD; byte order puts it after.
      const keys = ["/k/\u{1F600}", "/k/\uFFFD", "/k/Z", "/k/a", "/k/\u00e9", "/k/\u{10FFFF}", "/k/"];
      for (const k of keys) await b.create(k, bytes("v"));
      const expected = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
      expect((await b.list({ prefix: "/k/" })).items.map((kv) => kv.key)).toEqual(expected);
      expect((await b.list({ prefix: "" })).items.map((kv) => kv.key)).toEqual(expected);
      expect((await b.list({ prefix: "/k/\u{10FFFF}" })).items.map((kv) => kv.key)).toEqual(["/k/\u{10FFFF}"]);
      expect((await b.list({ prefix: "/k/\uFFFD" })).items.map((kv) => kv.key)).toEqual(["/k/\uFFFD"]);
    });

    it("paginates with limit, more, remaining and startAfter at one revision", async () => {
      const b = await open();
      for (let i = 0; i < 10; i++) await b.create(`/p/${String(i).padStart(2, "0")}`, bytes(`v${i}`));
      const lastWrite = (await b.create("/q/after", bytes("x"))).modRevision;
      const first = await b.list({ prefix: "/p/", limit: 4 });
      expect(first.items.map((kv) => kv.key)).toEqual(["/p/00", "/p/01", "/p/02", "/p/03"]);
      expect(first).toMatchObject({ more: true, remaining: 6 });
      await rev.servedAtCurrent(b, first.revision, lastWrite);

      // Writes after the first page must not show in later pages read at the same revision.
      await b.delete("/p/05");
      await b.create("/p/045", bytes("new"));

      const second = await b.list({ prefix: "/p/", limit: 4, startAfter: "/p/03", revision: first.revision });
      expect(second.items.map((kv) => kv.key)).toEqual(["/p/04", "/p/05", "/p/06", "/p/07"]);
      expect(second).toMatchObject({ more: true, remaining: 2, revision: first.revision });
      const last = await b.list({ prefix: "/p/", limit: 4, startAfter: "/p/07", revision: first.revision });
      expect(last.items.map((kv) => kv.key)).toEqual(["/p/08", "/p/09"]);
      expect(last).toMatchObject({ more: false, remaining: 0, revision: first.revision });

      const exact = await b.list({ prefix: "/p/", limit: 10, revision: first.revision });
      expect(exact).toMatchObject({ more: false, remaining: 0 });
      expect(exact.items).toHaveLength(10);
      const current = await b.list({ prefix: "/p/", startAfter: "/p/04" });
      expect(current.items.map((kv) => kv.key)).toEqual(["/p/045", "/p/06", "/p/07", "/p/08", "/p/09"]);
      expect(current.more).toBe(false);
    });

    it("skips deleted keys when paging and counting", async () => {
      const b = await open();
      for (const k of ["/d/1", "/d/2", "/d/3", "/d/4"]) await b.create(k, bytes(k));
      await b.delete("/d/2");
      await b.delete("/d/4");
      const page = await b.list({ prefix: "/d/", limit: 1 });
      expect(page.items.map((kv) => kv.key)).toEqual(["/d/1"]);
      expect(page).toMatchObject({ more: true, remaining: 1 });
      expect((await b.count("/d/")).count).toBe(2);
      const rest = await b.list({ prefix: "/d/", limit: 1, startAfter: "/d/1" });
      expect(rest.items.map((kv) => kv.key)).toEqual(["/d/3"]);
      expect(rest.more).toBe(false);
    });

    it("a startAfter outside the prefix is bounded by the prefix", async () => {
      const b = await open();
      for (const k of ["/a/1", "/b/1", "/b/2", "/c/1"]) await b.create(k, bytes(k));
      expect((await b.list({ prefix: "/b/", startAfter: "/a/9" })).items.map((kv) => kv.key)).toEqual(["/b/1", "/b/2"]);
      expect((await b.list({ prefix: "/b/", startAfter: "/b/2" })).items).toEqual([]);
      expect((await b.list({ prefix: "/b/", startAfter: "/c" })).items).toEqual([]);
    });
  });
}
