import { describe, expect, it } from "vitest";
import { StatusError } from "../../../api/status.js";
import type { KubeObject } from "../../../api/types.js";
import type { JsonObject } from "../json.js";
import { podCtx, pvcCtx, schemas } from "../testdata/schemas.js";
import { serverSideApply, type ServerSideApplyInput } from "./server-side-apply.js";

const T0 = new Date("2026-01-02T03:04:05.678Z");
const T1 = new Date("2026-01-02T04:00:00Z");

function pvc(storage = "1Gi", labels: Record<string, string> = { app: "demo" }): JsonObject {
  return {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: { name: "x", namespace: "default", labels },
    spec: { accessModes: ["ReadWriteMany"], resources: { requests: { storage } }, storageClassName: "efs-sc" },
  };
}

function apply(live: KubeObject | undefined, applied: unknown, manager = "kubectl", extra: Partial<ServerSideApplyInput> = {}) {
  return serverSideApply({ live, applied, manager, force: false, apiVersion: "v1", now: T0, ...pvcCtx, subresource: "", ...extra });
}

/** What the server adds on create; apply itself never sets these. */
function stored(obj: KubeObject): KubeObject {
  const o = structuredClone(obj);
  o.metadata.uid = "u-1";
  o.metadata.resourceVersion = "7";
  o.metadata.creationTimestamp = "2026-01-02T03:04:05Z";
  return o;
}

function conflictOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (e) {
    if (e instanceof StatusError) return e;
    throw e;
  }
  throw new Error("expected a StatusError");
}

describe("serverSideApply: create and ownership", () => {
  it("creates the object when absent and records the applier's fields in FieldsV1", () => {
    const { object, managedFields } = apply(undefined, pvc());
    expect({ ...object, metadata: { ...object.metadata, managedFields: undefined } }).toEqual({ ...pvc(), metadata: { ...(pvc().metadata as JsonObject), managedFields: undefined } });
    expect(managedFields).toEqual([
      {
        manager: "kubectl",
        operation: "Apply",
        apiVersion: "v1",
        time: "2026-01-02T03:04:05Z",
        fieldsType: "FieldsV1",
        fieldsV1: {
          "f:metadata": { "f:labels": { "f:app": {} } },
          "f:spec": { "f:accessModes": {}, "f:resources": { "f:requests": { "f:storage": {} } }, "f:storageClassName": {} },
        },
      },
    ]);
    expect(object.metadata.managedFields).toEqual(managedFields);
  });

  it("keys list items in FieldsV1 the way upstream does (containers by name, ports by containerPort+protocol default)", () => {
    const applied = {
      apiVersion: "v1", kind: "Pod", metadata: { name: "p", labels: { app: "a" } },
      spec: { containers: [{ name: "app", image: "busybox", ports: [{ containerPort: 80 }] }] },
    };
    const { managedFields } = serverSideApply({ live: undefined, applied, manager: "kubectl", force: false, apiVersion: "v1", now: T0, ...podCtx, subresource: "" });
    expect(JSON.stringify(managedFields[0].fieldsV1)).toBe(
      '{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:containers":{"k:{\\"name\\":\\"app\\"}":{".":{},"f:image":{},"f:name":{},"f:ports":{"k:{\\"containerPort\\":80,\\"protocol\\":\\"TCP\\"}":{".":{},"f:containerPort":{}}}}}}}',
    );
  });

  it("is idempotent: applying the same manifest again yields the same object and managedFields", () => {
    const first = apply(undefined, pvc());
    const live = stored(first.object);
    const second = apply(live, pvc(), "kubectl", { now: T1 });
    expect(second.object).toEqual(live);
    expect(second.managedFields).toEqual(first.managedFields);
  });

  it("removes a label the manifest stops applying, unless another manager owns it", () => {
    const live = stored(apply(undefined, pvc("1Gi", { app: "demo", tier: "db" })).object);
    const dropped = apply(live, pvc("1Gi", { app: "demo" }));
    expect(dropped.object.metadata.labels).toEqual({ app: "demo" });
    expect(dropped.object.metadata.name).toBe("x");
    expect(dropped.object.metadata.uid).toBe("u-1");
    expect(dropped.managedFields[0].fieldsV1).toEqual({
      "f:metadata": { "f:labels": { "f:app": {} } },
      "f:spec": { "f:accessModes": {}, "f:resources": { "f:requests": { "f:storage": {} } }, "f:storageClassName": {} },
    });

    const shared = stored(apply(apply(undefined, pvc("1Gi", { app: "demo", tier: "db" })).object, { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "x", labels: { tier: "db" } } }, "other").object);
    expect(apply(shared, pvc("1Gi", { app: "demo" })).object.metadata.labels).toEqual({ app: "demo", tier: "db" });
  });

  it("removing the last label removes the labels map", () => {
    const live = stored(apply(undefined, pvc("1Gi", { app: "demo" })).object);
    const out = apply(live, { ...pvc(), metadata: { name: "x", namespace: "default" } });
    expect(out.object.metadata.labels).toBeUndefined();
  });

  it("keeps fields nobody owns when pruning (server-set and default values)", () => {
    const live = stored(apply(undefined, pvc()).object);
    (live.spec as JsonObject).volumeMode = "Filesystem";
    const out = apply(live, pvc("1Gi", {}));
    expect((out.object.spec as JsonObject).volumeMode).toBe("Filesystem");
  });
});

