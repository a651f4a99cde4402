import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { GidAllocator, lowestFree, type ListedAccessPoint } from "./gid-allocator.js";
import { isCsiError } from "./spec.js";

const FS = "fs-0123456789abcdef0";

/** A fake EFS whose listing lags behind creates by a controllable delay, like any remote API. */
class FakeEfs {
  aps: ListedAccessPoint[] = [];
  listings = 0;
  private n = 0;

  async list(fsId: string): Promise<ListedAccessPoint[]> {
    this.listings++;
    const snapshot = this.aps.filter((a) => a.fileSystemId === fsId);
    await new Promise((r) => setTimeout(r, Math.random() * 3));
    return snapshot;
  }

  async create(gid: number, token?: string): Promise<void> {
    await new Promise((r) => setTimeout(r, Math.random() * 5));
    this.aps.push({ accessPointId: `fsap-${String(++this.n).padStart(8, "0")}`, fileSystemId: FS, clientToken: token, rootPath: `/v${this.n}`, posixUser: { uid: gid, gid }, tags: {} });
  }
}

async function createOne(alloc: GidAllocator, efs: FakeEfs, range = { min: 100, max: 10_000 }, fail = false): Promise<number | undefined> {
  const g = await alloc.allocate(FS, { range });
  if (g.kind !== "allocated") throw new Error("unexpected existing");
  if (fail) {
    g.settle(false);
    return undefined;
  }
  await efs.create(g.gid);
  g.settle(true);
  return g.gid;
}

describe("lowestFree", () => {
  it("finds the lowest gap, ignoring used GIDs outside the range", () => {
    expect(lowestFree(new Set(), 5, 9)).toBe(5);
    expect(lowestFree(new Set([5, 6, 8, 1, 100]), 5, 9)).toBe(7);
    expect(lowestFree(new Set([5, 6, 7, 8, 9]), 5, 9)).toBeUndefined();
  });

  it("agrees with a naive scan", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 60 })), fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 30 }), (used, a, len) => {
        const min = a;
        const max = a + len;
        let naive: number | undefined;
        for (let g = min; g <= max; g++) if (!used.includes(g)) { naive = g; break; }
        expect(lowestFree(new Set(used), min, max)).toBe(naive);
      }),
    );
  });
});

describe("GidAllocator", () => {
  for (const maxListingAgeMs of [0, 5, 60_000]) {
    it(`never hands one GID to two live access points under heavy concurrency (listing reused up to ${maxListingAgeMs} ms)`, async () => {
      const efs = new FakeEfs();
      const alloc = new GidAllocator((fs) => efs.list(fs), { maxListingAgeMs });
      // Waves, so that creates finish while later allocations run from older listings.
      const gids: (number | undefined)[] = [];
      for (let wave = 0; wave < 5; wave++) {
        gids.push(...(await Promise.all(Array.from({ length: 60 }, (_, i) => createOne(alloc, efs, undefined, i % 7 === 0)))));
      }
      const live = efs.aps.map((a) => a.posixUser!.gid);
      expect(new Set(live).size).toBe(live.length);
      expect(live.length).toBe(gids.filter((g) => g !== undefined).length);
      // Bursts share listings instead of paying one each.
      expect(efs.listings).toBeLessThan(300);
      if (maxListingAgeMs === 60_000) expect(efs.listings).toBe(1);
    });
  }

  it("lists again before declaring a full range exhausted (a deletion may have freed a GID)", async () => {
    const efs = new FakeEfs();
    const alloc = new GidAllocator((fs) => efs.list(fs), { maxListingAgeMs: 60_000 });
    await createOne(alloc, efs, { min: 1, max: 2 });
    await createOne(alloc, efs, { min: 1, max: 2 });
    efs.aps = efs.aps.filter((a) => a.posixUser!.gid !== 1);
    const before = efs.listings;
    expect(await createOne(alloc, efs, { min: 1, max: 2 })).toBe(1);
    expect(efs.listings).toBe(before + 1);
  });

  it("is correct across a restart: a new allocator learns used GIDs from EFS", async () => {
    const efs = new FakeEfs();
    const first = new GidAllocator((fs) => efs.list(fs));
    await Promise.all(Array.from({ length: 20 }, () => createOne(first, efs)));
    const restarted = new GidAllocator((fs) => efs.list(fs));
    await Promise.all(Array.from({ length: 20 }, () => createOne(restarted, efs)));
    const live = efs.aps.map((a) => a.posixUser!.gid).sort((a, b) => a - b);
    expect(new Set(live).size).toBe(40);
    expect(live[0]).toBe(100);
    expect(live[39]).toBe(139);
  });

  it("reuses the GID of a deleted access point and of a failed create", async () => {
    const efs = new FakeEfs();
    const alloc = new GidAllocator((fs) => efs.list(fs), { maxListingAgeMs: 0 });
    for (let i = 0; i < 3; i++) await createOne(alloc, efs);
    efs.aps = efs.aps.filter((a) => a.posixUser!.gid !== 101);
    expect(await createOne(alloc, efs, undefined, true)).toBeUndefined();
    expect(await createOne(alloc, efs)).toBe(101);
    expect(await createOne(alloc, efs)).toBe(103);
    expect(alloc.reservedGids(FS).length).toBeLessThanOrEqual(2);
  });

  it("keeps in-flight GIDs reserved while their access point is not listed yet", async () => {
    const efs = new FakeEfs();
    const alloc = new GidAllocator((fs) => efs.list(fs));
    const a = await alloc.allocate(FS, { range: { min: 1, max: 10 } });
    const b = await alloc.allocate(FS, { range: { min: 1, max: 10 } });
    expect(a.kind === "allocated" && b.kind === "allocated" && a.gid !== b.gid).toBe(true);
    expect(alloc.reservedGids(FS)).toEqual([1, 2]);
  });

  it("fails with ResourceExhausted and upstream's message when the range is full", async () => {
    const efs = new FakeEfs();
    const alloc = new GidAllocator((fs) => efs.list(fs), { maxListingAgeMs: 60_000 });
    await Promise.all([createOne(alloc, efs, { min: 1, max: 2 }), createOne(alloc, efs, { min: 1, max: 2 })]);
    const err = await createOne(alloc, efs, { min: 1, max: 2 }).catch((e) => e);
    expect(isCsiError(err, "ResourceExhausted")).toBe(true);
    expect(err.message).toBe(`Failed to locate a free GID for given file system: ${FS}. Please create a new storage class with a new file-system`);
  });

  it("returns an access point that already carries the request's token instead of a GID", async () => {
    const efs = new FakeEfs();
    await efs.create(4242, "pvc-abc");
    const alloc = new GidAllocator((fs) => efs.list(fs));
    const g = await alloc.allocate(FS, { range: { min: 1, max: 10 }, match: (ap) => ap.clientToken === "pvc-abc" });
    expect(g.kind).toBe("existing");
    expect(g.kind === "existing" && g.accessPoint.posixUser?.gid).toBe(4242);
  });

  it("passes listing failures to every waiter and recovers afterwards", async () => {
    let fail = true;
    const alloc = new GidAllocator(async () => {
      if (fail) throw new Error("EFS down");
      return [];
    });
    await expect(alloc.allocate(FS, { range: { min: 1, max: 5 } })).rejects.toThrow("EFS down");
    fail = false;
    const g = await alloc.allocate(FS, { range: { min: 1, max: 5 } });
    expect(g.kind === "allocated" && g.gid).toBe(1);
  });
});
