import { describe, expect, it } from "vitest";
import { knownVulnerabilities, parseRuncVersion } from "./runc-version.js";

const DEBIAN = "runc version 1.1.5+ds1\ncommit: 1.1.5+ds1-1+deb12u1\nspec: 1.0.2-dev\ngo: go1.19.8\nlibseccomp: 2.5.4\n";
const ids = (v: Parameters<typeof knownVulnerabilities>[0]) => knownVulnerabilities(v).map((x) => x.id);

describe("runc versions", () => {
  it("parses `runc --version`", () => {
    expect(parseRuncVersion(DEBIAN)).toEqual({ version: "1.1.5+ds1", commit: "1.1.5+ds1-1+deb12u1", major: 1, minor: 1, patch: 5 });
  });

  it("Debian bookworm's runc has the CVE-2024-21626 backport but not the November 2025 fixes", () => {
    expect(ids(DEBIAN)).toEqual(["CVE-2025-31133", "CVE-2025-52565", "CVE-2025-52881", "CVE-2026-41579"]);
    expect(ids("1.1.5")).toContain("CVE-2024-21626"); // upstream 1.1.5 without the backport
  });

  it.each([
    ["1.1.12", ["CVE-2025-31133", "CVE-2025-52565", "CVE-2025-52881", "CVE-2026-41579"]],
    ["1.2.7", ["CVE-2025-31133", "CVE-2025-52565", "CVE-2025-52881", "CVE-2026-41579"]],
    ["1.2.8", ["CVE-2026-41579"]],
    ["1.3.3", ["CVE-2026-41579"]],
    ["1.3.6", []],
    ["1.4.1", []],
    ["1.5.0", []],
  ])("runc %s -> %j", (v, expected) => {
    expect(ids(v)).toEqual(expected);
  });
});
