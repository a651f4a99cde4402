/**
 * What is specific to the etcd backend, on a real single-member etcd: the key layout and namespace
 * isolation, revisions shared with other tenants, TTLs as shared leases, the compaction floor when
 * someone else compacts, the upstream-style compactor, and a watch across a member restart.
 */
import { Etcd3 } from "etcd3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EtcdBackend, isStoreError, openBackend, startEtcdCompactor, type Backend, type StoreEvent } from "../../src/store/index.js";
import { eventually, startEtcdCluster, type EtcdTestCluster } from "./support.js";

const bytes = (s: string) => new TextEncoder().encode(s);

let cluster: EtcdTestCluster;
let raw: Etcd3;
const opened: Backend[] = [];

beforeAll(async () => {
  cluster = await startEtcdCluster(1);
  raw = new Etcd3({ hosts: cluster.endpoints });
});
afterAll(async () => {
  for (const b of opened) await b.close();
  raw?.close();
  await cluster?.stop();
});

async function open(prefix: string, query = ""): Promise<EtcdBackend> {
  const b = (await openBackend(`${cluster.url}?prefix=${encodeURIComponent(prefix)}${query}`)) as EtcdBackend;
  opened.push(b);
  return b;
}

describe("etcd backend specifics", () => {
  it("stores namespace + key, and sibling namespaces never see each other's keys", async () => {
    const a = await open("/tenant");
    const b = await open("/tenant2");
    await a.create("/registry/core/pods/ns/p", bytes("a"));
    await b.create("/registry/core/pods/ns/p", bytes("b"));
    expect((await raw.get("/tenant/registry/core/pods/ns/p").string()) ?? "").toBe("a");
    expect((await a.list({ prefix: "" })).items.map((kv) => kv.key)).toEqual(["/registry/core/pods/ns/p"]);
    expect((await b.count("")).count).toBe(1);
    // A prefix that cannot start a key matches nothing, even where another namespace continues it.
    expect((await a.list({ prefix: "2/registry" })).items).toEqual([]);
    await expect(a.create("registry/x", bytes("x"))).rejects.toBeInstanceOf(TypeError);
  });

  it("reports etcd's revision, which other tenants advance; a watch sees only its own keys", async () => {
    const mine = await open("/rev-mine");
    const other = await open("/rev-other");
    const start = await mine.currentRevision();
    const events: StoreEvent[] = [];
    const h = mine.watch({ prefix: "/", afterRevision: start, onEvents: (e) => events.push(...e), onError: () => undefined });
    const first = await mine.create("/a", bytes("1"));
    await other.create("/x", bytes("1"));
    await other.create("/y", bytes("1"));
    const second = await mine.create("/b", bytes("2"));
    expect(second.modRevision).toBe(first.modRevision + 3);
    expect(await mine.currentRevision()).toBe(second.modRevision);
    await eventually("two events", () => events.length >= 2);
    h.cancel();
    expect(events.map((e) => [e.kv.key, e.revision])).toEqual([
      ["/a", first.modRevision],
      ["/b", second.modRevision],
    ]);
  });

  it("shares one lease among keys with the same TTL and reports each key's TTL", async () => {
    const b = await open("/leases");
    await b.create("/e1", bytes("x"), { ttlSeconds: 3600 });
    await b.create("/e2", bytes("x"), { ttlSeconds: 3600 });
    await b.create("/e3", bytes("x"), { ttlSeconds: 600 });
    const [l1, l2, l3] = await Promise.all(["/e1", "/e2", "/e3"].map(async (k) => (await raw.get(`/leases${k}`).exec()).kvs[0].lease));
    expect(l1).toBe(l2);
    expect(l3).not.toBe(l1);
    expect(l1).not.toBe("0");
    expect((await b.get("/e2")).kv?.lease).toBe(3600);
    expect((await b.get("/e3")).kv?.lease).toBe(600);
    // etcd holds the lease for TTL plus the reuse window (5%, at most 60 s), never less than asked.
    const ttl = await raw.leaseClient.leaseTimeToLive({ ID: l1 });
    expect(Number(ttl.grantedTTL)).toBe(3660);
  });

  it("finds the compaction floor when another client compacted, and reports it on reads and watches", async () => {
    const b = await open("/floor");
    const kv = await b.create("/k", bytes("1"));
    const u1 = await b.update("/k", bytes("2"), kv.modRevision);
    const u2 = await b.update("/k", bytes("3"), u1.modRevision);
    await raw.kv.compact({ revision: u1.modRevision, physical: true }); // as `etcdctl compact`
    expect(await b.compactRevision()).toBe(u1.modRevision);
    const err = await b.get("/k", kv.modRevision).catch((e) => e);
    expect(err).toMatchObject({ code: "Compacted", compactRevision: u1.modRevision });
    expect(new TextDecoder().decode((await b.get("/k", u1.modRevision)).kv?.value)).toBe("2");
    // A watch from 0 (everything) cannot be served once anything was compacted.
    const fromZero = await new Promise<unknown>((resolve) => b.watch({ prefix: "/", afterRevision: 0, onEvents: () => undefined, onError: resolve }));
    expect(fromZero).toMatchObject({ code: "Compacted", compactRevision: u1.modRevision });
    expect((await b.get("/k")).kv?.modRevision).toBe(u2.modRevision);
  });

  it("compacts once per interval across API servers, keeping one interval of history (as kube-apiserver)", async () => {
    const a = await open("/compact-a");
    const b = await open("/compact-b");
    const ca = startEtcdCompactor(a, { intervalMs: 3_600_000 });
    const cb = startEtcdCompactor(b, { intervalMs: 3_600_000 });
    try {
      await a.create("/x", bytes("1"));
      const floor0 = await a.compactRevision();
      await ca.runOnce(); // A wins the first interval: records a revision, compacts nothing yet
      const seenByA = Number((await raw.get("compact_rev_key").exec()).header.revision);
      expect(await a.compactRevision()).toBe(floor0);
      await cb.runOnce(); // B loses (clock moved) and adopts A's clock
      expect(await a.compactRevision()).toBe(floor0);
      await a.create("/y", bytes("2"));
      await ca.runOnce(); // next interval: A compacts to what it saw one interval ago
      expect(await a.compactRevision()).toBe(seenByA);
      expect(ca.status()).toMatchObject({ passes: 2, failures: 0, floor: seenByA });
      await cb.runOnce(); // B is one interval behind again: no second compaction
      expect(await b.compactRevision()).toBe(seenByA);
      expect(cb.status().failures).toBe(0);
    } finally {
      await ca.stop();
      await cb.stop();
    }
  });

  it("a watch resumes after the only member restarts, without losing or repeating events", async () => {
    // A short request budget: the write while the member is down fails sooner.
    const b = await open("/restart", "&request-timeout=1500ms");
    const start = await b.currentRevision();
    const events: StoreEvent[] = [];
    const errors: unknown[] = [];
    const h = b.watch({ prefix: "/", afterRevision: start, onEvents: (e) => events.push(...e), onError: (e) => errors.push(e) });
    const before = await b.create("/before", bytes("1"));
    await eventually("the first event", () => events.length === 1);
    await cluster.stopMember(0);
    await expect(b.create("/while-down", bytes("x"))).rejects.toSatisfy((e) => isStoreError(e, "Unavailable"));
    await cluster.startMember(0);
    // Written through a second client: this test is about the watch, not the first client's backoff.
    const after = await (await open("/restart")).create("/after", bytes("2"));
    await eventually("the event after the restart", () => events.length >= 2);
    h.cancel();
    expect(errors).toEqual([]);
    expect(events.map((e) => e.revision)).toEqual([before.modRevision, after.modRevision]);
  });

  it("a consumer that throws ends its watch with Unavailable", async () => {
    const b = await open("/throws");
    const start = await b.currentRevision();
    const err = new Promise<unknown>((resolve) =>
      b.watch({
        prefix: "/",
        afterRevision: start,
        onEvents: () => {
          throw new Error("consumer bug");
        },
        onError: resolve,
      }),
    );
    await b.create("/a", bytes("1"));
    expect(await err).toMatchObject({ code: "Unavailable" });
  });
});
