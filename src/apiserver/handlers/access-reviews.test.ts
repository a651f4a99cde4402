import { describe, expect, it } from "vitest";
import { Readable } from "node:stream";
import type { IncomingMessage, ServerResponse } from "node:http";
import { StatusError } from "../../api/status.js";
import type { KubeObject, ResourceTraits } from "../../api/types.js";
import { RbacAuthorizer } from "../auth/rbac/authorizer.js";
import type { AdmissionReader, UserInfo } from "../registry/admission.js";
import { parseRequestInfo } from "../http/request-info.js";
import { kubernetesBody, objectMeta } from "../protobuf/testing/encoder.js";
import { handleAuthorizationReview } from "./access-reviews.js";

const VIEWER: UserInfo = { name: "system:serviceaccount:a:viewer", groups: ["system:serviceaccounts", "system:serviceaccounts:a", "system:authenticated"] };
const ADMIN: UserInfo = { name: "admin", groups: ["system:masters", "system:authenticated"] };

const meta = (name: string, namespace?: string) => ({ name, ...(namespace ? { namespace } : {}) });
const STORE: Record<string, KubeObject[]> = {
  clusterroles: [
    { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: meta("view"), rules: [{ apiGroups: [""], resources: ["persistentvolumeclaims", "pods"], verbs: ["get", "list", "watch"] }] },
    { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: meta("system:discovery"), rules: [{ nonResourceURLs: ["/api", "/api/*"], verbs: ["get"] }] },
  ],
  roles: [],
  clusterrolebindings: [
    { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRoleBinding", metadata: meta("system:discovery"), roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "system:discovery" }, subjects: [{ kind: "Group", name: "system:authenticated" }] },
  ],
  rolebindings: [
    { apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", metadata: meta("viewer-view", "a"), roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" }, subjects: [{ kind: "ServiceAccount", name: "viewer", namespace: "a" }] },
  ],
};

/** A reader over fixed RBAC objects that records every call: it has no way to write. */
function recordingReader(calls: string[]): AdmissionReader {
  return {
    resource: (group, plural) => ({ group, plural }) as ResourceTraits,
    list: async (r) => {
      calls.push(`list ${r.plural}`);
      return STORE[r.plural] ?? [];
    },
    get: async (r, _ns, name) => {
      calls.push(`get ${r.plural}/${name}`);
      return undefined;
    },
  };
}

interface Answer {
  code: number;
  body: Record<string, any>;
}

async function post(path: string, body: unknown, user: UserInfo = VIEWER, opts: { method?: string; contentType?: string; calls?: string[] } = {}): Promise<Answer> {
  const raw = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === "string" ? body : JSON.stringify(body));
  const req = Readable.from([raw]) as unknown as IncomingMessage;
  req.method = opts.method ?? "POST";
  req.headers = { "content-type": opts.contentType ?? "application/json" };
  let out: Answer | undefined;
  const res = {
    writeHead(code: number) {
      out = { code, body: {} };
      return res;
    },
    end(data?: Buffer) {
      out!.body = JSON.parse(String(data));
    },
  } as unknown as ServerResponse;
  const info = parseRequestInfo(req.method, path, new URLSearchParams());
  try {
    await handleAuthorizationReview(req, res, info, user, new RbacAuthorizer(recordingReader(opts.calls ?? [])));
  } catch (e) {
    if (!(e instanceof StatusError)) throw e;
    return { code: e.code, body: e.toStatus() as unknown as Record<string, any> };
  }
  return out!;
}

const SSAR = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";
const ssar = (spec: unknown, extra: Record<string, unknown> = {}) => ({ apiVersion: "authorization.k8s.io/v1", kind: "SelfSubjectAccessReview", spec, ...extra });
const listClaims = (namespace: string) => ({ resourceAttributes: { namespace, verb: "list", resource: "persistentvolumeclaims" } });

