/**
 * Leader election against a real API server, with upstream's timings (15 s / 10 s / 2 s):
 *   - a standby takes over within the lease duration once the leader stops renewing (its lease
 *     requests black-holed, as a paused or partitioned process), and the deposed leader — whose
 *     writer keeps trying, as a straggling controller would — gets no write through after its
 *     term ended: in the server's history every one of its writes precedes the takeover;
 *   - startControllers with leaderElection: one binder at a time; after the leader stops (and
 *     releases the Lease) the standby takes over and binds what comes next.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Lease } from "../../src/api/index.js";
import type { KubeObject } from "../../src/api/types.js";
import { createClient, nodeTransport, type KubeClient, type ResourceRef, type Transport } from "../../src/client/index.js";
import { startControllers, type PersistentVolume, type PersistentVolumeClaim } from "../../src/controllers/index.js";
import { LEASE_RESOURCE, NotLeaderError, runElected, type Elected } from "../../src/controllers/runtime/index.js";
import { startTestCluster, type TestCluster } from "../controllers/support/cluster.js";
import { pvObj, pvcObj } from "../controllers/support/objects.js";
import { eventually } from "./support/scaleout-cluster.js";

const CM: ResourceRef = { group: "", version: "v1", kind: "ConfigMap", plural: "configmaps", namespaced: true };
const PV: ResourceRef = { group: "", version: "v1", kind: "PersistentVolume", plural: "persistentvolumes", namespaced: false };
const PVC: ResourceRef = { group: "", version: "v1", kind: "PersistentVolumeClaim", plural: "persistentvolumeclaims", namespaced: true };

let cluster: TestCluster;
const closers: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  cluster = await startTestCluster("memory://");
});

afterAll(async () => {
  for (const c of closers.reverse()) await c();
  await cluster?.stop();
});

/** A client of the test cluster whose Lease requests can be black-holed (they hang until cancelled). */
function candidateClient(name: string): { client: KubeClient; cutLeases(): void } {
  const inner = nodeTransport({ ca: cluster.caPem });
  let cut = false;
  const transport: Transport = (req) => {
    if (cut && req.url.includes("/leases")) {
      return new Promise((_resolve, reject) => req.signal.addEventListener("abort", () => reject(req.signal.reason), { once: true }));
    }
    return inner(req);
  };
  const client = createClient({ server: cluster.api.url, token: cluster.token, transport, userAgent: `le-test (${name})`, fieldManager: name });
  closers.push(() => {
    client.close();
    inner.close();
  });
  return { client, cutLeases: () => (cut = true) };
}

interface Writer {
  acknowledged: number;
  refused: number;
  otherErrors: number;
  halt(): void;
}

/**
 * A straggling writer: writes through the term's client every 100 ms until the test halts it — it
 * ignores the end of its term (the stop the runner calls does nothing), as a controller stuck in a
 * long sync would, so only the fence stands between it and the API.
 */
