import { describe, it, expect } from "vitest";
import type { ScenarioResult } from "../core/result.js";
import { evaluateTargets, TARGETS } from "./targets.js";

const result = (figures: ScenarioResult["figures"]): ScenarioResult[] => [{ name: "x", title: "x", figures, durationMs: 1 }];

describe("evaluateTargets", () => {
  it("reads the named statistic and applies the comparison", () => {
    const v = evaluateTargets(result([{ id: "api.get", label: "GET", unit: "ms", median: 0.2, p99: 2.5 }]));
    const get = v.find((x) => x.target.figure === "api.get")!;
    expect(get).toMatchObject({ status: "not met", measured: 2.5 });
    const ok = evaluateTargets(result([{ id: "api.get", label: "GET", unit: "ms", median: 0.2, p99: 2 }])).find((x) => x.target.figure === "api.get")!;
    expect(ok.status).toBe("met");
  });
  it("handles >= targets and ratios", () => {
    const v = evaluateTargets(result([{ id: "datapath.seqWrite", label: "w", unit: "MiB/s", value: 500, ratio: 0.89 }]));
    expect(v.find((x) => x.target.figure === "datapath.seqWrite")!.status).toBe("not met");
  });
  it("never calls a target met without its figure", () => {
    const v = evaluateTargets([]);
    expect(v).toHaveLength(TARGETS.length);
    expect(v.every((x) => x.status === "not measured")).toBe(true);
  });
  it("names every target's figure once", () => {
    expect(new Set(TARGETS.map((t) => t.figure)).size).toBe(TARGETS.length);
  });
});