describe("SelfSubjectAccessReview", () => {
  it("answers for the requesting user with RBAC's decision and reason, 201, only reading roles", async () => {
    const calls: string[] = [];
    const yes = await post(SSAR, ssar(listClaims("a")), VIEWER, { calls });
    expect(yes.code).toBe(201);
    expect(yes.body).toEqual({
      apiVersion: "authorization.k8s.io/v1", kind: "SelfSubjectAccessReview", metadata: { creationTimestamp: null }, spec: listClaims("a"),
      status: { allowed: true, reason: 'RBAC: allowed by RoleBinding "viewer-view/a" of ClusterRole "view" to ServiceAccount "viewer/a"' },
    });
    expect(calls.every((c) => c.startsWith("list "))).toBe(true);
    expect((await post(SSAR, ssar(listClaims("b")))).body.status).toEqual({ allowed: false });
    const exec = await post(SSAR, ssar({ resourceAttributes: { namespace: "a", verb: "create", resource: "pods", subresource: "exec" } }));
    expect(exec.body.status.allowed).toBe(false);
  });

  it("allows system:masters everything, with no reason (the privileged-group authorizer)", async () => {
    const r = await post(SSAR, ssar({ resourceAttributes: { verb: "*", group: "*", resource: "*" } }), ADMIN);
    expect(r.body.status).toEqual({ allowed: true });
  });

  it("decides non-resource paths by nonResourceURLs", async () => {
    expect((await post(SSAR, ssar({ nonResourceAttributes: { path: "/api/v1", verb: "get" } }))).body.status.allowed).toBe(true);
    expect((await post(SSAR, ssar({ nonResourceAttributes: { path: "/metrics", verb: "get" } }))).body.status.allowed).toBe(false);
  });

  it("reads kubectl's protobuf body", async () => {
    const body = kubernetesBody("authorization.k8s.io/v1", "SelfSubjectAccessReview", (w) =>
      w.message(1, objectMeta("")).message(2, (s) => s.message(1, (r) => r.string(1, "a").string(2, "list").string(3, "").string(4, "").string(5, "persistentvolumeclaims").string(6, "").string(7, ""))).message(3, (st) => st.varint(1, false)));
    const r = await post(SSAR, body, VIEWER, { contentType: "application/vnd.kubernetes.protobuf" });
    expect(r.code).toBe(201);
    expect(r.body.spec).toEqual(listClaims("a"));
    expect(r.body.status.allowed).toBe(true);
  });

  it("refuses bad bodies with upstream's Status", async () => {
    const both = await post(SSAR, ssar({ ...listClaims("a"), nonResourceAttributes: { path: "/", verb: "get" } }));
    expect(both.code).toBe(422);
    expect(both.body.message).toBe('SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.nonResourceAttributes: Invalid value: {"path":"/","verb":"get"}: cannot be specified in combination with resourceAttributes');
    const neither = await post(SSAR, ssar({}));
    expect(neither.code).toBe(422);
    expect(neither.body.message).toBe('SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: null: exactly one of nonResourceAttributes or resourceAttributes must be specified');
    expect(neither.body.details.causes).toEqual([{ reason: "FieldValueInvalid", field: "spec.resourceAttributes", message: "Invalid value: null: exactly one of nonResourceAttributes or resourceAttributes must be specified" }]);
    const named = await post(SSAR, ssar(listClaims("a"), { metadata: { name: "x" } }));
    expect(named.code).toBe(422);
    expect(named.body.message).toContain("metadata: Invalid value: ");
    expect(named.body.message).toContain("must be empty");
    const typed = await post(SSAR, ssar({ resourceAttributes: { verb: 5 } }));
    expect(typed.code).toBe(400);
    expect(typed.body.message).toBe('SelfSubjectAccessReview in version "v1" cannot be handled as a SelfSubjectAccessReview: json: cannot unmarshal number into Go struct field ResourceAttributes.spec.resourceAttributes.verb of type string');
    const wrongKind = await post(SSAR, { ...ssar(listClaims("a")), kind: "SubjectAccessReview" });
    expect(wrongKind.code).toBe(400);
    expect(wrongKind.body.message).toBe("the kind in the data (SubjectAccessReview) does not match the expected kind (SelfSubjectAccessReview)");
    expect((await post(SSAR, "[]")).code).toBe(400);
    expect((await post(SSAR, "")).code).toBe(400);
  });

  it("serves create only, on the served resources only", async () => {
    expect((await post(SSAR, "", VIEWER, { method: "GET" })).code).toBe(405);
    expect((await post(`${SSAR}/x`, ssar(listClaims("a")), VIEWER, { method: "PUT" })).code).toBe(405);
    expect((await post("/apis/authorization.k8s.io/v1/selfsubjectreviews", ssar(listClaims("a")))).code).toBe(404);
    expect((await post("/apis/authorization.k8s.io/v1/namespaces/a/selfsubjectaccessreviews", ssar(listClaims("a")))).code).toBe(404);
  });
});

