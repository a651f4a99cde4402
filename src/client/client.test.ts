import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StatusError } from "../api/status.js";
import type { KubeObject } from "../api/types.js";
import { NetworkError, RequestConstructionError, createClient, fetchTransport, type KubeClient, type ResourceRef, type WatchEvent } from "./index.js";
import { FakeApiServer } from "./testing/fake-apiserver.js";

const pvcs: ResourceRef = { group: "", version: "v1", kind: "PersistentVolumeClaim", plural: "persistentvolumeclaims", namespaced: true };
const pods: ResourceRef = { group: "", version: "v1", kind: "Pod", plural: "pods", namespaced: true };
const scs: ResourceRef = { group: "storage.k8s.io", version: "v1", kind: "StorageClass", plural: "storageclasses", namespaced: false };

const pvc = (name: string, extra: Partial<KubeObject> = {}): KubeObject => ({
  apiVersion: "v1",
  kind: "PersistentVolumeClaim",
  metadata: { name, namespace: "default", labels: { app: "demo" } },
  spec: { accessModes: ["ReadWriteMany"] },
  ...extra,
});

let server: FakeApiServer;
let client: KubeClient;

beforeAll(async () => {
  server = await FakeApiServer.start({ resources: [pvcs, pods, scs], tls: true, token: "t0ken" });
  client = createClient({ server: server.url, caData: server.caPem, token: "t0ken", userAgent: "cistern-controllers/0.1", timeoutMs: 5000 });
});

afterAll(async () => {
  client.close();
  await server.close();
});

