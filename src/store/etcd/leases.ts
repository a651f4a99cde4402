/**
 * TTLs as etcd leases, shared the way kube-apiserver shares them: granting a lease per write would
 * cost a raft round trip each and leave etcd one lease per Event object. A lease granted for TTL
 * T lives T + R seconds (R = 5% of T, at most 60 s) and is reused for further writes with the
 * same T while it still has between T and T + R seconds left, for at most 1000 keys. So a key
 * written with TTL T is deleted by etcd between T and T + R seconds later (never earlier), plus
 * etcd's own rounding up to its minimum lease TTL and lease extension on leader change.
 *
 * Buckets are per exact TTL (not upstream's single shared lease) because the lease ID encodes the
 * TTL that KeyValue.lease reports (lease-id.ts).
 */
import type { EtcdRpc } from "./client.js";
import { EtcdLeaseError } from "./client.js";
import { leaseIdFor } from "./lease-id.js";

const REUSE_FRACTION = 0.05;
const MAX_REUSE_SECONDS = 60;
const MAX_KEYS_PER_LEASE = 1000;

interface Bucket {
  id: string;
  /** Local clock time by which etcd will have expired the lease at the earliest. */
  expiresAt: number;
  attached: number;
}

export class LeaseBuckets {
  private readonly buckets = new Map<number, Bucket>();
  private readonly granting = new Map<number, Promise<Bucket>>();

  constructor(
    private readonly rpc: EtcdRpc,
    private readonly now: () => number = Date.now,
  ) {}

  /** A lease ID for a write with this TTL (seconds, > 0). */
  async leaseFor(ttl: number): Promise<string> {
    const reuseMs = Math.min(Math.floor(ttl * REUSE_FRACTION), MAX_REUSE_SECONDS) * 1000;
    const b = this.buckets.get(ttl);
    const now = this.now();
    if (b && b.expiresAt >= now + ttl * 1000 && b.expiresAt <= now + ttl * 1000 + reuseMs && b.attached < MAX_KEYS_PER_LEASE) {
      b.attached++;
      return b.id;
    }
    // Writes that arrive while a grant is in flight share it (it was granted after they asked).
    let pending = this.granting.get(ttl);
    if (!pending) {
      pending = this.grant(ttl, ttl + reuseMs / 1000).finally(() => this.granting.delete(ttl));
      this.granting.set(ttl, pending);
    }
    const fresh = await pending;
    fresh.attached++;
    return fresh.id;
  }

  /** Drops a lease etcd no longer knows (expired early or revoked), so the next write grants anew. */
  forget(id: string): void {
    for (const [ttl, b] of this.buckets) if (b.id === id) this.buckets.delete(ttl);
  }

  private async grant(ttl: number, grantSeconds: number): Promise<Bucket> {
    for (let attempt = 0; ; attempt++) {
      const id = leaseIdFor(ttl);
      const started = this.now();
      try {
        const res = await this.rpc.read("lease grant", (call) => this.rpc.etcd.leaseClient.leaseGrant({ ID: id, TTL: grantSeconds }, call));
        // etcd may raise the TTL to its minimum (1.5 election timeouts), never lower it.
        const bucket: Bucket = { id, expiresAt: started + Number(res.TTL) * 1000, attached: 0 };
        this.buckets.set(ttl, bucket);
        return bucket;
      } catch (err) {
        // A random ID collided with a live lease (or a retried grant already took it): draw again.
        if (err instanceof EtcdLeaseError && err.kind === "leaseExists" && attempt < 5) continue;
        throw err;
      }
    }
  }
}
