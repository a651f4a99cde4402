/** TTL: a key written with ttlSeconds is deleted by the backend, as an ordinary delete event. */
import { bytes, record, type Section } from "./harness.js";

export function ttlSection({ t, open }: Section): void {
  const { describe, it, expect } = t;

  describe("ttl", () => {
    it("deletes an expired key with a delete event; a key rewritten without TTL stays", async () => {
      const b = await open();
      const rec = record(b, "/ttl/", await b.currentRevision());
      const kept = await b.create("/ttl/kept", bytes("k"), { ttlSeconds: 1 });
      const rewritten = await b.update("/ttl/kept", bytes("k2"), kept.modRevision);
      await b.create("/ttl/plain", bytes("p"));
      const doomed = await b.create("/ttl/doomed", bytes("d"), { ttlSeconds: 1 });
      await rec.until(() => rec.events.some((e) => e.type === "delete"));
      const del = rec.events.find((e) => e.type === "delete");
      expect(del).toMatchObject({ kv: { key: "/ttl/doomed", createRevision: doomed.modRevision } });
      expect((await b.get("/ttl/doomed")).kv).toBeUndefined();
      // "kept" was due before "doomed", so its (stale) expiry has already been considered and skipped.
      expect((await b.get("/ttl/kept")).kv?.modRevision).toBe(rewritten.modRevision);
      expect((await b.get("/ttl/plain")).kv).toBeDefined();
      expect(rec.events.filter((e) => e.type === "delete")).toHaveLength(1);
      rec.handle.cancel();
    });
  });
}
