import { describe, it, expect } from "vitest";
import { contrastRatio, KNOWN_PHASES, PAGE_BACKGROUND, phaseStyle } from "./phase-style.js";

describe("phase styles", () => {
  it("cover every phase the issue names", () => {
    for (const p of ["Available", "Bound", "Released", "Failed", "Pending", "Lost"]) expect(KNOWN_PHASES).toContain(p);
  });

  it.each(KNOWN_PHASES)("%s: text reaches 4.5:1 on its badge and the border 3:1 on the page", (phase) => {
    const s = phaseStyle(phase);
    expect(contrastRatio(s.text, s.background)).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(s.text, PAGE_BACKGROUND)).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(s.border, PAGE_BACKGROUND)).toBeGreaterThanOrEqual(3);
  });

  it("gives each distinct phase a distinct label, and unknown phases their own name", () => {
    expect(new Set(KNOWN_PHASES.map((p) => phaseStyle(p).label)).size).toBe(KNOWN_PHASES.length);
    expect(phaseStyle("Terminated").label).toBe("Terminated");
  });

  it("computes WCAG contrast as the spec defines it", () => {
    expect(contrastRatio("#000000", "#ffffff")).toBeCloseTo(21, 5);
    expect(contrastRatio("#777777", "#ffffff")).toBeCloseTo(4.48, 2);
  });
});
