import { describe, it, expect } from "vitest";
import { isConfigMapKey, isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue, isValidPathSegmentName, nameIsDNSSubdomain, regexError } from "./names.js";

describe("upstream name rules and messages", () => {
  it("DNS-1123 labels", () => {
    expect(isDNS1123Label("efs-vol")).toEqual([]);
    expect(isDNS1123Label("a".repeat(64))).toEqual(["must be no more than 63 characters"]);
    expect(isDNS1123Label("Data")).toEqual([
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    ]);
  });
  it("DNS-1123 subdomains", () => {
    expect(isDNS1123Subdomain("efs.csi.aws.com")).toEqual([]);
    expect(isDNS1123Subdomain("a..b")).toHaveLength(1);
    expect(isDNS1123Subdomain("x".repeat(254))[0]).toBe("must be no more than 253 characters");
  });
  it("qualified names with prefixes", () => {
    expect(isQualifiedName("kubernetes.io/pvc-protection")).toEqual([]);
    expect(isQualifiedName("/x")).toEqual(["prefix part must be non-empty"]);
    expect(isQualifiedName("a/b/c")[0]).toMatch(/^a qualified name must consist of .* with an optional DNS subdomain prefix and '\/' \(e\.g\. 'example\.com\/MyName'\)$/);
    expect(isQualifiedName("Example.COM/x")[0]).toMatch(/^prefix part a lowercase RFC 1123 subdomain/);
    expect(isQualifiedName("x".repeat(64))).toContain("name part must be no more than 63 characters");
  });
  it("label values may be empty", () => {
    expect(isValidLabelValue("")).toEqual([]);
    expect(isValidLabelValue("-x")).toHaveLength(1);
  });
  it("path segments, config keys", () => {
    expect(isValidPathSegmentName("..")).toEqual(["may not be '..'"]);
    expect(isValidPathSegmentName("a/b%")).toEqual(["may not contain '/'", "may not contain '%'"]);
    expect(isConfigMapKey("..x")).toEqual(["must not start with '..'"]);
    expect(isConfigMapKey("ok_key.1")).toEqual([]);
  });
  it("generateName may end with a dash", () => {
    expect(nameIsDNSSubdomain("efs-pvc-", true)).toEqual([]);
    expect(nameIsDNSSubdomain("efs-pvc-", false)).toHaveLength(1);
  });
  it("regexError joins examples as upstream", () => {
    expect(regexError("m", "f")).toBe("m (regex used for validation is 'f')");
    expect(regexError("m", "f", "a", "b")).toBe("m (e.g. 'a',  or 'b', regex used for validation is 'f')");
  });
});
