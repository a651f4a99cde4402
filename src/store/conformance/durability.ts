/** Restart: what a durable backend must still hold after close and reopen. */
import { bytes, record, text, type Section } from "./harness.js";

export function durabilitySection({ t, open, reopen }: Section): void {
  const { describe, it, expect } = t;
  if (!reopen) return;

  describe("restart", () => {
    it("keeps data, history, the floor and the revision counter across close and reopen", async () => {
      const b = await open();
      await b.create("/a", bytes("1")); // 1
      await b.update("/a", bytes("2"), 1); // 2
      await b.create("/b", bytes("b")); // 3
      await b.update("/a", bytes("3"), 2); // 4
      await b.compact(2);
      await b.close();
      const again = await reopen(b);
      expect(await again.currentRevision()).toBe(4);
      expect(await again.compactRevision()).toBe(2);
      expect(text((await again.get("/a")).kv?.value)).toBe("3");
      expect(text((await again.get("/a", 3)).kv?.value)).toBe("2");
      await expect(again.get("/a", 1)).rejects.toMatchObject({ code: "Compacted" });
      const rec = record(again, "/", 2);
      await rec.until(() => rec.events.length >= 2);
      expect(rec.events.map((e) => e.revision)).toEqual([3, 4]);
      rec.handle.cancel();
    });

    it("never reuses a revision after restart, even when the newest rows were compacted away", async () => {
      const b = await open();
      await b.create("/a", bytes("1"));
      await b.delete("/a");
      await b.compact(2);
      await b.close();
      const again = await reopen(b);
      expect(await again.currentRevision()).toBe(2);
      expect(await again.create("/a", bytes("x"))).toMatchObject({ modRevision: 3, createRevision: 3 });
    });

    it("expires TTL keys written before the restart", async () => {
      const b = await open();
      await b.create("/ttl", bytes("x"), { ttlSeconds: 1 });
      await b.close();
      const again = await reopen(b);
      const rec = record(again, "/", 1);
      await rec.until(() => rec.events.some((e) => e.type === "delete"));
      expect((await again.get("/ttl")).kv).toBeUndefined();
      rec.handle.cancel();
    });
  });
}
