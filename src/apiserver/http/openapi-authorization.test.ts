import { describe, expect, it } from "vitest";
import { authorizationOpenApiDocument } from "./openapi-authorization.js";

type Json = Record<string, any>;

function refsIn(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => refsIn(n, out));
  else if (node && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) {
      if (k === "$ref" && typeof v === "string") out.push(v.replace("#/components/schemas/", ""));
      else refsIn(v, out);
    }
  }
  return out;
}

describe("authorization.k8s.io/v1 OpenAPI document", () => {
  const doc = authorizationOpenApiDocument() as Json;

  it("has one POST per review kind, with its group/version/kind and fieldValidation", () => {
    const posts = Object.entries(doc.paths as Json).map(([path, item]) => [path, (item as Json).post] as const);
    expect(posts.map(([p]) => p).sort()).toEqual([
      "/apis/authorization.k8s.io/v1/namespaces/{namespace}/localsubjectaccessreviews",
      "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
      "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews",
      "/apis/authorization.k8s.io/v1/subjectaccessreviews",
    ]);
    for (const [, post] of posts) {
      expect(post["x-kubernetes-group-version-kind"].group).toBe("authorization.k8s.io");
      expect(post.parameters.map((p: Json) => p.name)).toContain("fieldValidation");
    }
  });

  it("defines every schema it references, and tags each kind with its GVK", () => {
    const defined = new Set(Object.keys(doc.components.schemas));
    const missing = refsIn(doc).filter((r) => !defined.has(r));
    expect(missing).toEqual([]);
    const ssar = doc.components.schemas["io.k8s.api.authorization.v1.SelfSubjectAccessReview"];
    expect(ssar["x-kubernetes-group-version-kind"]).toEqual([{ group: "authorization.k8s.io", version: "v1", kind: "SelfSubjectAccessReview" }]);
  });
});