function straggler(client: KubeClient, identity: string, writers: Writer[]): { stop(): Promise<void> } {
  let running = true;
  const w: Writer = { acknowledged: 0, refused: 0, otherErrors: 0, halt: () => void (running = false) };
  void (async () => {
    for (let seq = 0; running; seq++) {
      try {
        await client.resource(CM).patch("default", "fenced", "merge", { data: { holder: identity, seq: String(seq) } });
        w.acknowledged++;
      } catch (err) {
        if (err instanceof NotLeaderError) w.refused++;
        else w.otherErrors++;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  writers.push(w);
  return { stop: async () => undefined };
}

describe("leader election on a real API server", () => {
  it("a standby takes over within the lease duration when the leader stops renewing, and the deposed leader's writes stop at its term's end", async () => {
    await cluster.client.resource(CM).create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "fenced", namespace: "default" }, data: {} });
    // The server's history of the ConfigMap and the Lease, in revision order.
    const history: { rv: number; kind: string; holder: string }[] = [];
    const from = (await cluster.client.resource(CM).list("default")).metadata.resourceVersion;
    const cmWatch = await cluster.client.resource<KubeObject & { data?: Record<string, string> }>(CM).watch("default", { resourceVersion: from });
    const leaseWatch = await cluster.client.resource<Lease>(LEASE_RESOURCE).watch("kube-system", { resourceVersion: from });
    void (async () => {
      for await (const e of cmWatch) if (e.type === "MODIFIED" && e.object.metadata.name === "fenced") history.push({ rv: Number(e.object.metadata.resourceVersion), kind: "write", holder: e.object.data?.holder ?? "" });
    })();
    void (async () => {
      for await (const e of leaseWatch) if (e.type !== "BOOKMARK" && e.type !== "ERROR" && e.object.metadata.name === "fence-test") history.push({ rv: Number(e.object.metadata.resourceVersion), kind: "lease", holder: e.object.spec?.holderIdentity ?? "" });
    })();
    closers.push(() => {
      cmWatch.cancel();
      leaseWatch.cancel();
    });

    const writers: Record<string, Writer[]> = { a: [], b: [] };
    const elect = (identity: "a" | "b", client: KubeClient): Elected<{ stop(): Promise<void> }> =>
      runElected(client, { lease: "fence-test", namespace: "kube-system", identity, start: async (fenced) => straggler(fenced, identity, writers[identity]) });
    const a = candidateClient("a");
    const b = candidateClient("b");
    const ea = elect("a", a.client);
    closers.push(() => ea.stop());
    await eventually(() => (ea.elector.isLeader() && writers.a[0]?.acknowledged > 3 ? true : undefined), "a leads and writes");
    const eb = elect("b", b.client);
    closers.push(() => eb.stop());
    // b stands by while a renews.
    await new Promise((r) => setTimeout(r, 5_000));
    expect(eb.elector.isLeader()).toBe(false);
    expect(eb.elector.leader).toBe("a");
    expect(writers.b).toHaveLength(0);

    a.cutLeases();
    const leaseAtCut = await cluster.client.resource<Lease>(LEASE_RESOURCE).get("kube-system", "fence-test");
    await eventually(() => (eb.elector.isLeader() ? true : undefined), "b takes over", 40_000, 50);
    expect(ea.elector.isLeader()).toBe(false);
    const lease = await cluster.client.resource<Lease>(LEASE_RESOURCE).get("kube-system", "fence-test");
    expect(lease.spec).toMatchObject({ holderIdentity: "b", leaseDurationSeconds: 15, leaseTransitions: 1 });
    // Within the lease duration of a's last renewal, give or take b's jittered retry (≤ 2 s × 2.2) and request time.
    const gapMs = Date.parse(lease.spec!.acquireTime!) - Date.parse(leaseAtCut.spec!.renewTime!);
    expect(gapMs).toBeGreaterThan(15_000 - 2_500);
    expect(gapMs).toBeLessThan(15_000 + 4_400 + 3_000);

    // Let both writers run on for a while: a's straggler keeps trying, b's writes go through.
    await eventually(() => (writers.b[0]?.acknowledged > 10 ? true : undefined), "b writes");
    const refusedBefore = writers.a[0].refused;
    await new Promise((r) => setTimeout(r, 1_500));
    expect(writers.a[0].refused).toBeGreaterThan(refusedBefore);
    for (const w of [...writers.a, ...writers.b]) w.halt();

    await eventually(() => (history.some((h) => h.kind === "write" && h.holder === "b") ? true : undefined), "the history shows b's writes");
    history.sort((x, y) => x.rv - y.rv);
    const takeover = history.find((h) => h.kind === "lease" && h.holder === "b")!;
    expect(takeover).toBeDefined();
    const lateA = history.filter((h) => h.kind === "write" && h.holder === "a" && h.rv > takeover.rv);
    expect(lateA).toEqual([]);
    expect(history.filter((h) => h.kind === "write" && h.holder === "b" && h.rv < takeover.rv)).toEqual([]);
    expect(history.filter((h) => h.kind === "write" && h.holder === "a").length).toBeGreaterThan(3);
    expect(writers.a[0].otherErrors).toBe(0);
  }, 90_000);

  it("runs one set of controllers: the standby binds nothing until the leader stops, then takes over at once and binds", async () => {
    const pvs = cluster.client.resource<PersistentVolume>(PV);
    const pvcs = cluster.client.resource<PersistentVolumeClaim>(PVC);
    const start = (identity: string) =>
      startControllers({ client: candidateClient(identity).client, workers: 4, resyncMs: 0, withoutScheduler: true, leaderElection: { lease: "controllers-test", namespace: "kube-system", identity } });
    const first = await start("first");
    closers.push(() => first.stop());
    await eventually(() => (first.elector?.isLeader() ? true : undefined), "first leads");
    const second = await start("second");
    closers.push(() => second.stop());
    const bindAll = async (prefix: string, n: number) => {
      for (let i = 0; i < n; i++) {
        await pvs.create(pvObj(`${prefix}-${i}`, { cls: "le" }));
        await pvcs.create(pvcObj("default", `${prefix}-${i}`, { cls: "le" }));
      }
      await eventually(async () => ((await pvcs.list("default")).items.filter((c) => c.metadata.name?.startsWith(prefix) && c.status?.phase === "Bound").length === n ? true : undefined), `${n} ${prefix} claims Bound`);
    };
    await bindAll("one", 20);
    expect(second.elector?.isLeader()).toBe(false);
    expect(() => second.binder).toThrow(/does not lead/);
    expect(first.binder).toBeDefined();

    await first.stop();
    const released = await cluster.client.resource<Lease>(LEASE_RESOURCE).get("kube-system", "controllers-test");
    expect(released.spec?.holderIdentity).toBeUndefined();
    await eventually(() => (second.elector?.isLeader() ? true : undefined), "second takes over after the release", 10_000, 50);
    await bindAll("two", 20);
    const lease = await cluster.client.resource<Lease>(LEASE_RESOURCE).get("kube-system", "controllers-test");
    expect(lease.spec).toMatchObject({ holderIdentity: "second", leaseTransitions: 1 });
    // Every claim has its own volume, and both sides agree.
    const claims = (await pvcs.list("default")).items.filter((c) => /^(one|two)-/.test(c.metadata.name ?? ""));
    expect(new Set(claims.map((c) => c.spec.volumeName)).size).toBe(40);
    for (const c of claims) expect((await pvs.get(undefined, c.spec.volumeName!)).spec.claimRef?.uid).toBe(c.metadata.uid);
    await second.stop();
  }, 90_000);
});