describe("serverSideApply: conflicts", () => {
  const base = () => stored(apply(undefined, pvc("1Gi"), "alice").object);

  it("refuses to change a field another applier owns (409 Conflict with upstream's message and causes)", () => {
    const e = conflictOf(() => apply(base(), pvc("2Gi"), "bob"));
    expect([e.code, e.reason]).toEqual([409, "Conflict"]);
    expect(e.message).toBe('Apply failed with 1 conflict: conflict with "alice": .spec.resources.requests.storage');
    expect(e.details?.causes).toEqual([{ reason: "FieldManagerConflict", message: 'conflict with "alice"', field: ".spec.resources.requests.storage" }]);
  });

  it("applying the same value is shared ownership, not a conflict", () => {
    const out = apply(base(), { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "x" }, spec: { resources: { requests: { storage: "1Gi" } } } }, "bob");
    // bob's apply changed nothing, so (as upstream) its entry has no time and sorts first.
    expect(out.managedFields.map((m) => [m.manager, m.time])).toEqual([["bob", undefined], ["alice", "2026-01-02T03:04:05Z"]]);
    expect(out.managedFields[0].fieldsV1).toEqual({ "f:spec": { "f:resources": { "f:requests": { "f:storage": {} } } } });
  });

  it("force takes ownership away from the other manager", () => {
    const out = apply(base(), pvc("2Gi"), "bob", { force: true });
    expect((out.object.spec as JsonObject).resources).toEqual({ requests: { storage: "2Gi" } });
    const alice = out.managedFields.find((m) => m.manager === "alice")!;
    expect(JSON.stringify(alice.fieldsV1)).not.toContain('"f:storage"');
    const bob = out.managedFields.find((m) => m.manager === "bob")!;
    expect(JSON.stringify(bob.fieldsV1)).toContain("f:storage");
  });

  it("lists several conflicts grouped by manager", () => {
    const e = conflictOf(() => apply(base(), { ...pvc("2Gi"), spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "2Gi" } } } }, "bob"));
    expect(e.message).toBe('Apply failed with 2 conflicts: conflicts with "alice":\n- .spec.accessModes\n- .spec.resources.requests.storage');
    expect(e.details?.causes?.length).toBe(2);
  });

  it("an object created without managedFields belongs to before-first-apply", () => {
    const live = stored(pvc("1Gi") as KubeObject);
    const e = conflictOf(() => apply(live, pvc("2Gi"), "bob"));
    expect(e.message).toBe('Apply failed with 1 conflict: conflict with "before-first-apply" using v1: .spec.resources.requests.storage');
  });
});

