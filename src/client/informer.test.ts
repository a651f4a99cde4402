import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { KubeObject } from "../api/types.js";
import { createClient, createInformer, createInformerFactory, stripManagedFields, type DeleteInfo, type Informer, type KubeClient, type ResourceRef } from "./index.js";
import { FakeApiServer } from "./testing/fake-apiserver.js";

const pvcs: ResourceRef = { group: "", version: "v1", kind: "PersistentVolumeClaim", plural: "persistentvolumeclaims", namespaced: true };
const pvs: ResourceRef = { group: "", version: "v1", kind: "PersistentVolume", plural: "persistentvolumes", namespaced: false };

const pvc = (name: string, volumeName?: string, ns = "default"): KubeObject => ({
  apiVersion: "v1",
  kind: "PersistentVolumeClaim",
  metadata: { name, namespace: ns },
  spec: volumeName ? { volumeName } : {},
});

const fast = { backoff: { initialMs: 5, maxMs: 20 }, watchTimeoutSeconds: () => 600 };

let server: FakeApiServer;
let client: KubeClient;
let informers: Informer<KubeObject>[];

beforeEach(async () => {
  server = await FakeApiServer.start({ resources: [pvcs, pvs] });
  client = createClient({ server: server.url, timeoutMs: 5000 });
  informers = [];
});

afterEach(async () => {
  await Promise.all(informers.map((i) => i.stop()));
  client.close();
  await server.close();
});

function track(i: Informer<KubeObject>): Informer<KubeObject> {
  informers.push(i);
  return i;
}

function recorder(inf: Informer<KubeObject>) {
  const log: string[] = [];
  const deletes: { obj: KubeObject; info: DeleteInfo }[] = [];
  inf.addEventHandler({
    onAdd: (o) => log.push(`add ${o.metadata.name}@${o.metadata.resourceVersion}`),
    onUpdate: (_old, o) => log.push(`update ${o.metadata.name}@${o.metadata.resourceVersion}`),
    onDelete: (o, info) => {
      log.push(`delete ${o.metadata.name}`);
      deletes.push({ obj: o, info });
    },
  });
  return { log, deletes };
}

async function until(cond: () => boolean, what = "condition"): Promise<void> {
  for (let i = 0; i < 1000 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!cond()) throw new Error(`timed out waiting for ${what}`);
}

const watchRequests = () => server.requests.filter((r) => r.query.get("watch") === "true");
const listRequests = () => server.requests.filter((r) => r.method === "GET" && r.query.get("watch") !== "true" && r.path.endsWith("persistentvolumeclaims"));

