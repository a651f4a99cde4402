import { describe, expect, it } from "vitest";
import type { KubeObject, ManagedFieldsEntry } from "../../../api/types.js";
import type { JsonObject } from "../json.js";
import { podCtx, pvcCtx } from "../testdata/schemas.js";
import { updateManagedFields, type UpdateManagedFieldsInput } from "./update-managed-fields.js";

const T0 = new Date("2026-05-01T00:00:00.900Z");
const T1 = new Date("2026-05-01T01:00:00Z");

function pvc(labels: Record<string, string> = { app: "demo" }, storage = "1Gi"): KubeObject {
  return {
    apiVersion: "v1", kind: "PersistentVolumeClaim",
    metadata: { name: "x", namespace: "default", uid: "u", resourceVersion: "1", generation: 1, creationTimestamp: "2026-05-01T00:00:00Z", labels },
    spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage } }, storageClassName: "efs-sc" },
    status: { phase: "Pending" },
  };
}

function update(old: KubeObject | undefined, updated: KubeObject, manager: string, extra: Partial<UpdateManagedFieldsInput> = {}) {
  return updateManagedFields({ old, updated, manager, apiVersion: "v1", now: T0, ...pvcCtx, subresource: "", ...extra });
}

/** A write by `manager` that starts from the stored object and changes it with `edit`. */
function write(live: KubeObject, manager: string, edit: (o: KubeObject) => void, extra: Partial<UpdateManagedFieldsInput> = {}) {
  const next = structuredClone(live);
  edit(next);
  return update(live, next, manager, extra);
}

const find = (m: ManagedFieldsEntry[], manager: string) => m.find((e) => e.manager === manager);

