/** Concurrent compare-and-swap: exactly one winner per expected revision, nothing lost. */
import { isStoreError } from "../types.js";
import { bytes, text, type Section } from "./harness.js";

export function concurrencySection({ t, open }: Section): void {
  const { describe, it, expect } = t;

  describe("concurrency", () => {
    it("many concurrent CAS increments: one winner per expected revision, no lost update", async () => {
      const b = await open();
      await b.create("/counter", bytes("0"));
      const workers = 16;
      const perWorker = 12;
      const winners: number[] = [];
      let conflicts = 0;
      const worker = async () => {
        for (let done = 0; done < perWorker; ) {
          const cur = (await b.get("/counter")).kv;
          if (!cur) throw new Error("counter vanished");
          const next = String(Number(text(cur.value)) + 1);
          try {
            await b.update("/counter", bytes(next), cur.modRevision);
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
      expect(final?.modRevision).toBe(1 + workers * perWorker);
      expect(conflicts).toBeGreaterThan(0);
    });

    it("concurrent creates of one key: exactly one succeeds", async () => {
      const b = await open();
      const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => b.create("/once", bytes(`${i}`))));
      const ok = results.filter((r) => r.status === "fulfilled");
      expect(ok).toHaveLength(1);
      const rejected = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
      expect(rejected.every((r) => isStoreError(r.reason, "KeyExists"))).toBe(true);
      expect(await b.currentRevision()).toBe(1);
    });

    it("concurrent writes to different keys all succeed with distinct revisions", async () => {
      const b = await open();
      const kvs = await Promise.all(Array.from({ length: 100 }, (_, i) => b.create(`/many/${i}`, bytes(`${i}`))));
      const revs = kvs.map((kv) => kv.modRevision).sort((x, y) => x - y);
      expect(revs).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
      expect((await b.count("/many/")).count).toBe(100);
    });
  });
}
