import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { KubeconfigError, loadKubeconfig, resolveKubeconfig } from "./kubeconfig.js";

const dir = mkdtempSync(join(tmpdir(), "cistern-kubeconfig-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CA = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

function doc(overrides: { cluster?: Record<string, unknown>; user?: Record<string, unknown>; context?: Record<string, unknown> } = {}) {
  return {
    apiVersion: "v1",
    kind: "Config",
    "current-context": "main",
    clusters: [
      { name: "local", cluster: { server: "https://127.0.0.1:6443/", ...overrides.cluster } },
      { name: "other", cluster: { server: "https://10.0.0.1:443" } },
    ],
    users: [{ name: "admin", user: { token: "secret", ...overrides.user } }],
    contexts: [
      { name: "main", context: { cluster: "local", user: "admin", namespace: "team-a", ...overrides.context } },
      { name: "alt", context: { cluster: "other", user: "admin" } },
    ],
  };
}

describe("loadKubeconfig", () => {
  it("resolves current-context, server, inline CA data and token", () => {
    const path = join(dir, "inline.yaml");
    writeFileSync(path, stringify(doc({ cluster: { "certificate-authority-data": Buffer.from(CA).toString("base64") } })));
    const cfg = loadKubeconfig(path);
    expect(cfg).toEqual({ server: "https://127.0.0.1:6443", caData: CA, token: "secret", namespace: "team-a" });
  });

  it("reads a CA file and a token file relative to the kubeconfig's directory", () => {
    writeFileSync(join(dir, "ca.crt"), CA);
    writeFileSync(join(dir, "token"), "from-file\n");
    const path = join(dir, "files.yaml");
    writeFileSync(path, stringify(doc({ cluster: { "certificate-authority": "ca.crt" }, user: { token: undefined, tokenFile: "token" } })));
    const cfg = loadKubeconfig(path);
    expect(cfg.caData).toBe(CA);
    expect(cfg.token).toBe("from-file");
  });

  it("honours insecure-skip-tls-verify, tls-server-name and a named context", () => {
    const path = join(dir, "insecure.yaml");
    writeFileSync(path, stringify(doc({ cluster: { "insecure-skip-tls-verify": true, "tls-server-name": "apiserver.local" } })));
    expect(loadKubeconfig(path)).toMatchObject({ insecureSkipTlsVerify: true, tlsServerName: "apiserver.local" });
    expect(loadKubeconfig(path, { context: "alt" })).toEqual({ server: "https://10.0.0.1:443", token: "secret" });
  });

  it("names what is missing or unsupported", () => {
    expect(() => resolveKubeconfig({ ...doc(), "current-context": "" }, dir)).toThrow(/no current-context/);
    expect(() => resolveKubeconfig(doc(), dir, "nope")).toThrow(/context "nope" not found/);
    expect(() => resolveKubeconfig(doc({ context: { cluster: "gone" } }), dir)).toThrow(/cluster "gone" not found/);
    expect(() => resolveKubeconfig(doc({ cluster: { server: "ftp://x" } }), dir)).toThrow(/http\(s\)/);
    expect(() => resolveKubeconfig(doc({ user: { exec: { command: "aws" } } }), dir)).toThrow(/exec is not supported/);
    expect(() => resolveKubeconfig(doc({ cluster: { "certificate-authority": "missing.crt" } }), dir)).toThrow(KubeconfigError);
    expect(() => loadKubeconfig(join(dir, "does-not-exist"))).toThrow(/cannot read kubeconfig/);
  });
});