describe("client over HTTPS with a custom CA and a bearer token", () => {
  it("creates, reads, lists, updates, patches and deletes", async () => {
    const api = client.resource(pvcs);
    const created = await api.create(pvc("a"));
    expect(created.metadata.uid).toBeTruthy();
    expect(created.metadata.resourceVersion).toMatch(/^\d+$/);

    const got = await api.get("default", "a");
    expect(got.metadata.name).toBe("a");

    const updated = await api.update({ ...got, spec: { accessModes: ["ReadWriteOnce"] } });
    expect((updated.spec as { accessModes: string[] }).accessModes).toEqual(["ReadWriteOnce"]);

    const withStatus = await api.updateStatus({ ...updated, status: { phase: "Bound" } });
    expect((withStatus.status as { phase: string }).phase).toBe("Bound");

    const patched = await api.patch("default", "a", "merge", { metadata: { labels: { tier: "gold" } } }, { fieldManager: "test" });
    expect(patched.metadata.labels).toEqual({ app: "demo", tier: "gold" });

    const list = await api.list("default", { labelSelector: "app=demo" });
    expect(list.items.map((i) => i.metadata.name)).toEqual(["a"]);
    // The server omits apiVersion/kind on list items; the client fills them in.
    expect(list.items[0].kind).toBe("PersistentVolumeClaim");
    expect(list.items[0].apiVersion).toBe("v1");
    expect(list.metadata.resourceVersion).toMatch(/^\d+$/);

    const deleted = await api.delete("default", "a", { propagationPolicy: "Background" });
    expect(deleted?.metadata.name).toBe("a");
    await expect(api.get("default", "a")).rejects.toMatchObject({ code: 404, reason: "NotFound" });
  });

  it("identifies itself, authenticates and reuses one keep-alive connection", async () => {
    const before = server.connectionsAccepted;
    const api = client.resource(scs);
    await api.create({ apiVersion: "storage.k8s.io/v1", kind: "StorageClass", metadata: { name: "efs-sc" }, provisioner: "efs.csi.aws.com" } as KubeObject);
    for (let i = 0; i < 5; i++) await api.get(undefined, "efs-sc");
    expect(server.connectionsAccepted - before).toBeLessThanOrEqual(1);
    const last = server.requests[server.requests.length - 1];
    expect(last.headers["user-agent"]).toBe("cistern-controllers/0.1");
    expect(last.headers.authorization).toBe("Bearer t0ken");
    expect(last.path).toBe("/apis/storage.k8s.io/v1/storageclasses/efs-sc");
  });

  it("sends the right content type and query for each patch type", async () => {
    const api = client.resource(pvcs);
    await api.create(pvc("p"));
    await api.patch("default", "p", "strategic", { metadata: { labels: { s: "1" } } });
    await api.patch("default", "p", "json", [{ op: "add", path: "/metadata/labels/j", value: "2" }]);
    await api.patch("default", "p", "apply", { metadata: { name: "p", labels: { a: "3" } } }, { fieldManager: "cistern", force: true });
    const patches = server.requestsTo("PATCH", "/api/v1/namespaces/default/persistentvolumeclaims/p");
    expect(patches.map((r) => r.headers["content-type"])).toEqual([
      "application/strategic-merge-patch+json",
      "application/json-patch+json",
      "application/apply-patch+yaml",
    ]);
    const apply = patches[2];
    expect(apply.query.get("fieldManager")).toBe("cistern");
    expect(apply.query.get("force")).toBe("true");
    expect(JSON.parse(apply.body)).toMatchObject({ apiVersion: "v1", kind: "PersistentVolumeClaim" });
    const final = await api.get("default", "p");
    expect(final.metadata.labels).toMatchObject({ s: "1", j: "2", a: "3" });
  });

  it("refuses requests that cannot be built, without sending them", async () => {
    const api = client.resource(pvcs);
    const before = server.requests.length;
    await expect(api.patch("default", "p", "apply", {})).rejects.toBeInstanceOf(RequestConstructionError);
    await expect(api.patch("default", "p", "merge", {}, { force: true })).rejects.toThrow(/only valid for apply/);
    await expect(api.create({ ...pvc("n"), metadata: { name: "n" } })).rejects.toThrow(/namespace is required/);
    await expect(api.get("default", "../secrets")).rejects.toBeInstanceOf(RequestConstructionError);
    await expect(client.resource(scs).get("default", "x")).rejects.toThrow(/cluster-scoped/);
    expect(server.requests.length).toBe(before);
  });

  it("sends DeleteOptions with propagation, grace period and preconditions", async () => {
    const api = client.resource(pvcs);
    const live = await api.create(pvc("d"));
    await expect(api.delete("default", "d", { preconditions: { uid: "not-the-uid" } })).rejects.toMatchObject({ code: 409, reason: "Conflict" });
    await api.delete("default", "d", { propagationPolicy: "Foreground", gracePeriodSeconds: 0, preconditions: { uid: live.metadata.uid } });
    const body = JSON.parse(server.requestsTo("DELETE", "/api/v1/namespaces/default/persistentvolumeclaims/d").at(-1)?.body ?? "{}");
    expect(body).toEqual({ kind: "DeleteOptions", apiVersion: "v1", propagationPolicy: "Foreground", gracePeriodSeconds: 0, preconditions: { uid: live.metadata.uid } });
  });

  it("follows continue tokens in listAll", async () => {
    const api = client.resource(pvcs);
    for (const n of ["l1", "l2", "l3", "l4", "l5"]) await api.create({ ...pvc(n), metadata: { name: n, namespace: "paged" } });
    const page = await api.list("paged", { limit: 2 });
    expect(page.items).toHaveLength(2);
    expect(page.metadata.continue).toBeTruthy();
    const all = await api.listAll("paged", { limit: 2 });
    expect(all.items.map((i) => i.metadata.name)).toEqual(["l1", "l2", "l3", "l4", "l5"]);
    // No writes happened between the two lists: one snapshot, one resourceVersion.
    expect(all.metadata.resourceVersion).toBe(page.metadata.resourceVersion);
    expect(all.metadata.continue).toBeUndefined();
  });

  it("reads and posts subresources (pods/binding, pods/log)", async () => {
    const api = client.resource(pods);
    await api.create({ apiVersion: "v1", kind: "Pod", metadata: { name: "app", namespace: "default" }, spec: {} });
    const binding = { apiVersion: "v1", kind: "Binding", metadata: { name: "app" }, target: { apiVersion: "v1", kind: "Node", name: "node-1" } };
    const res = await api.postSubresource<{ status: string }>("default", "app", "binding", binding);
    expect(res.status).toBe("Success");
    const sent = server.requestsTo("POST", "/api/v1/namespaces/default/pods/app/binding").at(-1);
    expect(JSON.parse(sent?.body ?? "{}")).toEqual(binding);
    server.intercept = (req, r) => {
      if (!req.path.endsWith("/log")) return false;
      r.writeHead(200, { "content-type": "text/plain" });
      r.end(`hello ${req.query.get("container")}\n`);
      return true;
    };
    try {
      expect(await api.getSubresourceText("default", "app", "log", { query: { container: "main" } })).toBe("hello main\n");
    } finally {
      server.intercept = undefined;
    }
  });

  it("maps apiVersion/kind to a resource through discovery", async () => {
    const api = await client.resourceFor("storage.k8s.io/v1", "StorageClass");
    expect(api.ref).toEqual({ group: "storage.k8s.io", version: "v1", kind: "StorageClass", plural: "storageclasses", namespaced: false });
    const core = await client.resourceFor("v1", "Pod");
    expect(core.ref.plural).toBe("pods");
    await expect(client.resourceFor("v1", "Nope")).rejects.toThrow(/no matches for kind "Nope"/);
  });
});

