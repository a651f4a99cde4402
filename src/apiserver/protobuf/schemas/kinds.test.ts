/**
 * Every field of every message reachable from the supported kinds, written with upstream's field
 * numbers (from the generated.proto files) and read back as Kubernetes JSON.
 */
import { describe, expect, it } from "vitest";
import { decodeKubernetesProtobuf } from "../index.js";
import { kubernetesBody, type ProtoWriter } from "../testing/encoder.js";

const decode = (apiVersion: string, kind: string, body: (w: ProtoWriter) => void) => decodeKubernetesProtobuf(kubernetesBody(apiVersion, kind, body)).object;

const T1 = 1700000000; // 2023-11-14T22:13:20Z
const FIELDS_JSON = '{"f:metadata":{"f:labels":{".":{},"f:app":{}}}}';

function fullObjectMeta(w: ProtoWriter): void {
  w.string(1, "n")
    .string(2, "gen-")
    .string(3, "ns")
    .string(4, "/self")
    .string(5, "uid-1")
    .string(6, "42")
    .varint(7, 3)
    .message(8, (t) => t.varint(1, T1).varint(2, 0))
    .message(9, (t) => t.varint(1, T1 + 60).varint(2, 0))
    .varint(10, 30)
    .mapEntry(11, "app", "web")
    .mapEntry(11, "tier", "")
    .mapEntry(12, "note", "hello")
    .message(13, (o) => o.string(1, "Deployment").string(3, "d").string(4, "uid-d").string(5, "apps/v1").varint(6, true).varint(7, false))
    .message(13, (o) => o.string(1, "").string(3, "").string(4, "").string(5, ""))
    .string(14, "example.com/f1")
    .string(14, "example.com/f2")
    .message(17, (m) =>
      m
        .string(1, "kubectl")
        .string(2, "Apply")
        .string(3, "v1")
        .message(4, (t) => t.varint(1, T1))
        .string(6, "FieldsV1")
        .message(7, (f) => f.string(1, FIELDS_JSON))
        .string(8, "status"),
    );
}

const FULL_OBJECT_META = {
  name: "n",
  generateName: "gen-",
  namespace: "ns",
  selfLink: "/self",
  uid: "uid-1",
  resourceVersion: "42",
  generation: 3,
  creationTimestamp: "2023-11-14T22:13:20Z",
  deletionTimestamp: "2023-11-14T22:14:20Z",
  deletionGracePeriodSeconds: 30,
  labels: { app: "web", tier: "" },
  annotations: { note: "hello" },
  ownerReferences: [
    { kind: "Deployment", name: "d", uid: "uid-d", apiVersion: "apps/v1", controller: true, blockOwnerDeletion: false },
    { kind: "", name: "", uid: "", apiVersion: "" },
  ],
  finalizers: ["example.com/f1", "example.com/f2"],
  managedFields: [
    { manager: "kubectl", operation: "Apply", apiVersion: "v1", time: "2023-11-14T22:13:20Z", fieldsType: "FieldsV1", fieldsV1: JSON.parse(FIELDS_JSON), subresource: "status" },
  ],
};

describe("ObjectMeta", () => {
  it("decodes every field, owner references and managed fields included", () => {
    expect(decode("v1", "ConfigMap", (w) => w.message(1, fullObjectMeta)).metadata).toEqual(FULL_OBJECT_META);
  });

  it("keeps an explicit zero grace period (a pointer) and drops generation 0", () => {
    expect(decode("v1", "ConfigMap", (w) => w.message(1, (m) => m.string(1, "x").varint(7, 0).varint(10, 0))).metadata).toEqual({
      name: "x",
      deletionGracePeriodSeconds: 0,
    });
  });
});

describe("core/v1", () => {
  it("ConfigMap: data, binaryData, immutable", () => {
    expect(decode("v1", "ConfigMap", (w) => w.message(1, (m) => m.string(1, "c")).mapEntry(2, "k", "v").mapEntry(3, "b", Buffer.from([1, 2, 3])).varint(4, true))).toEqual({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "c" },
      data: { k: "v" },
      binaryData: { b: "AQID" },
      immutable: true,
    });
  });

  it("Secret: data as base64, stringData as text, type, immutable false kept", () => {
    expect(decode("v1", "Secret", (w) => w.message(1, (m) => m.string(1, "s")).mapEntry(2, "k", Buffer.from("pw")).string(3, "Opaque").mapEntry(4, "plain", "text").varint(5, false))).toEqual({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "s" },
      data: { k: "cHc=" },
      type: "Opaque",
      stringData: { plain: "text" },
      immutable: false,
    });
  });

  it("Namespace: spec finalizers, status phase and conditions", () => {
    const ns = decode("v1", "Namespace", (w) =>
      w
        .message(1, (m) => m.string(1, "team"))
        .message(2, (s) => s.string(1, "kubernetes"))
        .message(3, (s) =>
          s
            .string(1, "Terminating")
            .message(2, (c) => c.string(1, "NamespaceDeletionContentFailure").string(2, "False").message(4, (t) => t.varint(1, T1)).string(5, "ContentDeleted").string(6, "All content deleted"))
            .message(2, (c) => c.string(1, "").string(2, "").message(4, Buffer.alloc(0)).string(5, "").string(6, "")),
        ),
    );
    expect(ns).toEqual({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: "team" },
      spec: { finalizers: ["kubernetes"] },
      status: {
        phase: "Terminating",
        conditions: [
          { type: "NamespaceDeletionContentFailure", status: "False", lastTransitionTime: "2023-11-14T22:13:20Z", reason: "ContentDeleted", message: "All content deleted" },
          { type: "", status: "" },
        ],
      },
    });
  });

  it("ServiceAccount: secrets (ObjectReference), imagePullSecrets (LocalObjectReference), automount", () => {
    const sa = decode("v1", "ServiceAccount", (w) =>
      w
        .message(1, (m) => m.string(1, "sa"))
        .message(2, (r) => r.string(1, "Secret").string(2, "ns").string(3, "tok").string(4, "u").string(5, "v1").string(6, "7").string(7, "data.x"))
        .message(2, (r) => r.string(3, "other"))
        .message(3, (r) => r.string(1, "pull"))
        .message(3, (r) => r.string(1, ""))
        .varint(4, false),
    );
    expect(sa).toEqual({
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name: "sa" },
      secrets: [{ kind: "Secret", namespace: "ns", name: "tok", uid: "u", apiVersion: "v1", resourceVersion: "7", fieldPath: "data.x" }, { name: "other" }],
      imagePullSecrets: [{ name: "pull" }, {}],
      automountServiceAccountToken: false,
    });
  });
});

