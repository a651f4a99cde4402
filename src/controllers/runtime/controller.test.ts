import { afterEach, describe, expect, it } from "vitest";
import type { KubeObject } from "../../api/types.js";
import { createClient, createInformer, type ResourceRef } from "../../client/index.js";
import { FakeApiServer } from "../../client/testing/fake-apiserver.js";
import { ExponentialFailureRateLimiter } from "../../lib/workqueue.js";
import { TerminalError, createController, type Controller, type ReconcileResult } from "./index.js";

const pvcs: ResourceRef = { group: "", version: "v1", kind: "PersistentVolumeClaim", plural: "persistentvolumeclaims", namespaced: true };
const pods: ResourceRef = { group: "", version: "v1", kind: "Pod", plural: "pods", namespaced: true };

const fastLimiter = () => new ExponentialFailureRateLimiter<string>(1, 20);

async function until(cond: () => boolean, what = "condition"): Promise<void> {
  for (let i = 0; i < 1000 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!cond()) throw new Error(`timed out waiting for ${what}`);
}

let controllers: Controller[] = [];
let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(controllers.map((c) => c.stop()));
  for (const c of cleanups) await c();
  controllers = [];
  cleanups = [];
});

function make(reconcile: (key: string, retries: number) => Promise<ReconcileResult | void>, workers = 1): Controller {
  const c = createController({ name: "test", reconcile: (key, ctx) => reconcile(key, ctx.retries), workers, rateLimiter: fastLimiter() });
  controllers.push(c);
  return c;
}

describe("Controller reconcile outcomes", () => {
  it("retries a failing key with backoff until it succeeds, then forgets its history", async () => {
    const calls: number[] = [];
    const c = make(async (_key, retries) => {
      calls.push(retries);
      if (calls.length < 3) throw new Error("transient");
    });
    await c.start();
    c.enqueue("ns/a");
    await until(() => calls.length === 3, "three attempts");
    await until(() => c.queue.numRequeues("ns/a") === 0, "forget");
    expect(calls).toEqual([0, 1, 2]);
    expect(c.stats.errors).toBe(2);
  });

  it("does not retry a TerminalError", async () => {
    let calls = 0;
    const c = make(async () => {
      calls++;
      throw new TerminalError("spec.parameters.foo is not supported");
    });
    await c.start();
    c.enqueue("ns/a");
    c.enqueue("ns/marker");
    await until(() => c.stats.terminalErrors === 2, "both keys failed");
    expect(calls).toBe(2);
    expect(c.queue.delayedLen()).toBe(0);
    expect(c.queue.numRequeues("ns/a")).toBe(0);
  });

  it("requeues after the requested delay", async () => {
    let calls = 0;
    const c = make(async () => {
      calls++;
      return calls === 1 ? { requeueAfter: 20 } : undefined;
    });
    await c.start();
    c.enqueue("k");
    await until(() => calls === 2, "second reconcile");
    expect(c.stats.requeues).toBe(1);
  });

  it("never reconciles one key concurrently, and collapses a burst of adds into one more pass", async () => {
    let active = 0;
    let overlap = false;
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const c = make(async () => {
      active++;
      if (active > 1) overlap = true;
      calls++;
      if (calls === 1) await gate;
      active--;
    }, 4);
    await c.start();
    c.enqueue("ns/hot");
    await until(() => calls === 1, "first reconcile");
    for (let i = 0; i < 50; i++) c.enqueue("ns/hot");
    release();
    await until(() => calls === 2 && active === 0, "second reconcile");
    await new Promise((r) => setTimeout(r, 20));
    expect(calls).toBe(2);
    expect(overlap).toBe(false);
  });

  it("stop() aborts the signal of a reconcile in flight and waits for it", async () => {
    let sawAbort = false;
    let started = false;
    const c = createController({
      name: "stopper",
      reconcile: async (_key, ctx) => {
        started = true;
        await new Promise<void>((resolve) => ctx.signal.addEventListener("abort", () => resolve(), { once: true }));
        sawAbort = ctx.signal.aborted;
      },
    });
    await c.start();
    c.enqueue("k");
    await until(() => started, "reconcile started");
    await c.stop();
    expect(sawAbort).toBe(true);
  });
});

describe("Controller fed by informers", () => {
  it("waits for the cache to sync, then reconciles each key; handlers only enqueue", async () => {
    const server = await FakeApiServer.start({ resources: [pvcs, pods] });
    const client = createClient({ server: server.url });
    cleanups.push(async () => {
      client.close();
      await server.close();
    });
    server.seed(pvcs, { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "a", namespace: "ns" } });
    server.seed(pvcs, { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "b", namespace: "ns" } });
    const claims = createInformer(client.resource(pvcs), { backoff: { initialMs: 5, maxMs: 20 } });
    const podInformer = createInformer(client.resource(pods), { backoff: { initialMs: 5, maxMs: 20 } });
    cleanups.push(() => claims.stop(), () => podInformer.stop());

    const reconciled: string[] = [];
    let cacheSizeAtFirst = -1;
    const c = make(async (key) => {
      if (cacheSizeAtFirst < 0) cacheSizeAtFirst = claims.list().length;
      reconciled.push(key);
    });
    c.watch(claims);
    // A pod change reconciles the claims it mounts (a mapped secondary watch).
    c.watch(podInformer, (pod: KubeObject) =>
      ((pod.spec as { volumes?: { persistentVolumeClaim?: { claimName: string } }[] }).volumes ?? []).flatMap((v) =>
        v.persistentVolumeClaim ? [`${pod.metadata.namespace}/${v.persistentVolumeClaim.claimName}`] : [],
      ),
    );
    await c.start();
    expect(claims.hasSynced()).toBe(true);
    await until(() => reconciled.length === 2, "initial keys");
    expect(cacheSizeAtFirst).toBe(2);
    expect(reconciled.sort()).toEqual(["ns/a", "ns/b"]);

    server.seed(pods, { apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "ns" }, spec: { volumes: [{ name: "d", persistentVolumeClaim: { claimName: "b" } }] } });
    await until(() => reconciled.length === 3, "mapped key");
    expect(reconciled[2]).toBe("ns/b");

    server.remove(pvcs, "ns", "a");
    await until(() => reconciled.length === 4, "delete key");
    expect(reconciled[3]).toBe("ns/a");
  });
});
