/** Concurrent compare-and-swap: exactly one winner per expected revision, nothing lost. */
import { isStoreError, type KeyValue } from "../types.js";
import { bytes, eventsSince, text, type Section } from "./harness.js";

export function concurrencySection({ t, open, rev }: Section): void {
  const { describe, it, expect } = t;

  describe("concurrency", () => {
    it("many concurrent CAS increments: one winner per expected revision, no lost update", async () => {
      const b = await open();
      const start = await b.create("/counter", bytes("0"));
      const workers = 16;
      const perWorker = 12;
      const winners: number[] = [];
      const written: number[] = [];
      let conflicts = 0;
      const worker = async () => {
        for (let done = 0; done < perWorker; ) {
          const cur = (await b.get("/counter")).kv;
          if (!cur) throw new Error("counter vanished");
          const next = String(Number(text(cur.value)) + 1);
          try {
            written.push((await b.update("/counter", bytes(next), cur.modRevision)).modRevision);
            winners.push(cur.modRevision);
            done++;
          } catch (err) {
            if (!isStoreError(err, "Conflict")) throw err;
            conflicts++;
          }
        }
      };
      await Promise.all(Array.from({ length: workers }, worker));
      const final = (await b.get("/counter")).kv;
      expect(text(final?.value)).toBe(String(workers * perWorker));
      expect(new Set(winners).size).toBe(winners.length);
      expect(winners).toHaveLength(workers * perWorker);
      // Each winner expected exactly the revision the previous winning write produced: one chain.
      const chain = [...written].sort((x, y) => x - y);
      expect([...winners].sort((x, y) => x - y)).toEqual([start.modRevision, ...chain.slice(0, -1)]);
      rev.sequence(start.modRevision, chain);
      expect(final?.modRevision).toBe(chain[chain.length - 1]);
      expect(conflicts).toBeGreaterThan(0);
    });

    it("concurrent creates of one key: exactly one succeeds", async () => {
      const b = await open();
      const r0 = await b.currentRevision();
      const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => b.create("/once", bytes(`${i}`))));
      const ok = results.filter((r): r is PromiseFulfilledResult<KeyValue> => r.status === "fulfilled");
      expect(ok).toHaveLength(1);
      const rejected = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
      expect(rejected.every((r) => isStoreError(r.reason, "KeyExists"))).toBe(true);
      const winner = ok[0].value;
      rev.next(r0, winner.modRevision);
      expect(text((await b.get("/once")).kv?.value)).toBe(text(winner.value));
      await rev.current(b, winner.modRevision);
      expect((await eventsSince(b, r0)).map((e) => e.revision)).toEqual([winner.modRevision]);
    });

    it("concurrent writes to different keys all succeed with distinct revisions", async () => {
      const b = await open();
      const r0 = await b.currentRevision();
      const kvs = await Promise.all(Array.from({ length: 100 }, (_, i) => b.create(`/many/${i}`, bytes(`${i}`))));
      const revs = kvs.map((kv) => kv.modRevision).sort((x, y) => x - y);
      expect(new Set(revs).size).toBe(100);
      rev.sequence(r0, revs);
      expect((await b.count("/many/")).count).toBe(100);
      const stored = new Map((await b.list({ prefix: "/many/" })).items.map((kv) => [kv.key, kv.modRevision]));
      expect(kvs.every((kv) => stored.get(kv.key) === kv.modRevision)).toBe(true);
    });
  });
}