describe("informer list + watch", () => {
  it("lists (paginated) into the cache, syncs, then applies watch events in order", async () => {
    for (const n of ["a", "b", "c", "d", "e"]) server.seed(pvcs, pvc(n));
    const inf = track(createInformer(client.resource(pvcs), { ...fast, pageSize: 2 }));
    const { log, deletes } = recorder(inf);
    expect(inf.hasSynced()).toBe(false);
    inf.start();
    await inf.waitForSync();
    expect(inf.hasSynced()).toBe(true);
    expect(inf.keys().sort()).toEqual(["default/a", "default/b", "default/c", "default/d", "default/e"]);
    expect(listRequests().length).toBe(3); // 2 + 2 + 1
    expect(inf.lastSyncResourceVersion).toBe(String(server.store.rv));

    await until(() => server.watches.size === 1, "watch");
    const w = watchRequests()[0];
    expect(w.query.get("resourceVersion")).toBe(inf.lastSyncResourceVersion);
    expect(w.query.get("allowWatchBookmarks")).toBe("true");
    expect(w.query.get("timeoutSeconds")).toBe("600");

    const api = client.resource(pvcs);
    await api.create(pvc("f"));
    const b = await api.get("default", "b");
    await api.update({ ...b, metadata: { ...b.metadata, labels: { x: "1" } } });
    await api.delete("default", "c");
    await until(() => log.length >= 8, "events");
    expect(log.slice(5)).toEqual([`add f@${server.store.rv - 2}`, `update b@${server.store.rv - 1}`, "delete c"]);
    expect(deletes[0].info.finalStateUnknown).toBe(false);
    expect(deletes[0].obj.metadata.name).toBe("c");
    expect(inf.get("default/b")?.metadata.labels).toEqual({ x: "1" });
    expect(inf.get("default/c")).toBeUndefined();
    expect(inf.lastSyncResourceVersion).toBe(String(server.store.rv));
  });

  it("keeps indexes current (PVCs by volumeName)", async () => {
    server.seed(pvcs, pvc("a", "pv1"));
    server.seed(pvcs, pvc("b"));
    const inf = track(createInformer(client.resource(pvcs), fast));
    inf.addIndexer("volumeName", (o) => (o.spec as { volumeName?: string }).volumeName);
    inf.start();
    await inf.waitForSync();
    expect(inf.byIndex("volumeName", "pv1").map((o) => o.metadata.name)).toEqual(["a"]);
    const api = client.resource(pvcs);
    const b = await api.get("default", "b");
    await api.update({ ...b, spec: { volumeName: "pv1" } });
    await until(() => inf.byIndex("volumeName", "pv1").length === 2, "index update");
    await api.delete("default", "a");
    await until(() => inf.byIndex("volumeName", "pv1").length === 1, "index delete");
    expect(inf.byIndex("volumeName", "pv1")[0].metadata.name).toBe("b");
  });

  it("replays the cache to a handler added after sync", async () => {
    server.seed(pvcs, pvc("a"));
    server.seed(pvcs, pvc("b"));
    const inf = track(createInformer(client.resource(pvcs), fast));
    inf.start();
    await inf.waitForSync();
    const seen: string[] = [];
    inf.onAdd((o, initial) => seen.push(`${o.metadata.name}:${initial}`));
    expect(seen.sort()).toEqual(["a:true", "b:true"]);
  });

  it("scopes to a namespace and a label selector", async () => {
    server.seed(pvcs, { ...pvc("a", undefined, "ns1"), metadata: { name: "a", namespace: "ns1", labels: { app: "x" } } });
    server.seed(pvcs, { ...pvc("b", undefined, "ns1"), metadata: { name: "b", namespace: "ns1", labels: { app: "y" } } });
    server.seed(pvcs, { ...pvc("c", undefined, "ns2"), metadata: { name: "c", namespace: "ns2", labels: { app: "x" } } });
    const inf = track(createInformer(client.resource(pvcs), { ...fast, namespace: "ns1", labelSelector: "app=x" }));
    inf.start();
    await inf.waitForSync();
    expect(inf.keys()).toEqual(["ns1/a"]);
    expect(listRequests().at(-1)?.path).toBe("/api/v1/namespaces/ns1/persistentvolumeclaims");
  });

  it("works for cluster-scoped resources, keyed by name", async () => {
    server.seed(pvs, { apiVersion: "v1", kind: "PersistentVolume", metadata: { name: "pv1" }, spec: {} });
    const inf = track(createInformer(client.resource(pvs), fast));
    inf.start();
    await inf.waitForSync();
    expect(inf.keys()).toEqual(["pv1"]);
    expect(inf.getByName(undefined, "pv1")?.kind).toBe("PersistentVolume");
  });
});

describe("informer transform", () => {
  it("applies the transform to listed and watched objects before caching and handlers (stripManagedFields)", async () => {
    const managed = (name: string, v: string): KubeObject => ({ ...pvc(name), metadata: { name, namespace: "default", labels: { v }, managedFields: [{ manager: "m", operation: "Update", apiVersion: "v1", fieldsType: "FieldsV1", fieldsV1: {} }] } });
    server.seed(pvcs, managed("a", "1"));
    const inf = track(createInformer(client.resource(pvcs), { ...fast, transform: stripManagedFields }));
    const seen: KubeObject[] = [];
    inf.addEventHandler({ onAdd: (o) => seen.push(o), onUpdate: (_old, o) => seen.push(o) });
    inf.start();
    await inf.waitForSync();
    server.seed(pvcs, managed("b", "1"));
    server.seed(pvcs, managed("a", "2"));
    await until(() => seen.length === 3, "three events");
    expect(seen.map((o) => `${o.metadata.name}:${o.metadata.labels?.v}`)).toEqual(["a:1", "b:1", "a:2"]);
    for (const o of [...seen, ...inf.list()]) expect(o.metadata.managedFields).toBeUndefined();
  });
});

