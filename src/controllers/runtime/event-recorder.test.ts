import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { KubeObject } from "../../api/types.js";
import { createClient, type KubeClient, type ResourceRef } from "../../client/index.js";
import { FakeApiServer } from "../../client/testing/fake-apiserver.js";
import { createEventRecorder, eventsResource, type CoreEvent } from "./index.js";

let server: FakeApiServer;
let client: KubeClient;
let clock: number;
const now = () => new Date(clock);

beforeAll(async () => {
  server = await FakeApiServer.start({ resources: [eventsResource as ResourceRef] });
  client = createClient({ server: server.url });
});

afterAll(async () => {
  client.close();
  await server.close();
});

beforeEach(() => {
  clock = Date.parse("2026-11-24T10:00:00.000Z");
});

let seq = 0;
function claim(): KubeObject {
  seq++;
  return { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: `claim-${seq}`, namespace: "team", uid: `uid-${seq}`, resourceVersion: "42" } };
}

const eventsFor = (name: string) =>
  server.store.list("/events").filter((e) => (e as unknown as CoreEvent).involvedObject.name === name) as unknown as CoreEvent[];

describe("EventRecorder", () => {
  it("creates a core/v1 Event shaped as client-go writes it", async () => {
    const rec = createEventRecorder(client, { component: "persistentvolume-controller", host: "node-1", now });
    const obj = claim();
    rec.event(obj, "Normal", "ProvisioningSucceeded", "Successfully provisioned volume pvc-1");
    await rec.flush();
    const [ev] = eventsFor(obj.metadata.name as string);
    const nanos = (BigInt(clock) * 1_000_000n).toString(16);
    expect(ev.metadata.name).toBe(`${obj.metadata.name}.${nanos}`);
    expect(ev.metadata.namespace).toBe("team");
    expect(ev.involvedObject).toEqual({ kind: "PersistentVolumeClaim", namespace: "team", name: obj.metadata.name, uid: obj.metadata.uid, apiVersion: "v1", resourceVersion: "42" });
    expect(ev).toMatchObject({
      type: "Normal",
      reason: "ProvisioningSucceeded",
      message: "Successfully provisioned volume pvc-1",
      source: { component: "persistentvolume-controller", host: "node-1" },
      reportingComponent: "persistentvolume-controller",
      reportingInstance: "node-1",
      firstTimestamp: "2026-11-24T10:00:00Z",
      lastTimestamp: "2026-11-24T10:00:00Z",
      count: 1,
    });
  });

  it("puts events about cluster-scoped objects in the default namespace", async () => {
    const rec = createEventRecorder(client, { component: "pv-protection", now });
    rec.event({ apiVersion: "v1", kind: "PersistentVolume", metadata: { name: "pv-cluster", uid: "u" } }, "Warning", "VolumeFailedDelete", "boom");
    await rec.flush();
    const [ev] = eventsFor("pv-cluster");
    expect(ev.metadata.namespace).toBe("default");
    expect(ev.involvedObject.namespace).toBeUndefined();
    expect(ev.type).toBe("Warning");
  });

  it("counts an identical event within 10 minutes with a strategic patch, and starts a new Event after", async () => {
    const rec = createEventRecorder(client, { component: "binder", now });
    const obj = claim();
    rec.event(obj, "Warning", "ProvisioningFailed", "no such file system");
    clock += 30_000;
    rec.event(obj, "Warning", "ProvisioningFailed", "no such file system");
    clock += 30_000;
    rec.event(obj, "Warning", "ProvisioningFailed", "no such file system");
    await rec.flush();
    let evs = eventsFor(obj.metadata.name as string);
    expect(evs).toHaveLength(1);
    expect(evs[0].count).toBe(3);
    expect(evs[0].firstTimestamp).toBe("2026-11-24T10:00:00Z");
    expect(evs[0].lastTimestamp).toBe("2026-11-24T10:01:00Z");
    const patches = server.requestsTo("PATCH", `/api/v1/namespaces/team/events/${evs[0].metadata.name}`);
    expect(patches).toHaveLength(2);
    expect(patches[1].headers["content-type"]).toBe("application/strategic-merge-patch+json");
    expect(JSON.parse(patches[1].body)).toEqual({ count: 3, lastTimestamp: "2026-11-24T10:01:00Z", message: "no such file system" });

    clock += 11 * 60_000;
    rec.event(obj, "Warning", "ProvisioningFailed", "no such file system");
    await rec.flush();
    evs = eventsFor(obj.metadata.name as string);
    expect(evs).toHaveLength(2);
    expect(evs.map((e) => e.count).sort()).toEqual([1, 3]);
    expect(rec.stats).toMatchObject({ created: 2, patched: 2 });
  });

  it("combines similar events once 10 distinct messages are seen", async () => {
    const rec = createEventRecorder(client, { component: "binder", now });
    const obj = claim();
    for (let i = 1; i <= 12; i++) {
      clock += 1000;
      rec.event(obj, "Warning", "FailedBinding", `attempt ${i} failed`);
    }
    await rec.flush();
    const evs = eventsFor(obj.metadata.name as string);
    const combined = evs.filter((e) => e.message.startsWith("(combined from similar events): "));
    expect(evs.length).toBe(10); // 9 individual + 1 combined
    expect(combined).toHaveLength(1);
    expect(combined[0].count).toBe(3);
    expect(combined[0].message).toBe("(combined from similar events): attempt 12 failed");
  });

  it("throttles a hot loop: 25 writes per object, then one per 5 minutes", async () => {
    const rec = createEventRecorder(client, { component: "hot", now });
    const obj = claim();
    const before = server.requests.length;
    for (let i = 0; i < 40; i++) rec.event(obj, "Normal", "Looping", "again");
    await rec.flush();
    expect(server.requests.length - before).toBe(25);
    expect(rec.stats.throttled).toBe(15);
    const [ev] = eventsFor(obj.metadata.name as string);
    expect(ev.count).toBe(25);

    clock += 5 * 60_000;
    rec.event(obj, "Normal", "Looping", "again");
    await rec.flush();
    // Counting continued while throttled, so the next write carries the true total.
    expect(eventsFor(obj.metadata.name as string)[0].count).toBe(41);
  });

  it("recreates an Event that disappeared before a count patch", async () => {
    const rec = createEventRecorder(client, { component: "binder", now });
    const obj = claim();
    rec.event(obj, "Normal", "Bound", "bound");
    await rec.flush();
    const [first] = eventsFor(obj.metadata.name as string);
    server.remove(eventsResource as ResourceRef, "team", first.metadata.name);
    clock += 1000;
    rec.event(obj, "Normal", "Bound", "bound");
    await rec.flush();
    const evs = eventsFor(obj.metadata.name as string);
    expect(evs).toHaveLength(1);
    expect(evs[0].metadata.name).toBe(first.metadata.name);
    expect(evs[0].count).toBe(2);
  });

  it("gives unique names to events recorded in the same millisecond", async () => {
    const rec = createEventRecorder(client, { component: "fast", now });
    const obj = claim();
    rec.event(obj, "Normal", "A", "one");
    rec.event(obj, "Normal", "B", "two");
    await rec.flush();
    const names = eventsFor(obj.metadata.name as string).map((e) => e.metadata.name);
    expect(new Set(names).size).toBe(2);
    expect(rec.stats.dropped).toBe(0);
  });

  it("never throws: unreachable server and invalid input are logged and dropped", async () => {
    const dead = createClient({ server: "http://127.0.0.1:1", maxRetries: 0 });
    const rec = createEventRecorder(dead, { component: "x", now, attempts: 2, retryDelayMs: 1 });
    rec.event(claim(), "Normal", "R", "m");
    rec.event({ apiVersion: "", kind: "", metadata: {} }, "Normal", "R", "m");
    rec.event(claim(), "Bogus" as "Normal", "R", "m");
    await rec.flush();
    expect(rec.stats.dropped).toBe(1);
    expect(rec.stats.created).toBe(0);
    dead.close();
  });
});
