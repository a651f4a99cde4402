/**
 * The documents as the real kubectl reads them: discovery, `kubectl explain` over every kind
 * (recursively, so every $ref must resolve) and the fieldValidation handshake of `create`.
 * Requires kubectl on PATH (as CI provides); the test fails, never skips, without it.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDiscoveryServer } from "../testing/discovery-server.js";
import { resources } from "../registry.js";

let server: { url: string; close(): Promise<void> };
let dir: string;

function kubectl(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      "kubectl",
      ["--kubeconfig", join(dir, "kubeconfig"), "--cache-dir", join(dir, "cache"), ...args],
      { env: { ...process.env, HOME: dir }, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr }),
    );
  });
}

beforeAll(async () => {
  server = await startDiscoveryServer();
  dir = mkdtempSync(join(tmpdir(), "cistern-api-kubectl-"));
  writeFileSync(
    join(dir, "kubeconfig"),
    `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "${server.url}"}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: x, context: {cluster: c, user: u, namespace: default}}]\ncurrent-context: x\n`,
  );
});

afterAll(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("real kubectl against our discovery and OpenAPI", () => {
  it("api-resources lists every kind with its short names", async () => {
    const { code, out } = await kubectl(["api-resources", "--no-headers"]);
    expect(code).toBe(0);
    expect(out).toMatch(/^persistentvolumeclaims\s+pvc\s+v1\s+true\s+PersistentVolumeClaim$/m);
    expect(out).toMatch(/^storageclasses\s+sc\s+storage\.k8s\.io\/v1\s+false\s+StorageClass$/m);
    expect(out.trim().split("\n")).toHaveLength(resources.length);
  });

  it("explains every kind recursively", async () => {
    for (const r of resources) {
      const { code, out } = await kubectl(["explain", r.plural, "--recursive"]);
      expect(code, `${r.plural}: ${out}`).toBe(0);
      expect(out).toContain(`KIND:       ${r.kind}`);
    }
  });

  it("shows our descriptions and required markers", async () => {
    const { code, out } = await kubectl(["explain", "pv.spec.csi"]);
    expect(code).toBe(0);
    expect(out).toContain("A volume managed by an external CSI driver.");
    expect(out).toMatch(/volumeHandle\s+<string> -required-/);
    const res = await kubectl(["explain", "pvc.spec.resources.requests"]);
    expect(res.out).toContain("<map[string]Quantity>");
  });

  it("sees server-side field validation support (sends fieldValidation=Strict, no client fallback)", async () => {
    writeFileSync(join(dir, "pvc.yaml"), "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: x}\nspec: {accessModes: [ReadWriteMany], resources: {requests: {storage: 1Gi}}, bogus: 1}\n");
    const { out } = await kubectl(["create", "-f", join(dir, "pvc.yaml"), "--dry-run=server", "--validate=strict", "-v=6"]);
    expect(out).toMatch(/POST .*\/api\/v1\/namespaces\/default\/persistentvolumeclaims\?.*fieldValidation=Strict/);
    expect(out).not.toMatch(/failed to download openapi/);
  });
});
