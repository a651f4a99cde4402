import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CompactionFloor } from "./compaction-floor.js";

/** A fake etcd: reads below `floor` fail; counts the probes. */
function fake(floor: number, current: number, hint?: number) {
  const state = { floor, current, probes: 0, hint };
  const probe = {
    readable: async (rev: number) => {
      state.probes++;
      return rev >= state.floor;
    },
    current: async () => state.current,
    hint: async () => state.hint,
  };
  return { state, finder: new CompactionFloor(probe) };
}

describe("CompactionFloor", () => {
  it("finds any floor, in a logarithmic number of reads (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 1_000_000 }), fc.integer({ min: 0, max: 1_000_000 }), async (floor, extra) => {
        const { state, finder } = fake(floor, floor + extra);
        expect(await finder.get()).toBe(floor);
        expect(state.probes).toBeLessThanOrEqual(2 + 2 * Math.ceil(Math.log2(floor + 1)));
      }),
    );
  });

  it("answers with one read while the floor has not moved, and follows it when it does", async () => {
    const { state, finder } = fake(50, 100);
    expect(await finder.get()).toBe(50);
    state.probes = 0;
    expect(await finder.get()).toBe(50);
    expect(state.probes).toBe(1);
    state.floor = 80;
    expect(await finder.get()).toBe(80);
  });

  it("reports 0 for an uncompacted store and trusts a verified hint", async () => {
    expect(await fake(0, 10).finder.get()).toBe(0);
    const { state, finder } = fake(700_000, 900_000, 700_000);
    expect(await finder.get()).toBe(700_000);
    expect(state.probes).toBe(3);
    const wrongHint = fake(500, 900, 400);
    expect(await wrongHint.finder.get()).toBe(500);
  });

  it("raise() records a floor learned elsewhere", async () => {
    const { state, finder } = fake(30, 40);
    finder.raise(30);
    expect(await finder.get()).toBe(30);
    expect(state.probes).toBe(1);
  });
});
