/** Restart: what a durable backend must still hold after close and reopen. */
import { bytes, record, text, type Section } from "./harness.js";

export function durabilitySection({ t, open, reopen, rev }: Section): void {
  const { describe, it, expect } = t;
  if (!reopen) return;

  describe("restart", () => {
    it("keeps data, history, the floor and the revision counter across close and reopen", async () => {
      const b = await open();
      const v1 = await b.create("/a", bytes("1"));
      const v2 = await b.update("/a", bytes("2"), v1.modRevision);
      const other = await b.create("/b", bytes("b"));
      const v3 = await b.update("/a", bytes("3"), v2.modRevision);
      await b.compact(v2.modRevision);
      await b.close();
      const again = await reopen(b);
      await rev.current(again, v3.modRevision);
      expect(await again.compactRevision()).toBe(v2.modRevision);
      expect(text((await again.get("/a")).kv?.value)).toBe("3");
      expect(text((await again.get("/a", other.modRevision)).kv?.value)).toBe("2");
      await expect(again.get("/a", v1.modRevision)).rejects.toMatchObject({ code: "Compacted" });
      const rec = record(again, "/", v2.modRevision);
      await rec.until(() => rec.events.length >= 2);
      expect(rec.events.map((e) => e.revision)).toEqual([other.modRevision, v3.modRevision]);
      rec.handle.cancel();
    });

    it("never reuses a revision after restart, even when the newest rows were compacted away", async () => {
      const b = await open();
      await b.create("/a", bytes("1"));
      const tombstone = await b.delete("/a");
      await b.compact(tombstone.modRevision);
      await b.close();
      const again = await reopen(b);
      await rev.current(again, tombstone.modRevision);
      const fresh = await again.create("/a", bytes("x"));
      rev.next(tombstone.modRevision, fresh.modRevision);
      expect(fresh.createRevision).toBe(fresh.modRevision);
    });

    it("expires TTL keys written before the restart", async () => {
      const b = await open();
      const kv = await b.create("/ttl", bytes("x"), { ttlSeconds: 1 });
      await b.close();
      const again = await reopen(b);
      const rec = record(again, "/", kv.modRevision);
      await rec.until(() => rec.events.some((e) => e.type === "delete"));
      expect(rec.events.find((e) => e.type === "delete")).toMatchObject({ kv: { key: "/ttl", createRevision: kv.modRevision } });
      expect((await again.get("/ttl")).kv).toBeUndefined();
      rec.handle.cancel();
    });
  });
}