describe("errors", () => {
  it("decodes Status errors with the server's reason and details", async () => {
    const api = client.resource(pvcs);
    await api.create(pvc("dup"));
    const err = await api.create(pvc("dup")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StatusError);
    expect(err).toMatchObject({ code: 409, reason: "AlreadyExists", message: 'persistentvolumeclaims "dup" already exists', details: { name: "dup", kind: "persistentvolumeclaims" } });
    const live = await api.get("default", "dup");
    await api.update(live);
    await expect(api.update(live)).rejects.toMatchObject({ code: 409, reason: "Conflict" });
  });

  it("rejects a wrong token with 401 Unauthorized", async () => {
    const bad = createClient({ server: server.url, caData: server.caPem, token: "wrong" });
    await expect(bad.resource(pvcs).list()).rejects.toMatchObject({ code: 401, reason: "Unauthorized" });
    bad.close();
  });

  it("turns a non-Status error body into a StatusError from the HTTP code", async () => {
    server.intercept = (_req, res) => {
      res.writeHead(502, { "content-type": "text/plain" });
      res.end("upstream down");
      return true;
    };
    try {
      const noRetry = createClient({ server: server.url, caData: server.caPem, token: "t0ken", maxRetries: 0 });
      await expect(noRetry.resource(pvcs).list()).rejects.toMatchObject({ code: 502, reason: "InternalError" });
      noRetry.close();
    } finally {
      server.intercept = undefined;
    }
  });

  it("retries a GET after 503 and a POST after 429 Retry-After, but never a failed POST otherwise", async () => {
    let failures = 0;
    server.intercept = (req, res) => {
      if (failures >= 1 || !req.path.includes("/namespaces/retry")) return false;
      failures++;
      if (req.method === "GET") {
        res.writeHead(503, { "content-type": "application/json", "retry-after": "0" });
        res.end(JSON.stringify({ kind: "Status", code: 503, reason: "ServiceUnavailable", message: "busy" }));
      } else {
        res.writeHead(req.headers["x-mode"] === "500" ? 500 : 429, { "content-type": "application/json", "retry-after": "0" });
        res.end(JSON.stringify({ kind: "Status", code: 429, reason: "TooManyRequests", message: "slow down" }));
      }
      return true;
    };
    try {
      const api = client.resource(pvcs);
      await expect(api.list("retry")).resolves.toMatchObject({ items: [] });
      failures = 0;
      await expect(api.create({ ...pvc("r"), metadata: { name: "r", namespace: "retry" } })).resolves.toMatchObject({ metadata: { name: "r" } });
      expect(server.requestsTo("POST", "/api/v1/namespaces/retry/").length).toBe(2);
    } finally {
      server.intercept = undefined;
    }
    server.intercept = (req, res) => {
      if (req.method !== "POST") return false;
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ kind: "Status", code: 500, reason: "InternalError", message: "boom" }));
      return true;
    };
    try {
      const before = server.requestsTo("POST", "/api/v1/namespaces/retry/").length;
      await expect(client.resource(pvcs).create({ ...pvc("r2"), metadata: { name: "r2", namespace: "retry" } })).rejects.toMatchObject({ code: 500 });
      expect(server.requestsTo("POST", "/api/v1/namespaces/retry/").length).toBe(before + 1);
    } finally {
      server.intercept = undefined;
    }
  });

  it("times out a request that gets no answer", async () => {
    server.intercept = () => true; // swallow: never respond
    try {
      const slow = createClient({ server: server.url, caData: server.caPem, token: "t0ken", timeoutMs: 200 });
      const err = await slow.resource(pvcs).get("default", "x").catch((e: unknown) => e);
      expect(err).toBeInstanceOf(NetworkError);
      expect(err).toMatchObject({ code: "ETIMEDOUT", retryable: true });
      slow.close();
    } finally {
      server.intercept = undefined;
    }
  });

  it("reports a refused connection as a retryable NetworkError", async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, "127.0.0.1", () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const dead = createClient({ server: `https://127.0.0.1:${port}`, maxRetries: 1 });
    const err = await dead.resource(pvcs).list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect(err).toMatchObject({ code: "ECONNREFUSED", retryable: true });
    dead.close();
  });

  it("fails TLS verification without the CA (not retryable) and passes with insecure-skip-tls-verify", async () => {
    const noCa = createClient({ server: server.url, token: "t0ken" });
    const err = await noCa.resource(pvcs).list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect((err as NetworkError).retryable).toBe(false);
    noCa.close();
    const insecure = createClient({ server: server.url, token: "t0ken", insecureSkipTlsVerify: true });
    await expect(insecure.resource(pvcs).list()).resolves.toHaveProperty("items");
    insecure.close();
  });
});

