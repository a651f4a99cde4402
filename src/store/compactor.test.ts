import { describe, expect, it } from "vitest";
import { startCompactor } from "./compactor.js";
import { MemoryBackend } from "./memory/memory-backend.js";
import type { Backend } from "./types.js";

const bytes = (s: string) => new TextEncoder().encode(s);

async function churn(b: Backend, keys: number, updates: number): Promise<void> {
  const revs = new Map<string, number>();
  for (let i = 0; i < keys; i++) revs.set(`/c/${i}`, (await b.create(`/c/${i}`, bytes("0"))).modRevision);
  for (let u = 0; u < updates; u++) {
    const key = `/c/${u % keys}`;
    revs.set(key, (await b.update(key, bytes(String(u)), revs.get(key) as number)).modRevision);
  }
}

describe("startCompactor", () => {
  it("compacts to current minus the retained window and keeps every key's latest value", async () => {
    const b = new MemoryBackend();
    await churn(b, 10, 490);
    const c = startCompactor(b, { intervalMs: 3_600_000, minRetainRevisions: 100 });
    expect(await c.runOnce()).toBe(400);
    expect(await b.compactRevision()).toBe(400);
    expect((await b.stats()).rows).toBeLessThanOrEqual(10 + 100);
    expect((await b.count("/c/")).count).toBe(10);
    await expect(b.get("/c/0", 399)).rejects.toMatchObject({ code: "Compacted" });
    expect(c.status()).toMatchObject({ passes: 1, failures: 0, floor: 400 });
    // Nothing new: the next pass is a no-op.
    expect(await c.runOnce()).toBe(400);
    await c.stop();
    await b.close();
  });

  it("does nothing while the store is younger than the retained window", async () => {
    const b = new MemoryBackend();
    await churn(b, 2, 10);
    const c = startCompactor(b, { intervalMs: 3_600_000, minRetainRevisions: 100 });
    await c.runOnce();
    expect(await b.compactRevision()).toBe(0);
    await c.stop();
    await b.close();
  });

  it("runs by itself every interval", async () => {
    const b = new MemoryBackend();
    await churn(b, 5, 100);
    const c = startCompactor(b, { intervalMs: 5, minRetainRevisions: 10 });
    while (c.status().passes < 2) await new Promise((r) => setTimeout(r, 5));
    expect(await b.compactRevision()).toBe(95);
    await c.stop();
    await b.close();
  });

  it("keeps going after a failed pass (kine#414) and stops when the backend closes", async () => {
    const b = new MemoryBackend();
    await churn(b, 5, 100);
    let failNext = true;
    const flaky = new Proxy(b, {
      get(target, prop, receiver) {
        if (prop === "compact") {
          return async (rev: number) => {
            if (failNext) {
              failNext = false;
              throw new Error("database is locked");
            }
            return target.compact(rev);
          };
        }
        const v = Reflect.get(target, prop, receiver);
        return typeof v === "function" ? v.bind(target) : v;
      },
    });
    const c = startCompactor(flaky, { intervalMs: 5, minRetainRevisions: 10 });
    while (c.status().passes < 1) await new Promise((r) => setTimeout(r, 5));
    expect(c.status().failures).toBeGreaterThanOrEqual(1);
    expect(await b.compactRevision()).toBe(95);
    await b.close();
    await c.runOnce();
    expect(c.status().lastError).toMatch(/closed/);
    const failures = c.status().failures;
    await new Promise((r) => setTimeout(r, 30));
    expect(c.status().failures).toBe(failures); // no more passes after Unavailable
    await c.stop();
  });
});
