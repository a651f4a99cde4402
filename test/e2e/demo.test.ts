/**
 * `cistern demo` end to end: the guide's whole use case against a real Cistern (real kubectl,
 * runc, EFS service and CSI driver); the summary must report every check as passed.
 */
import { describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CISTERN_BIN, run } from "./support/cistern-process.js";

describe("cistern demo", () => {
  it("runs the guide's use case and every check passes", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "cistern-demo-"));
    const home = mkdtempSync(join(tmpdir(), "cistern-home-"));
    try {
      const r = await run(process.execPath, [CISTERN_BIN, "demo", "--data-dir", dataDir], { env: { ...process.env, HOME: home }, timeoutMs: 300_000 });
      expect(r.code, r.stdout + r.stderr).toBe(0);
      for (const check of [
        "guide manifests applied",
        "efs-pvc Bound to efs-pv (100Gi)",
        "Hello from EFS on the file system",
        "data survives pod re-creation",
        "Retain: PV Released, data kept",
        "Delete: PV, access point and folder removed",
        "EFS usage metered",
      ]) {
        expect(r.stdout).toMatch(new RegExp(`${check.replace(/[()]/g, "\\$&")}\\s+ok`));
      }
      expect(r.stdout).toContain("All 7 checks passed.");
      expect(r.stdout).toContain("$ kubectl apply -f");
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(home, { recursive: true, force: true });
    }
  });
});