describe("watch", () => {
  it("streams events from a resourceVersion and ends quietly on cancel", async () => {
    const api = client.resource(pvcs);
    const start = await api.list("w");
    const watch = await api.watch("w", { resourceVersion: start.metadata.resourceVersion, allowWatchBookmarks: true });
    const wq = server.requestsTo("GET", "/api/v1/namespaces/w/persistentvolumeclaims").at(-1);
    expect(wq?.query.get("watch")).toBe("true");
    expect(wq?.query.get("allowWatchBookmarks")).toBe("true");
    expect(wq?.query.get("resourceVersion")).toBe(start.metadata.resourceVersion);
    await api.create({ ...pvc("w1"), metadata: { name: "w1", namespace: "w" } });
    await api.delete("w", "w1");
    const seen: string[] = [];
    for await (const ev of watch) {
      seen.push(`${ev.type}:${(ev.object as KubeObject).metadata.name}`);
      if (seen.length === 2) watch.cancel();
    }
    expect(seen).toEqual(["ADDED:w1", "DELETED:w1"]);
  });

  it("delivers a 410 ERROR event as an event, and an HTTP 410 as a StatusError", async () => {
    const api = client.resource(pvcs);
    await api.create({ ...pvc("g"), metadata: { name: "g", namespace: "gone" } });
    server.store.compact();
    const watch = await api.watch("gone", { resourceVersion: "1" });
    const events: WatchEvent[] = [];
    for await (const ev of watch) events.push(ev);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: "ERROR", object: { code: 410, reason: "Expired" } });

    const httpGone = await FakeApiServer.start({ resources: [pvcs], expiredWatchAs: "http" });
    const c2 = createClient({ server: httpGone.url });
    httpGone.seed(pvcs, pvc("x"));
    httpGone.store.compact();
    await expect(c2.resource(pvcs).watch("default", { resourceVersion: "1" })).rejects.toMatchObject({ code: 410, reason: "Expired" });
    c2.close();
    await httpGone.close();
  });

  it("throws a retryable NetworkError when the stream drops, and EWATCHIDLE when it goes silent", async () => {
    const api = client.resource(pvcs);
    const dropped = await api.watch("drop", { resourceVersion: String(server.store.rv) });
    const iterating = (async () => {
      for await (const _ of dropped) {
        /* nothing expected */
      }
    })();
    await waitUntil(() => server.watches.size > 0);
    server.dropWatches();
    const err = await iterating.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect((err as NetworkError).retryable).toBe(true);

    const silent = await api.watch("quiet", { resourceVersion: String(server.store.rv), idleTimeoutMs: 150 });
    const idleErr = await (async () => {
      for await (const _ of silent) {
        /* nothing expected */
      }
    })().catch((e: unknown) => e);
    expect(idleErr).toMatchObject({ name: "NetworkError", code: "EWATCHIDLE" });
  });

  it("rejects a malformed event as a protocol error", async () => {
    const api = client.resource(pvcs);
    const watch = await api.watch("bad", { resourceVersion: String(server.store.rv) });
    const iterating = (async () => {
      for await (const _ of watch) {
        /* nothing expected */
      }
    })();
    await waitUntil(() => server.watches.size > 0);
    server.sendRaw('{"type":"WHATEVER","object":{}}\n');
    await expect(iterating).rejects.toMatchObject({ code: "EPROTO" });
  });
});

describe("fetch transport", () => {
  it("runs the same client over an in-process fetch handler, including a streamed watch", async () => {
    const enc = new TextEncoder();
    const seen: Request[] = [];
    const handler = async (req: Request): Promise<Response> => {
      seen.push(req);
      const url = new URL(req.url);
      if (url.searchParams.get("watch") === "true") {
        const body = new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(enc.encode('{"type":"ADDED","object":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a","resourceVersion":"5"}}}\n{"type":"BOOK'));
            controller.enqueue(enc.encode('MARK","object":{"kind":"Pod","apiVersion":"v1","metadata":{"resourceVersion":"9"}}}\n'));
            controller.close();
          },
        });
        return new Response(body, { status: 200, headers: { "content-type": "application/json" } });
      }
      return new Response(JSON.stringify({ kind: "Status", apiVersion: "v1", status: "Failure", code: 404, reason: "NotFound", message: 'pods "x" not found', details: { name: "x", kind: "pods" } }), { status: 404 });
    };
    const c = createClient({ server: "http://in-process", transport: fetchTransport(handler), token: "abc" });
    await expect(c.resource(pods).get("default", "x")).rejects.toMatchObject({ code: 404, reason: "NotFound", message: 'pods "x" not found' });
    expect(seen[0].headers.get("authorization")).toBe("Bearer abc");
    const watch = await c.resource(pods).watch("default", { resourceVersion: "4" });
    const types: string[] = [];
    for await (const ev of watch) types.push(`${ev.type}@${ev.object.metadata.resourceVersion}`);
    expect(types).toEqual(["ADDED@5", "BOOKMARK@9"]);
  });
});

async function waitUntil(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!cond()) throw new Error("condition not reached");
}