describe("serverSideApply: list and map types", () => {
  const base = (): KubeObject => stored(apply(undefined, { ...pvc(), metadata: { name: "x", finalizers: ["a.io/one"] } }, "alice").object);

  it("set lists merge by value; each applier owns its own values", () => {
    const both = apply(base(), { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "x", finalizers: ["b.io/two"] } }, "bob");
    expect(both.object.metadata.finalizers).toEqual(["a.io/one", "b.io/two"]);
    const bob = both.managedFields.find((m) => m.manager === "bob")!;
    expect(bob.fieldsV1).toEqual({ "f:metadata": { "f:finalizers": { 'v:"b.io/two"': {} } } });
    const bobLeaves = apply(stored(both.object), { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "x" } }, "bob");
    expect(bobLeaves.object.metadata.finalizers).toEqual(["a.io/one"]);
  });

  it("atomic lists are owned whole: a different list conflicts", () => {
    const e = conflictOf(() => apply(base(), { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "x" }, spec: { accessModes: ["ReadWriteOnce"] } }, "bob"));
    expect(e.details?.causes?.[0]?.field).toBe(".spec.accessModes");
  });

  it("atomic maps (label selectors) are one leaf", () => {
    const out = apply(undefined, { ...pvc(), spec: { selector: { matchLabels: { a: "b" } } } });
    expect(out.managedFields[0].fieldsV1).toEqual({ "f:metadata": { "f:labels": { "f:app": {} } }, "f:spec": { "f:selector": {} } });
  });

  it("map lists merge items by key and keep the configuration's order for shared items", () => {
    const pod = (containers: unknown[]) => ({ apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { containers } });
    const run = (live: KubeObject | undefined, applied: unknown, manager: string) =>
      serverSideApply({ live, applied, manager, force: false, apiVersion: "v1", now: T0, ...podCtx, subresource: "" }).object;
    const live = stored(run(undefined, pod([{ name: "a", image: "1" }, { name: "b", image: "2" }]), "alice"));
    const out = run(live, pod([{ name: "c", image: "3" }, { name: "a", image: "1" }]), "bob");
    expect((out.spec as JsonObject).containers).toEqual([{ name: "c", image: "3" }, { name: "a", image: "1" }, { name: "b", image: "2" }]);
  });
});

describe("serverSideApply: subresources and reset fields", () => {
  it("never owns status through the main resource", () => {
    const out = apply(undefined, { ...pvc(), status: { phase: "Bound" } });
    expect(JSON.stringify(out.managedFields)).not.toContain("status");
  });

  it("owns only status through /status, recorded with the subresource", () => {
    const live = stored(apply(undefined, pvc()).object);
    const out = apply(live, { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "x" }, spec: { storageClassName: "other" }, status: { phase: "Bound" } }, "binder", { subresource: "status" });
    const binder = out.managedFields.find((m) => m.manager === "binder")!;
    expect(binder).toMatchObject({ operation: "Apply", subresource: "status", fieldsV1: { "f:status": { "f:phase": {} } } });
  });
});

describe("serverSideApply: bad requests", () => {
  it("refuses managedFields, a wrong apiVersion or kind, and non-objects with 400", () => {
    expect(conflictOf(() => apply(undefined, { ...pvc(), metadata: { name: "x", managedFields: [] } })).message).toBe("metadata.managedFields must be nil");
    expect(conflictOf(() => apply(undefined, { ...pvc(), apiVersion: "v2" })).message).toBe("Incorrect version specified in apply patch. Specified patch version: v2, expected: v1");
    expect(conflictOf(() => apply(undefined, { ...pvc(), kind: "Pod" }, "kubectl", { kind: "PersistentVolumeClaim" })).message).toBe("invalid object type: /v1, Kind=Pod");
    expect(conflictOf(() => apply(undefined, [1])).code).toBe(400);
  });

  it("refuses configurations that do not fit the schema with 422 and upstream's wording", () => {
    const unknown = conflictOf(() => apply(undefined, { ...pvc(), spec: { foo: 1 } }));
    expect([unknown.code, unknown.message]).toEqual([422, "failed to create typed patch object (default/x; /v1, Kind=PersistentVolumeClaim): .spec.foo: field not declared in schema"]);
    const pod = (containers: unknown[]) => ({ apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { containers } });
    const run = (applied: unknown) => serverSideApply({ live: undefined, applied, manager: "m", force: false, apiVersion: "v1", now: T0, ...podCtx, subresource: "" });
    expect(conflictOf(() => run(pod([{ image: "x" }]))).message).toContain('.spec.containers: element 0: associative list with keys has an element that omits key field "name" (and doesn\'t have default value)');
    expect(conflictOf(() => run(pod([{ name: "a" }, { name: "a" }]))).message).toContain('.spec.containers: duplicate entries for key [name="a"]');
    expect(conflictOf(() => run(pod([{ name: "a", ports: "x" }]))).message).toContain('.spec.containers[name="a"].ports: expected array, got string');
  });

  it("accepts the preserved-unknown content of a schema that allows it", () => {
    const out = serverSideApply({
      live: undefined, applied: { apiVersion: "example.io/v1", kind: "Widget", metadata: { name: "w" }, spec: { any: { thing: [1] } } },
      manager: "m", force: false, apiVersion: "example.io/v1", now: T0, schemas, rootSchema: "io.example.v1.Widget", subresource: "",
    });
    expect(out.managedFields[0].fieldsV1).toEqual({ "f:spec": { "f:any": { ".": {}, "f:thing": {} } } });
  });
});