describe("informer fault handling", () => {
  it("resumes from the last resourceVersion after a dropped stream, without re-listing, and sees changes made meanwhile", async () => {
    server.seed(pvcs, pvc("a"));
    const inf = track(createInformer(client.resource(pvcs), fast));
    const { log } = recorder(inf);
    inf.start();
    await inf.waitForSync();
    await until(() => server.watches.size === 1, "watch");
    const rvBefore = inf.lastSyncResourceVersion;
    const lists = listRequests().length;

    server.dropWatches();
    server.seed(pvcs, pvc("during-outage")); // replayed from history on resume
    await until(() => watchRequests().length === 2, "second watch");
    expect(watchRequests()[1].query.get("resourceVersion")).toBe(rvBefore);
    await until(() => inf.get("default/during-outage") !== undefined, "replayed event");
    expect(listRequests().length).toBe(lists);
    expect(log).toEqual(["add a@2", "add during-outage@3"]);
  });

  it("re-watches after the server ends the stream cleanly (watch timeout)", async () => {
    const inf = track(createInformer(client.resource(pvcs), fast));
    inf.start();
    await inf.waitForSync();
    await until(() => server.watches.size === 1, "watch");
    server.endWatches();
    await until(() => watchRequests().length === 2 && server.watches.size === 1, "re-watch");
    server.seed(pvcs, pvc("after"));
    await until(() => inf.get("default/after") !== undefined, "event on new watch");
  });

  for (const mode of ["event", "http"] as const) {
    it(`re-lists after 410 Gone (${mode}) and infers deletions missed meanwhile`, async () => {
      await server.close();
      server = await FakeApiServer.start({ resources: [pvcs, pvs], expiredWatchAs: mode });
      client.close();
      client = createClient({ server: server.url, timeoutMs: 5000 });
      server.seed(pvcs, pvc("keep"));
      server.seed(pvcs, pvc("doomed"));
      const inf = track(createInformer(client.resource(pvcs), fast));
      const { log, deletes } = recorder(inf);
      inf.start();
      await inf.waitForSync();
      await until(() => server.watches.size === 1, "watch");
      expect(listRequests().length).toBe(1);

      // While disconnected (all in one tick, before the informer can resume): a deletion and a
      // creation happen, and history is compacted away, so resuming the watch must fail with 410.
      server.dropWatches();
      server.remove(pvcs, "default", "doomed");
      server.seed(pvcs, pvc("new"));
      server.store.compact();

      await until(() => listRequests().length === 2, "re-list");
      await until(() => inf.get("default/new") !== undefined && inf.get("default/doomed") === undefined, "cache converged");
      expect(deletes).toHaveLength(1);
      expect(deletes[0].obj.metadata.name).toBe("doomed");
      expect(deletes[0].info.finalStateUnknown).toBe(true);
      expect(log).toContain("add new@5");
      expect(inf.lastSyncResourceVersion).toBe(String(server.store.rv));
      expect(inf.get("default/keep")).toBeDefined();
    });
  }

  it("advances lastSyncResourceVersion on bookmarks and resumes from the bookmark", async () => {
    server.seed(pvcs, pvc("a"));
    const inf = track(createInformer(client.resource(pvcs), fast));
    inf.start();
    await inf.waitForSync();
    await until(() => server.watches.size === 1, "watch");
    const synced = inf.lastSyncResourceVersion;
    // Writes to another resource move the revision without events for this watch.
    server.seed(pvs, { apiVersion: "v1", kind: "PersistentVolume", metadata: { name: "pv1" } });
    server.seed(pvs, { apiVersion: "v1", kind: "PersistentVolume", metadata: { name: "pv2" } });
    server.bookmark();
    await until(() => inf.lastSyncResourceVersion === String(server.store.rv), "bookmark applied");
    expect(Number(inf.lastSyncResourceVersion)).toBeGreaterThan(Number(synced));
    expect(inf.keys()).toEqual(["default/a"]);
    server.dropWatches();
    await until(() => watchRequests().length === 2, "resume");
    expect(watchRequests()[1].query.get("resourceVersion")).toBe(String(server.store.rv));
  });

  it("ignores stale and out-of-order events: the cache never goes back in time", async () => {
    const api = client.resource(pvcs);
    const inf = track(createInformer(client.resource(pvcs), fast));
    const { log } = recorder(inf);
    inf.start();
    await inf.waitForSync();
    await until(() => server.watches.size === 1, "watch");
    const a1 = await api.create(pvc("a"));
    const a2 = await api.update({ ...a1, metadata: { ...a1.metadata, labels: { v: "2" } } });
    const gone = await api.create(pvc("gone"));
    await api.delete("default", "gone");
    await until(() => log.length === 4, "live events");
    expect(inf.get("default/a")?.metadata.resourceVersion).toBe(a2.metadata.resourceVersion);

    // A stale MODIFIED for a (older than cached), a duplicate of the current version, a stale
    // DELETED for a, and a stale ADDED resurrecting a deleted key.
    const line = (type: string, o: KubeObject) => JSON.stringify({ type, object: o }) + "\n";
    server.sendRaw(line("MODIFIED", a1) + line("MODIFIED", a2) + line("DELETED", a1) + line("ADDED", gone));
    // A fresh event after the stale ones proves they were all processed.
    const marker = await api.create(pvc("marker"));
    await until(() => inf.get("default/marker") !== undefined, "marker");
    expect(inf.get("default/a")?.metadata.resourceVersion).toBe(a2.metadata.resourceVersion);
    expect(inf.get("default/a")?.metadata.labels).toEqual({ v: "2" });
    expect(inf.get("default/gone")).toBeUndefined();
    expect(log).toEqual([
      `add a@${a1.metadata.resourceVersion}`,
      `update a@${a2.metadata.resourceVersion}`,
      `add gone@${gone.metadata.resourceVersion}`,
      "delete gone",
      `add marker@${marker.metadata.resourceVersion}`,
    ]);
    expect(inf.lastSyncResourceVersion).toBe(marker.metadata.resourceVersion);
  });

  it("restarts a paginated list from scratch when its continue token expires", async () => {
    for (const n of ["a", "b", "c"]) server.seed(pvcs, pvc(n));
    let expired = false;
    server.intercept = (req, res) => {
      if (!req.query.get("continue") || expired) return false;
      expired = true;
      res.writeHead(410, { "content-type": "application/json" });
      res.end(JSON.stringify({ kind: "Status", apiVersion: "v1", status: "Failure", code: 410, reason: "Expired", message: "The provided continue parameter is too old" }));
      return true;
    };
    const inf = track(createInformer(client.resource(pvcs), { ...fast, pageSize: 2 }));
    inf.start();
    await inf.waitForSync();
    expect(inf.keys().sort()).toEqual(["default/a", "default/b", "default/c"]);
    // first page, expired continue, then a fresh first page and its continuation
    expect(listRequests().map((r) => (r.query.get("continue") ? "next" : "first"))).toEqual(["first", "next", "first", "next"]);
  });

  it("re-delivers the cache to onUpdate on resync", async () => {
    server.seed(pvcs, pvc("a"));
    const inf = track(createInformer(client.resource(pvcs), { ...fast, resyncMs: 20 }));
    const updates: string[] = [];
    inf.onUpdate((oldObj, newObj) => {
      if (oldObj === newObj) updates.push(newObj.metadata.name as string);
    });
    inf.start();
    await inf.waitForSync();
    await until(() => updates.length >= 2, "two resyncs");
    expect(updates.slice(0, 2)).toEqual(["a", "a"]);
  });

  it("waitForSync honours an abort signal", async () => {
    server.intercept = () => true; // never answer
    const inf = track(createInformer(client.resource(pvcs), fast));
    inf.start();
    const ac = new AbortController();
    const waiting = inf.waitForSync(ac.signal);
    ac.abort(new Error("gave up"));
    await expect(waiting).rejects.toThrow("gave up");
    server.intercept = undefined;
  });

  it("retries a failing list with backoff until it succeeds", async () => {
    let failures = 0;
    server.intercept = (req, res) => {
      if (req.query.get("watch") === "true" || failures >= 3) return false;
      failures++;
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ kind: "Status", code: 500, reason: "InternalError", message: "etcd unavailable" }));
      return true;
    };
    server.seed(pvcs, pvc("a"));
    const inf = track(createInformer(client.resource(pvcs), fast));
    inf.start();
    await inf.waitForSync();
    expect(failures).toBe(3);
    expect(inf.keys()).toEqual(["default/a"]);
  });

  it("keeps going when a handler throws", async () => {
    const inf = track(createInformer(client.resource(pvcs), fast));
    const names: string[] = [];
    inf.onAdd(() => {
      throw new Error("handler bug");
    });
    inf.onAdd((o) => names.push(o.metadata.name as string));
    inf.start();
    await inf.waitForSync();
    await until(() => server.watches.size === 1, "watch");
    server.seed(pvcs, pvc("x"));
    server.seed(pvcs, pvc("y"));
    await until(() => names.length === 2, "both events");
    expect(names).toEqual(["x", "y"]);
  });

  it("stop() ends the watch and rejects pending waitForSync", async () => {
    server.intercept = () => true; // never answer the list
    const inf = createInformer(client.resource(pvcs), fast);
    inf.start();
    const waiting = inf.waitForSync();
    await until(() => server.requests.length > 0, "list sent");
    await inf.stop();
    await expect(waiting).rejects.toThrow(/stopped before it synced/);
    server.intercept = undefined;

    const live = createInformer(client.resource(pvcs), fast);
    live.start();
    await live.waitForSync();
    await until(() => server.watches.size === 1, "watch");
    await live.stop();
    await until(() => server.watches.size === 0, "watch closed");
    expect(live.hasSynced()).toBe(true);
  });
});

describe("shared informer factory", () => {
  it("hands out one informer (one watch) per resource and scope", async () => {
    const factory = createInformerFactory(client, fast);
    const a = factory.informerFor(pvcs);
    const b = factory.informerFor(pvcs);
    const c = factory.informerFor(pvcs, { namespace: "other" });
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    factory.start();
    const late = factory.informerFor(pvs); // started at once because the factory runs
    await factory.waitForSync();
    expect(late.hasSynced()).toBe(true);
    await until(() => server.watches.size === 3, "three watches");
    expect(factory.size).toBe(3);
    await factory.stop();
    await until(() => server.watches.size === 0, "watches closed");
  });
});
