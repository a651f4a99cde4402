import { describe, expect, it } from "vitest";
import { Backoff } from "./backoff.js";

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe("Backoff", () => {
  it("lets the first restart through, then waits 10 s doubling to 5 min", () => {
    const c = clock();
    const b = new Backoff({ now: c.now });
    expect(b.isInBackOffSince("k", c.now())).toBe(false);
    b.next("k", c.now());
    expect(b.get("k")).toBe(10_000);
    const delays: number[] = [];
    for (let i = 0; i < 8; i++) {
      const finished = c.now();
      expect(b.isInBackOffSince("k", finished)).toBe(true);
      c.advance(b.get("k"));
      expect(b.isInBackOffSince("k", finished)).toBe(false);
      b.next("k", finished);
      delays.push(b.get("k"));
    }
    expect(delays).toEqual([20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000, 300_000]);
  });

  it("measures from the event time, not from when it was noticed", () => {
    const c = clock();
    const b = new Backoff({ now: c.now });
    b.next("k", c.now());
    const finished = c.now();
    c.advance(9_000);
    expect(b.isInBackOffSince("k", finished)).toBe(true);
    expect(b.releaseTime("k", finished)).toBe(finished + 10_000);
    c.advance(1_001);
    expect(b.isInBackOffSince("k", finished)).toBe(false);
  });

  it("starts over after twice the maximum without events", () => {
    const c = clock();
    const b = new Backoff({ now: c.now });
    b.next("k", c.now());
    b.next("k", c.now());
    expect(b.get("k")).toBe(20_000);
    c.advance(600_001);
    expect(b.isInBackOffSince("k", c.now())).toBe(false);
    b.next("k", c.now());
    expect(b.get("k")).toBe(10_000);
  });

  it("forgets a pod's keys by prefix and formats delays like Go durations", () => {
    const b = new Backoff();
    b.next("uid1/a", Date.now());
    b.next("uid2/a", Date.now());
    b.forgetPrefix("uid1/");
    expect(b.get("uid1/a")).toBe(0);
    expect(b.get("uid2/a")).toBe(10_000);
    expect([Backoff.format(10_000), Backoff.format(80_000), Backoff.format(300_000)]).toEqual(["10s", "1m20s", "5m0s"]);
  });
});
