import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { KubeObject } from "../api/types.js";
import { KubeconfigError, NetworkError, SERVERS_EXTENSION, createClient, loadKubeconfig, resolveKubeconfig, type KubeClient, type ResourceRef } from "./index.js";
import { FakeApiServer } from "./testing/fake-apiserver.js";

const cms: ResourceRef = { group: "", version: "v1", kind: "ConfigMap", plural: "configmaps", namespaced: true };
const cm = (name: string): KubeObject => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: "default" } });

function kubeconfig(cluster: Record<string, unknown>): unknown {
  return {
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "c", cluster }],
    users: [{ name: "u", user: { token: "t" } }],
    contexts: [{ name: "c", context: { cluster: "c", user: "u" } }],
    "current-context": "c",
  };
}

/** A loopback port nobody listens on. */
async function deadUrl(): Promise<string> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return `http://127.0.0.1:${port}`;
}

describe("kubeconfig: several API servers", () => {
  it("reads the servers extension, keeping `server` first and dropping duplicates", () => {
    const cfg = resolveKubeconfig(
      kubeconfig({ server: "https://b:6443", extensions: [{ name: "other", extension: {} }, { name: SERVERS_EXTENSION, extension: { servers: ["https://a:6443/", "https://b:6443", "https://c:6443"] } }] }),
      "/",
    );
    expect(cfg.server).toBe("https://b:6443");
    expect(cfg.servers).toEqual(["https://b:6443", "https://a:6443", "https://c:6443"]);
  });

  it("leaves servers unset without the extension (one server, as before)", () => {
    expect(resolveKubeconfig(kubeconfig({ server: "https://a:6443", extensions: [{ name: "x", extension: { y: 1 } }] }), "/").servers).toBeUndefined();
    expect(resolveKubeconfig(kubeconfig({ server: "https://a:6443" }), "/").servers).toBeUndefined();
  });

  it("refuses a malformed extension by name", () => {
    const bad = (extension: unknown) => () => resolveKubeconfig(kubeconfig({ server: "https://a:6443", extensions: [{ name: SERVERS_EXTENSION, extension }] }), "/");
    expect(bad({ servers: [] })).toThrow(KubeconfigError);
    expect(bad({ servers: ["ftp://x"] })).toThrow(/http\(s\)/);
    expect(bad({ servers: ["not a url"] })).toThrow(/not a URL/);
    expect(bad({ servers: [7] })).toThrow(/strings/);
    expect(() => resolveKubeconfig(kubeconfig({ server: "https://a:6443", extensions: { name: SERVERS_EXTENSION } }), "/")).toThrow(/must be a list/);
  });

  it("loads it from a YAML file as kubectl writes extensions", () => {
    const dir = mkdtempSync(join(tmpdir(), "cistern-kc-"));
    try {
      const file = join(dir, "config");
      writeFileSync(
        file,
        [
          "apiVersion: v1",
          "kind: Config",
          "clusters:",
          "- name: c",
          "  cluster:",
          "    server: https://10.0.0.1:6443",
          "    extensions:",
          `    - name: ${SERVERS_EXTENSION}`,
          "      extension:",
          "        servers:",
          "        - https://10.0.0.1:6443",
          "        - https://10.0.0.2:6443",
          "users: [{name: u, user: {token: t}}]",
          "contexts: [{name: c, context: {cluster: c, user: u}}]",
          "current-context: c",
        ].join("\n"),
      );
      expect(loadKubeconfig(file).servers).toEqual(["https://10.0.0.1:6443", "https://10.0.0.2:6443"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("failover between servers", () => {
  let fakes: FakeApiServer[] = [];
  let clients: KubeClient[] = [];
  afterEach(async () => {
    for (const c of clients) c.close();
    await Promise.all(fakes.map((f) => f.close()));
    fakes = [];
    clients = [];
  });

  async function setup(n: number) {
    for (let i = 0; i < n; i++) fakes.push(await FakeApiServer.start({ resources: [cms] }));
    return fakes;
  }

  function client(server: string, servers: string[]): KubeClient {
    const c = createClient({ server, servers, timeoutMs: 3000, maxRetries: 3 });
    clients.push(c);
    return c;
  }

  it("sends a GET to the next server when the current one refuses connections, and stays there", async () => {
    const [b] = await setup(1);
    const dead = await deadUrl();
    b.seed(cms, cm("x"));
    const c = client(dead, [dead, b.url]);
    const got = await c.resource(cms).get("default", "x");
    expect(got.metadata.name).toBe("x");
    expect(c.http.server).toBe(b.url);
    await c.resource(cms).get("default", "x");
    expect(b.requestsTo("GET", "/api/v1/namespaces/default/configmaps/x")).toHaveLength(2);
  });

  it("retries a create on the next server only when the first refused the connection (nothing was sent)", async () => {
    const [b] = await setup(1);
    const dead = await deadUrl();
    const c = client(dead, [dead, b.url]);
    await c.resource(cms).create(cm("made"));
    expect(b.requestsTo("POST", "/api/v1/namespaces/default/configmaps")).toHaveLength(1);
  });

  it("never replays a write that reached a server, but sends the next request elsewhere", async () => {
    const [a, b] = await setup(2);
    a.intercept = (req, res) => {
      if (req.method !== "POST") return false;
      res.socket?.destroy();
      return true;
    };
    const c = client(a.url, [a.url, b.url]);
    const err = await c.resource(cms).create(cm("once")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect(a.requestsTo("POST", "/api/v1/namespaces/default/configmaps")).toHaveLength(1);
    expect(b.requestsTo("POST", "/api/v1/namespaces/default/configmaps")).toHaveLength(0);
    await c.resource(cms).create(cm("twice"));
    expect(b.requestsTo("POST", "/api/v1/namespaces/default/configmaps")).toHaveLength(1);
  });

  it("moves on after a 503, and not after a 404", async () => {
    const [a, b] = await setup(2);
    const c = client(a.url, [a.url, b.url]);
    await expect(c.resource(cms).get("default", "missing")).rejects.toMatchObject({ code: 404 });
    expect(c.http.server).toBe(a.url);
    a.intercept = (_req, res) => {
      res.writeHead(503, { "content-type": "application/json" });
      res.end(JSON.stringify({ kind: "Status", apiVersion: "v1", status: "Failure", reason: "ServiceUnavailable", code: 503 }));
      return true;
    };
    b.seed(cms, cm("y"));
    expect((await c.resource(cms).get("default", "y")).metadata.name).toBe("y");
    expect(c.http.server).toBe(b.url);
  });

  it("moves a watch to the next server when its stream is cut", async () => {
    const [a, b] = await setup(2);
    const c = client(a.url, [a.url, b.url]);
    const w = await c.resource(cms).watch("default", { resourceVersion: "0" });
    const iterating = (async () => {
      for await (const _e of w) void _e;
    })().catch((e: unknown) => e);
    for (let i = 0; i < 100 && a.watches.size === 0; i++) await new Promise((r) => setTimeout(r, 10));
    a.dropWatches();
    expect(await iterating).toBeInstanceOf(NetworkError);
    expect(c.http.server).toBe(b.url);
  });

  it("with one server, keeps using it after a failure", async () => {
    const dead = await deadUrl();
    const c = client(dead, [dead]);
    await expect(c.resource(cms).get("default", "x")).rejects.toBeInstanceOf(NetworkError);
    expect(c.http.server).toBe(dead);
  });
});
