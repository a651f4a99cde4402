import { describe, it, expect, beforeAll, afterAll } from "vitest";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Sha256 } from "@aws-crypto/sha256-js";
import { SignatureV4 } from "@smithy/signature-v4";
import { startEfsService, type EfsService } from "../../efs/index.js";
import { createLogger } from "../../lib/log.js";
import { createDashboardHandler, type DashboardHandler } from "./handler.js";
import type { ExplainKind } from "./explain-route.js";
import type { UsageHistory } from "../model/usage-types.js";

const TOKEN = "good-token";
const VIEWER_TOKEN = "viewer-token";
const METRICS_TOKEN = "metrics-token";

let dir: string;
let efs: EfsService;
let dash: DashboardHandler;
let server: http.Server;
let base: string;
const explained: [ExplainKind, string | undefined, string][] = [];

/** POST to the EFS mount extension, signed as a mount client would sign it. */
async function efsPost(path: string, body: unknown): Promise<any> {
  const url = new URL(path, efs.url);
  const text = JSON.stringify(body);
  const signer = new SignatureV4({ credentials: efs.credentials, region: efs.region, service: "elasticfilesystem", sha256: Sha256 });
  const signed = await signer.sign({ method: "POST", protocol: "http:", hostname: url.hostname, port: Number(url.port), path: url.pathname, query: {}, headers: { host: url.host, "content-type": "application/json" }, body: text });
  const res = await fetch(url, { method: "POST", headers: signed.headers as Record<string, string>, body: text });
  expect(res.status).toBe(200);
  return res.json();
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "dashboard-handler-"));
  const assets = join(dir, "assets-root");
  mkdirSync(join(assets, "assets"), { recursive: true });
  writeFileSync(join(assets, "index.html"), "<!doctype html><title>Cistern</title>");
  writeFileSync(join(assets, "assets", "app-1234.js"), "console.log(1)");
  writeFileSync(join(assets, ".hidden"), "secret");
  writeFileSync(join(dir, "outside.txt"), "outside");
  symlinkSync(join(dir, "outside.txt"), join(assets, "link.txt"));
  symlinkSync(dir, join(assets, "linkdir"));
  efs = await startEfsService({
    dataDir: join(dir, "efs"), host: "127.0.0.1", port: 0, region: "us-east-1", accountId: "123456789012",
    preCreateFileSystemIds: ["fs-12345678"], log: createLogger("efs-test"), meteringIntervalMs: 60_000,
    metricsAuthorizer: (req) => req.headers.authorization === `Bearer ${METRICS_TOKEN}`,
  });
  dash = createDashboardHandler({
    efs: { endpoint: efs.url, region: efs.region, credentials: efs.credentials, metricsAuthorization: `Bearer ${METRICS_TOKEN}` },
    explain: async (kind, ns, name) => {
      explained.push([kind, ns, name]);
      if (name === "boom") throw new Error("API server unreachable");
      return { found: name !== "nope", summary: `${name} is fine`, text: `${kind} ${name}\n  all good\n` };
    },
    assetsDir: assets,
    sampleIntervalMs: 50,
  });
  // Stands in for the API server: authenticates, then tries the dashboard before its own routes.
  server = http.createServer((req, res) => {
    const auth = req.headers.authorization;
    const user = auth === `Bearer ${TOKEN}` ? { name: "admin", groups: ["system:masters", "system:authenticated"] } : auth === `Bearer ${VIEWER_TOKEN}` ? { name: "viewer", groups: ["system:authenticated"] } : undefined;
    void dash(req, res, user).then((handled) => {
      if (!handled) {
        res.writeHead(418);
        res.end();
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  dash?.close();
  await new Promise<void>((r) => server?.close(() => r()));
  await efs?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A GET with the path sent exactly as written (fetch would normalise "%2e%2e" away). */
function rawGet(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(base + "/", { path, method: "GET" }, (res) => {
      let body = "";
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

const get = (path: string, token?: string, init: RequestInit = {}) =>
  fetch(base + path, { ...init, redirect: "manual", headers: token ? { authorization: `Bearer ${token}` } : {} });

describe("dashboard routes", () => {
  it("leaves paths outside /ui to the API server", async () => {
    expect((await get("/api/v1/pods", TOKEN)).status).toBe(418);
    expect((await get("/uix", TOKEN)).status).toBe(418);
  });

  it("redirects /ui to /ui/ and serves the page without a token, with security headers", async () => {
    const r = await get("/ui");
    expect(r.status).toBe(301);
    expect(r.headers.get("location")).toBe("/ui/");
    const page = await get("/ui/");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(page.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect(page.headers.get("cache-control")).toBe("no-cache");
    expect(await page.text()).toContain("<title>Cistern</title>");
    const asset = await get("/ui/assets/app-1234.js");
    expect(asset.headers.get("content-type")).toContain("text/javascript");
    expect(asset.headers.get("cache-control")).toContain("immutable");
  });

  it("never serves dot files, symlinks or anything outside the built files", async () => {
    for (const p of ["/ui/.hidden", "/ui/link.txt", "/ui/linkdir/outside.txt", "/ui/../outside.txt", "/ui/assets/../../outside.txt", "/ui/%2e%2e/outside.txt", "/ui/assets/..%2f..%2foutside.txt", "/ui/%ff"]) {
      const r = await rawGet(p);
      // "/ui/../x" normalises to "/x", which is the API server's (418 here), never a file.
      expect([400, 404, 418], p).toContain(r.status);
      expect(r.body, p).not.toContain("outside");
    }
  });

  it("refuses writes", async () => {
    expect((await get("/ui/", TOKEN, { method: "POST" })).status).toBe(405);
  });

  it("requires a valid token for /ui/api/", async () => {
    for (const p of ["/ui/api/whoami", "/ui/api/efs/usage", "/ui/api/efs/history", "/ui/api/explain/pv/efs-pv"]) {
      const r = await get(p, "wrong");
      expect(r.status, p).toBe(401);
      expect(await r.json()).toMatchObject({ kind: "Status", reason: "Unauthorized", code: 401 });
    }
    expect(await (await get("/ui/api/whoami", TOKEN)).json()).toEqual({ user: "admin" });
    expect((await get("/ui/api/nothing", TOKEN)).status).toBe(404);
  });

  it("shows what it reads with the cluster's credentials only to system:masters by default", async () => {
    expect(await (await get("/ui/api/whoami", VIEWER_TOKEN)).json()).toEqual({ user: "viewer" });
    for (const p of ["/ui/api/efs/usage", "/ui/api/efs/history", "/ui/api/explain/pvc/default/efs-pvc"]) {
      const r = await get(p, VIEWER_TOKEN);
      expect(r.status, p).toBe(403);
      expect(await r.json()).toMatchObject({ reason: "Forbidden", message: expect.stringContaining('User "viewer"') });
    }
    expect(explained).toEqual([]);
  });

  it("serves the EFS usage report read with signed requests", async () => {
    const r = await get("/ui/api/efs/usage", TOKEN);
    expect(r.status).toBe(200);
    const report = (await r.json()) as { fileSystems: { fileSystemId: string }[] };
    expect(report.fileSystems.map((f: { fileSystemId: string }) => f.fileSystemId)).toContain("fs-12345678");
  });

  it("samples I/O counters through the token-guarded /metrics into the history", async () => {
    const mount = await efsPost("/cistern/v1/mounts", { FileSystemId: "fs-12345678", SecureTransport: true });
    await efsPost(`/cistern/v1/mounts/${mount.MountId}/io`, { DataReadIOBytes: 300, DataWriteIOBytes: 1200, MetadataIOBytes: 4, DataReadOps: 1, DataWriteOps: 2, MetadataOps: 1 });
    // The sampler runs every 50 ms here: wait for a sample taken after the report.
    const fetchHistory = async () => (await (await get("/ui/api/efs/history", TOKEN)).json()) as UsageHistory;
    const reported = (h: UsageHistory) => h.samples.some((x) => (x.fileSystems["fs-12345678"]?.io?.readBytes ?? 0) >= 300);
    let history = await fetchHistory();
    while (!reported(history)) {
      await new Promise((r) => setTimeout(r, 20));
      history = await fetchHistory();
    }
    const last = history.samples[history.samples.length - 1];
    expect(last.fileSystems["fs-12345678"]).toMatchObject({ size: expect.any(Number), connections: 1 });
    expect(last.fileSystems["fs-12345678"].io).toMatchObject({ readBytes: 300, writeBytes: 1200, metadataBytes: 4, readOps: 1, writeOps: 2, metadataOps: 1 });
    expect(history.intervalMs).toBe(50);
    expect(history.capacity).toBe(360);
    expect(history.lastError).toBeUndefined();
    const newer = (await (await get(`/ui/api/efs/history?since=${last.t}`, TOKEN)).json()) as UsageHistory;
    expect(newer.samples.every((x) => x.t > last.t)).toBe(true);
    expect((await get("/ui/api/efs/history?since=abc", TOKEN)).status).toBe(400);
  });

  it("answers explain for pv, pvc and pod, and refuses malformed targets", async () => {
    const pv = await (await get("/ui/api/explain/pv/efs-pv", TOKEN)).json();
    expect(pv).toEqual({ found: true, summary: "efs-pv is fine", text: "pv efs-pv\n  all good\n" });
    expect((await get("/ui/api/explain/pvc/default/efs-pvc", TOKEN)).status).toBe(200);
    expect((await get("/ui/api/explain/pod/default/app-pod", TOKEN)).status).toBe(200);
    expect(explained).toEqual([["pv", undefined, "efs-pv"], ["pvc", "default", "efs-pvc"], ["pod", "default", "app-pod"]]);
    for (const p of ["/ui/api/explain/pvc/efs-pvc", "/ui/api/explain/pv/Bad_Name", "/ui/api/explain/secret/default/x", "/ui/api/explain/pod/-ns/x"]) {
      expect((await get(p, TOKEN)).status, p).toBe(400);
    }
    const failed = await get("/ui/api/explain/pv/boom", TOKEN);
    expect(failed.status).toBe(500);
    expect(((await failed.json()) as { message: string }).message).toContain("API server unreachable");
  });
});

describe("a custom authorize", () => {
  it("is asked with what the request would show", async () => {
    const asked: unknown[] = [];
    const custom = createDashboardHandler({
      assetsDir: join(dir, "not-built"),
      explain: async () => ({ found: true, summary: "s", text: "t" }),
      authorize: (user, access) => (asked.push([user.name, access]), access.what === "explain" && access.namespace === "team-a"),
    });
    const s = http.createServer((req, res) => void custom(req, res, { name: "alice" }));
    await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
    try {
      expect((await fetch(`${url}/ui/api/explain/pvc/team-a/data`)).status).toBe(200);
      expect((await fetch(`${url}/ui/api/explain/pvc/team-b/data`)).status).toBe(403);
      expect((await fetch(`${url}/ui/api/efs/usage`)).status).toBe(403);
      expect(asked).toEqual([
        ["alice", { what: "explain", kind: "pvc", namespace: "team-a", name: "data" }],
        ["alice", { what: "explain", kind: "pvc", namespace: "team-b", name: "data" }],
        ["alice", { what: "efs-usage" }],
      ]);
    } finally {
      custom.close();
      await new Promise<void>((r) => s.close(() => r()));
    }
  });
});

describe("dashboard without EFS, explain or a build", () => {
  it("says what is missing instead of failing obscurely", async () => {
    const bare = createDashboardHandler({ assetsDir: join(dir, "not-built") });
    const s = http.createServer((req, res) => void bare(req, res, { name: "admin", groups: ["system:masters"] }));
    await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
    try {
      expect((await fetch(`${url}/ui/api/efs/usage`)).status).toBe(503);
      expect((await fetch(`${url}/ui/api/explain/pv/x`)).status).toBe(501);
      const page = await fetch(`${url}/ui/`);
      expect(page.status).toBe(503);
      expect(await page.text()).toContain("npm run build:dashboard");
    } finally {
      bare.close();
      await new Promise<void>((r) => s.close(() => r()));
    }
  });
});