describe("rbac.authorization.k8s.io/v1", () => {
  const RBAC = "rbac.authorization.k8s.io/v1";
  const rule = (w: ProtoWriter) => w.string(1, "get").string(2, "").string(2, "apps").string(3, "deployments").string(4, "d1").string(5, "/metrics");
  const RULE = { verbs: ["get"], apiGroups: ["", "apps"], resources: ["deployments"], resourceNames: ["d1"], nonResourceURLs: ["/metrics"] };

  it("Role: rules with every PolicyRule list", () => {
    expect(decode(RBAC, "Role", (w) => w.message(1, (m) => m.string(1, "r")).message(2, rule))).toEqual({ apiVersion: RBAC, kind: "Role", metadata: { name: "r" }, rules: [RULE] });
  });

  it("ClusterRole: aggregationRule with label selectors (matchLabels and matchExpressions)", () => {
    const cr = decode(RBAC, "ClusterRole", (w) =>
      w
        .message(1, (m) => m.string(1, "cr"))
        .message(2, rule)
        .message(3, (a) =>
          a.message(1, (sel) =>
            sel
              .mapEntry(1, "agg", "true")
              .message(2, (e) => e.string(1, "tier").string(2, "In").string(3, "a").string(3, "b"))
              .message(2, (e) => e.string(1, "gone").string(2, "DoesNotExist")),
          ),
        ),
    );
    expect(cr).toEqual({
      apiVersion: RBAC,
      kind: "ClusterRole",
      metadata: { name: "cr" },
      rules: [RULE],
      aggregationRule: {
        clusterRoleSelectors: [
          {
            matchLabels: { agg: "true" },
            matchExpressions: [
              { key: "tier", operator: "In", values: ["a", "b"] },
              { key: "gone", operator: "DoesNotExist" },
            ],
          },
        ],
      },
    });
  });

  for (const kind of ["RoleBinding", "ClusterRoleBinding"]) {
    it(`${kind}: subjects and roleRef, identifying strings present even when empty`, () => {
      const rb = decode(RBAC, kind, (w) =>
        w
          .message(1, (m) => m.string(1, "b"))
          .message(2, (s) => s.string(1, "ServiceAccount").string(2, "").string(3, "sa").string(4, "ns"))
          .message(2, (s) => s.string(1, "User").string(2, "rbac.authorization.k8s.io").string(3, "alice"))
          .message(3, Buffer.alloc(0)),
      );
      expect(rb).toEqual({
        apiVersion: RBAC,
        kind,
        metadata: { name: "b" },
        subjects: [
          { kind: "ServiceAccount", name: "sa", namespace: "ns" },
          { kind: "User", apiGroup: "rbac.authorization.k8s.io", name: "alice" },
        ],
        roleRef: { apiGroup: "", kind: "", name: "" },
      });
    });
  }
});

describe("authentication.k8s.io/v1", () => {
  it("TokenRequest: spec (audiences, boundObjectRef, expirationSeconds) and status", () => {
    const tr = decode("authentication.k8s.io/v1", "TokenRequest", (w) =>
      w
        .message(1, (m) => m.string(1, "sa"))
        .message(2, (s) => s.string(1, "api").message(3, (b) => b.string(1, "Secret").string(2, "v1").string(3, "s").string(4, "u")).varint(4, 0))
        .message(3, (s) => s.string(1, "tok").message(2, (t) => t.varint(1, T1))),
    );
    expect(tr).toEqual({
      apiVersion: "authentication.k8s.io/v1",
      kind: "TokenRequest",
      metadata: { name: "sa" },
      spec: { audiences: ["api"], boundObjectRef: { kind: "Secret", apiVersion: "v1", name: "s", uid: "u" }, expirationSeconds: 0 },
      status: { token: "tok", expirationTimestamp: "2023-11-14T22:13:20Z" },
    });
  });
});
