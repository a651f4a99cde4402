import { describe, expect, it } from "vitest";
import { compareResourceVersions, isNotNewer, isOlder, laterResourceVersion } from "./resource-version.js";

describe("resourceVersion ordering", () => {
  it("compares decimal versions numerically, beyond 2^53", () => {
    expect(compareResourceVersions("9", "10")).toBe(-1);
    expect(compareResourceVersions("10", "10")).toBe(0);
    expect(compareResourceVersions("18446744073709551615", "18446744073709551614")).toBe(1);
  });

  it("treats opaque or missing versions as incomparable", () => {
    expect(compareResourceVersions("abc", "10")).toBeUndefined();
    expect(compareResourceVersions(undefined, "10")).toBeUndefined();
    expect(compareResourceVersions("010", "10")).toBeUndefined();
    expect(isNotNewer("abc", "10")).toBe(false);
    expect(isOlder("abc", "10")).toBe(false);
  });

  it("keeps the later version", () => {
    expect(laterResourceVersion("10", "9")).toBe("10");
    expect(laterResourceVersion("10", "11")).toBe("11");
    expect(laterResourceVersion("10", undefined)).toBe("10");
    expect(laterResourceVersion("", "5")).toBe("5");
  });
});