describe("SubjectAccessReview and LocalSubjectAccessReview", () => {
  const SAR = "/apis/authorization.k8s.io/v1/subjectaccessreviews";
  const sar = (spec: Record<string, unknown>, kind = "SubjectAccessReview", metadata?: Record<string, unknown>) => ({ apiVersion: "authorization.k8s.io/v1", kind, ...(metadata ? { metadata } : {}), spec });

  it("answers for the subject in the spec, not the requester", async () => {
    const r = await post(SAR, sar({ user: VIEWER.name, groups: VIEWER.groups, ...listClaims("a") }), ADMIN);
    expect(r.code).toBe(201);
    expect(r.body.status.allowed).toBe(true);
    const other = await post(SAR, sar({ user: "someone", ...listClaims("a") }), ADMIN);
    expect(other.body.status).toEqual({ allowed: false });
    const masters = await post(SAR, sar({ groups: ["system:masters"], ...listClaims("b") }), VIEWER);
    expect(masters.body.status).toEqual({ allowed: true });
  });

  it("reads a protobuf SubjectAccessReview with groups, uid and extra", async () => {
    const body = kubernetesBody("authorization.k8s.io/v1", "SubjectAccessReview", (w) =>
      w.message(1, objectMeta("")).message(2, (s) => s
        .message(1, (r) => r.string(1, "a").string(2, "get").string(5, "pods").string(7, "p1"))
        .string(3, VIEWER.name).string(4, "system:authenticated").string(6, "uid-1")
        .mapEntry(5, "scopes", (e) => e.string(1, "x").string(1, "y"))));
    const r = await post(SAR, body, ADMIN, { contentType: "application/vnd.kubernetes.protobuf" });
    expect(r.code).toBe(201);
    expect(r.body.spec).toEqual({
      resourceAttributes: { namespace: "a", verb: "get", resource: "pods", name: "p1" },
      user: VIEWER.name, groups: ["system:authenticated"], uid: "uid-1", extra: { scopes: ["x", "y"] },
    });
    expect(r.body.status.allowed).toBe(true);
  });

  it("needs a user or group", async () => {
    const r = await post(SAR, sar(listClaims("a")), ADMIN);
    expect(r.code).toBe(422);
    expect(r.body.message).toBe('SubjectAccessReview.authorization.k8s.io "" is invalid: spec.user: Invalid value: "": at least one of user or group must be specified');
    const badGroups = await post(SAR, sar({ groups: "g", ...listClaims("a") }), ADMIN);
    expect(badGroups.code).toBe(400);
  });

  it("keeps a local review inside its namespace", async () => {
    const LSAR = "/apis/authorization.k8s.io/v1/namespaces/a/localsubjectaccessreviews";
    const ok = await post(LSAR, sar({ user: VIEWER.name, groups: VIEWER.groups, ...listClaims("a") }, "LocalSubjectAccessReview"), ADMIN);
    expect(ok.code).toBe(201);
    expect(ok.body.metadata).toEqual({ namespace: "a", creationTimestamp: null });
    expect(ok.body.status.allowed).toBe(true);
    const mismatch = await post(LSAR, sar({ user: "u", ...listClaims("b") }, "LocalSubjectAccessReview"), ADMIN);
    expect(mismatch.code).toBe(422);
    expect(mismatch.body.message).toBe('LocalSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes.namespace: Invalid value: "b": must match metadata.namespace');
    const otherNs = await post(LSAR, sar({ user: "u", ...listClaims("b") }, "LocalSubjectAccessReview", { namespace: "b" }), ADMIN);
    expect(otherNs.code).toBe(400);
    const nonRes = await post(LSAR, sar({ user: "u", nonResourceAttributes: { path: "/", verb: "get" } }, "LocalSubjectAccessReview"), ADMIN);
    expect(nonRes.code).toBe(422);
    expect(nonRes.body.message).toContain("spec.nonResourceAttributes: Invalid value: ");
    expect(nonRes.body.message).toContain("disallowed on this kind of request");
  });
});

describe("SelfSubjectRulesReview", () => {
  const SSRR = "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews";
  const ssrr = (namespace?: string) => ({ apiVersion: "authorization.k8s.io/v1", kind: "SelfSubjectRulesReview", spec: namespace === undefined ? {} : { namespace } });

  it("lists the user's rules in the namespace, split into resource and non-resource rules", async () => {
    const r = await post(SSRR, ssrr("a"));
    expect(r.code).toBe(201);
    expect(r.body.status).toEqual({
      resourceRules: [{ verbs: ["get", "list", "watch"], apiGroups: [""], resources: ["persistentvolumeclaims", "pods"] }],
      nonResourceRules: [{ verbs: ["get"], nonResourceURLs: ["/api", "/api/*"] }],
      incomplete: false,
    });
    expect((await post(SSRR, ssrr("b"))).body.status.resourceRules).toEqual([]);
    const admin = await post(SSRR, ssrr("b"), ADMIN);
    expect(admin.body.status.resourceRules).toEqual([{ verbs: ["*"], apiGroups: ["*"], resources: ["*"] }]);
  });

  it("needs a namespace", async () => {
    const r = await post(SSRR, ssrr());
    expect(r.code).toBe(400);
    expect(r.body.message).toBe("no namespace on request");
  });
});
