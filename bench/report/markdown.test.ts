import { describe, it, expect } from "vitest";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BenchRun } from "../core/run.js";
import { updateBenchmarksMd } from "./markdown.js";

const run: BenchRun = {
  startedAt: "2026-11-24T18:00:00.000Z",
  command: "npm run bench",
  options: { quick: false },
  machine: { cpuModel: "CPU", cores: 2, memoryGiB: 4, kernel: "6", node: "v20", disk: "/dev/x ext4", gitCommit: "abc", gitDirty: false, virtualization: "kvm" },
  durationMs: 1000,
  results: [{ name: "api", title: "API", durationMs: 10, figures: [{ id: "api.get", label: "GET | one", unit: "ms", median: 0.2, p99: 1.5 }] }],
};

describe("updateBenchmarksMd", () => {
  it("replaces only the text between the markers and escapes table pipes", () => {
    const dir = mkdtempSync(join(tmpdir(), "bench-md-"));
    try {
      const path = join(dir, "BENCHMARKS.md");
      writeFileSync(path, "# B\n\nprose before\n\n<!-- bench:generated:begin -->\nold\n<!-- bench:generated:end -->\n\nprose after\n");
      updateBenchmarksMd(path, run, "bench/results/x.json");
      const text = readFileSync(path, "utf8");
      expect(text).toContain("prose before");
      expect(text).toContain("prose after");
      expect(text).not.toContain("\nold\n");
      expect(text).toContain("| API server | GET p99 ≤ 2 ms | 1.5 ms (p99; GET \\| one) | **met** |");
      expect(text).toContain("| GET \\| one | 0.2 ms | 1.5 ms |");
      updateBenchmarksMd(path, run, "bench/results/x.json");
      expect(readFileSync(path, "utf8")).toBe(text);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
