/**
 * A throwaway HTTP server answering just what `kubectl explain` and `kubectl api-resources`
 * read (/version, legacy discovery, /openapi/v3…), from this module's traits and documents.
 * Test-only: the real API server lives in src/apiserver.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { resources } from "../registry.js";
import { openApiV3Document, openApiV3Root } from "../openapi/documents.js";

function body(path: string): unknown {
  if (path === "/version") return { major: "1", minor: "32", gitVersion: "v1.32.0", gitCommit: "cistern", gitTreeState: "clean", buildDate: "2025-01-01T00:00:00Z", goVersion: "go1.23", compiler: "gc", platform: "linux/amd64" };
  if (path === "/api") return { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: "127.0.0.1" }] };
  if (path === "/apis") {
    const groups = [...new Set(resources.filter((r) => r.group).map((r) => r.group))].map((g) => ({
      name: g,
      versions: [{ groupVersion: `${g}/v1`, version: "v1" }],
      preferredVersion: { groupVersion: `${g}/v1`, version: "v1" },
    }));
    return { kind: "APIGroupList", apiVersion: "v1", groups };
  }
  const gv = /^\/(?:api\/v1|apis\/([^/]+)\/v1)$/.exec(path);
  if (gv) {
    const group = gv[1] ?? "";
    const list = resources
      .filter((r) => r.group === group)
      .map((r) => ({ name: r.plural, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: r.verbs, shortNames: r.shortNames, categories: r.categories }));
    return { kind: "APIResourceList", apiVersion: "v1", groupVersion: group ? `${group}/v1` : "v1", resources: list };
  }
  if (path === "/openapi/v3") return openApiV3Root();
  const doc = /^\/openapi\/v3\/(?:api\/v1|apis\/([^/]+)\/v1)$/.exec(path);
  if (doc) return openApiV3Document(doc[1] ?? "", "v1");
  return undefined;
}

export async function startDiscoveryServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const b = body(new URL(req.url ?? "/", "http://x").pathname);
    res.writeHead(b === undefined ? 404 : 200, { "Content-Type": "application/json" });
    res.end(JSON.stringify(b ?? { kind: "Status", apiVersion: "v1", status: "Failure", reason: "NotFound", code: 404 }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