describe("updateManagedFields", () => {
  it("on create, owns every field set except server metadata and status, in upstream's FieldsV1 shape", () => {
    const { managedFields, object } = update(undefined, pvc(), "kubectl-create");
    expect(managedFields).toEqual([
      {
        manager: "kubectl-create", operation: "Update", apiVersion: "v1", time: "2026-05-01T00:00:00Z", fieldsType: "FieldsV1",
        fieldsV1: {
          "f:metadata": { "f:labels": { ".": {}, "f:app": {} } },
          "f:spec": { "f:accessModes": {}, "f:resources": { "f:requests": { ".": {}, "f:storage": {} } }, "f:storageClassName": {} },
        },
      },
    ]);
    expect(object.metadata.managedFields).toEqual(managedFields);
  });

  it("marks list items and optional lists like upstream (containers required: no '.'; ports: '.')", () => {
    const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { containers: [{ name: "app", image: "i", ports: [{ containerPort: 80, protocol: "TCP" }] }] } };
    const { managedFields } = updateManagedFields({ old: undefined, updated: pod, manager: "m", apiVersion: "v1", now: T0, ...podCtx, subresource: "" });
    expect(managedFields[0].fieldsV1).toEqual({
      "f:spec": {
        "f:containers": {
          'k:{"name":"app"}': {
            ".": {}, "f:image": {}, "f:name": {},
            "f:ports": { ".": {}, 'k:{"containerPort":80,"protocol":"TCP"}': { ".": {}, "f:containerPort": {}, "f:protocol": {} } },
          },
        },
      },
    });
  });

  it("gives a changed field to the writer and takes it from its previous owner", () => {
    const created = update(undefined, pvc(), "creator").object;
    const out = write(created, "labeler", (o) => (o.metadata.labels!.app = "other"), { now: T1 });
    expect(find(out.managedFields, "labeler")).toMatchObject({ time: "2026-05-01T01:00:00Z", fieldsV1: { "f:metadata": { "f:labels": { "f:app": {} } } } });
    expect(JSON.stringify(find(out.managedFields, "creator")!.fieldsV1)).not.toContain("f:app");
  });

  it("merges a manager's successive writes into one entry per manager+apiVersion+subresource", () => {
    const created = update(undefined, pvc(), "creator").object;
    const once = write(created, "ctl", (o) => (o.metadata.labels!.a = "1")).object;
    const twice = write(once, "ctl", (o) => (o.metadata.labels!.b = "2"), { now: T1 });
    const ctl = twice.managedFields.filter((e) => e.manager === "ctl");
    expect(ctl).toHaveLength(1);
    expect(ctl[0]).toMatchObject({ time: "2026-05-01T01:00:00Z", fieldsV1: { "f:metadata": { "f:labels": { "f:a": {}, "f:b": {} } } } });
    const other = write(twice.object, "ctl", (o) => (o.metadata.labels!.c = "3"), { apiVersion: "v2" });
    expect(other.managedFields.filter((e) => e.manager === "ctl").map((e) => e.apiVersion).sort()).toEqual(["v1", "v2"]);
  });

  it("a write that changes nothing leaves managedFields exactly as they were", () => {
    const created = update(undefined, pvc(), "creator").object;
    const out = write(created, "noop", () => {}, { now: T1 });
    expect(out.managedFields).toEqual(created.metadata.managedFields);
  });

  it("a removed field is owned by nobody afterwards", () => {
    const created = update(undefined, pvc({ app: "demo", tier: "db" }), "creator").object;
    const out = write(created, "remover", (o) => delete o.metadata.labels!.tier);
    expect(JSON.stringify(out.managedFields)).not.toContain("f:tier");
    expect(find(out.managedFields, "remover")).toBeUndefined();
  });

  it("status writes are recorded with their subresource and never own spec", () => {
    const created = update(undefined, pvc(), "creator").object;
    const out = write(created, "binder", (o) => {
      o.status = { phase: "Bound" };
      (o.spec as JsonObject).volumeName = "pv-1";
    }, { subresource: "status" });
    expect(find(out.managedFields, "binder")).toMatchObject({ subresource: "status", fieldsV1: { "f:status": { "f:phase": {} } } });
  });

  it("leaves an existing object without managedFields untracked (upstream skips it)", () => {
    const legacy = pvc();
    const out = write(legacy, "ctl", (o) => (o.metadata.labels!.x = "y"));
    expect(out.managedFields).toEqual([]);
    expect(out.object.metadata.managedFields).toBeUndefined();
  });

  it("honours managedFields a client sends, and [] resets them", () => {
    const created = update(undefined, pvc(), "creator").object;
    const edited = structuredClone(created);
    edited.metadata.managedFields = [{ manager: "someone", operation: "Update", apiVersion: "v1", fieldsType: "FieldsV1", fieldsV1: { "f:spec": { "f:storageClassName": {} } } }];
    expect(update(created, edited, "ctl").managedFields.map((e) => e.manager)).toEqual(["someone"]);
    const reset = structuredClone(created);
    reset.metadata.managedFields = [];
    expect(update(created, reset, "ctl").managedFields).toEqual([]);
    const garbage = structuredClone(created);
    garbage.metadata.managedFields = [{ nonsense: true } as never];
    expect(update(created, garbage, "ctl").managedFields).toEqual(created.metadata.managedFields);
  });

  it("keeps at most 10 Update entries, folding the oldest into ancient-changes", () => {
    let obj = update(undefined, pvc(), "creator", { now: new Date(0) }).object;
    for (let i = 0; i < 12; i++) {
      obj = write(obj, `ctl-${i}`, (o) => (o.metadata.labels![`l${i}`] = "v"), { now: new Date((i + 1) * 1000) }).object;
    }
    const entries = obj.metadata.managedFields!;
    expect(entries.filter((e) => e.operation === "Update")).toHaveLength(10);
    const ancient = find(entries, "ancient-changes")!;
    expect(JSON.stringify(ancient.fieldsV1)).toContain("f:l0");
    expect(JSON.stringify(ancient.fieldsV1)).toContain("f:storageClassName");
    expect(find(entries, "ctl-11")).toBeDefined();
  });
});
