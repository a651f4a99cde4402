import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { decodeKubernetesProtobuf, isProtobufContentType } from "./index.js";

interface CapturedRequest {
  name: string;
  command: string;
  path: string;
  contentType: string;
  bodyHex: string;
  jsonEquivalent: Record<string, unknown>;
}

const fixtures = JSON.parse(readFileSync(new URL("./testdata/kubectl-create.json", import.meta.url), "utf8")) as { requests: CapturedRequest[] };

/** JSON null is Go's nil/zero (creationTimestamp: null, rules: null): the decoder leaves those out. */
function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (v && typeof v === "object") {
    return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => [k, withoutNulls(x)]));
  }
  return v;
}

describe("bodies captured from real kubectl 1.32", () => {
  it("covers every kubectl create subcommand that sends protobuf", () => {
    const kinds = new Set(fixtures.requests.map((r) => r.jsonEquivalent.kind));
    expect([...kinds].sort()).toEqual(["ClusterRole", "ClusterRoleBinding", "ConfigMap", "Namespace", "Role", "RoleBinding", "Secret", "ServiceAccount", "TokenRequest"]);
  });

  for (const req of fixtures.requests) {
    it(`${req.command} decodes to the object kubectl would send as JSON`, () => {
      expect(isProtobufContentType(req.contentType)).toBe(true);
      const decoded = decodeKubernetesProtobuf(Buffer.from(req.bodyHex, "hex"));
      expect(decoded.object).toEqual(withoutNulls(req.jsonEquivalent));
      expect(decoded.apiVersion).toBe(req.jsonEquivalent.apiVersion);
      expect(decoded.kind).toBe(req.jsonEquivalent.kind);
    });
  }

  it("keeps binary data byte-exact through base64", () => {
    const req = fixtures.requests.find((r) => r.name === "secret-large")!;
    const data = (decodeKubernetesProtobuf(Buffer.from(req.bodyHex, "hex")).object.data as Record<string, string>).blob;
    const bytes = Buffer.from(data, "base64");
    expect(bytes.length).toBe(400);
    expect([...bytes].every((b, i) => b === ((i * 37 + 11) & 255))).toBe(true);
  });

  it("keeps the empty core API group as a list element", () => {
    const req = fixtures.requests.find((r) => r.name === "role")!;
    const rules = decodeKubernetesProtobuf(Buffer.from(req.bodyHex, "hex")).object.rules as { apiGroups: string[] }[];
    expect(rules[0].apiGroups).toEqual([""]);
  });
});
