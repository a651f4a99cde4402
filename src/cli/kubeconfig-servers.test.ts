import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadKubeconfig } from "../client/index.js";
import { addServerToKubeconfig } from "./kubeconfig-servers.js";
import { parseDuration } from "./options.js";

const CA = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});
function file(): string {
  const d = mkdtempSync(join(tmpdir(), "cistern-kcs-"));
  dirs.push(d);
  return join(d, "kubeconfig");
}

describe("addServerToKubeconfig (several API servers, one --kubeconfig-out)", () => {
  it("lists every server of the same cluster, the first one staying kubectl's server", async () => {
    const f = file();
    await addServerToKubeconfig(f, { server: "https://a:6443", caPem: CA, token: "t" });
    expect(loadKubeconfig(f).servers).toBeUndefined();
    await addServerToKubeconfig(f, { server: "https://b:6443", caPem: CA, token: "t" });
    await addServerToKubeconfig(f, { server: "https://a:6443", caPem: CA, token: "t" });
    const cfg = loadKubeconfig(f);
    expect(cfg.server).toBe("https://a:6443");
    expect(cfg.servers).toEqual(["https://a:6443", "https://b:6443"]);
    expect(cfg.token).toBe("t");
  });

  it("replaces a file that belongs to another cluster (other CA or token) instead of merging", async () => {
    const f = file();
    await addServerToKubeconfig(f, { server: "https://old:6443", caPem: CA, token: "old" });
    await addServerToKubeconfig(f, { server: "https://new:6443", caPem: CA, token: "new" });
    expect(loadKubeconfig(f)).toMatchObject({ server: "https://new:6443", token: "new" });
    expect(loadKubeconfig(f).servers).toBeUndefined();
  });

  it("keeps every server when many add themselves in turn", async () => {
    const f = file();
    const urls = Array.from({ length: 8 }, (_, i) => `https://s${i}:6443`);
    await Promise.all(urls.map((server) => addServerToKubeconfig(f, { server, caPem: CA, token: "t" })));
    expect([...(loadKubeconfig(f).servers ?? [])].sort()).toEqual([...urls].sort());
    expect(readFileSync(f, "utf8")).toContain("servers.cistern.io");
  });
});

describe("parseDuration (kube-style flags)", () => {
  it("reads Go-style durations", () => {
    expect(parseDuration("--x", "15s")).toBe(15_000);
    expect(parseDuration("--x", "1500ms")).toBe(1_500);
    expect(parseDuration("--x", "1m30s")).toBe(90_000);
    expect(parseDuration("--x", "2.5s")).toBe(2_500);
  });

  it("refuses anything else, naming the flag", () => {
    for (const bad of ["15", "s", "-1s", "1d", "15 s", ""]) expect(() => parseDuration("--leader-elect-lease-duration", bad)).toThrow(/--leader-elect-lease-duration/);
  });
});
