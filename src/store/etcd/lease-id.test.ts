import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { leaseIdFor, ttlFromLeaseId } from "./lease-id.js";

describe("lease IDs that carry their TTL", () => {
  it("round-trips every TTL up to etcd's maximum and stays a positive int64", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9_000_000_000 }), (ttl) => {
        const id = leaseIdFor(ttl);
        expect(BigInt(id) > 0n && BigInt(id) < 2n ** 63n).toBe(true);
        expect(ttlFromLeaseId(id)).toBe(ttl);
      }),
    );
  });

  it("draws different IDs for one TTL, and no lease means TTL 0", () => {
    const ids = new Set(Array.from({ length: 100 }, () => leaseIdFor(3600)));
    expect(ids.size).toBe(100);
    expect(ttlFromLeaseId("0")).toBe(0);
    expect(ttlFromLeaseId(undefined)).toBe(0);
    expect(() => leaseIdFor(0)).toThrow(TypeError);
  });
});
