/**
 * kubectl's real sequences against the functions the API server calls: `kubectl apply`
 * (client-side: POST, then strategic merge PATCHes with fieldManager kubectl-client-side-apply)
 * followed by `kubectl apply --server-side` (fieldManager kubectl, then kubectl-last-applied).
 */
import { describe, expect, it } from "vitest";
import { StatusError } from "../../../api/status.js";
import type { KubeObject } from "../../../api/types.js";
import { decodeFieldsV1, encodeFieldsV1 } from "../fieldpath/fieldsv1.js";
import { canonicalJson, type JsonObject } from "../json.js";
import { jsonPatch } from "../json-patch.js";
import { strategicMergePatch } from "../strategic/strategic-merge-patch.js";
import { pvcCtx } from "../testdata/schemas.js";
import { LAST_APPLIED_ANNOTATION } from "./last-applied.js";
import { serverSideApply } from "./server-side-apply.js";
import { updateManagedFields } from "./update-managed-fields.js";

const T0 = new Date("2026-03-01T10:00:00Z");
const T1 = new Date("2026-03-01T11:00:00Z");
const CSA = "kubectl-client-side-apply";

function manifest(storage = "1Gi"): JsonObject {
  return {
    apiVersion: "v1", kind: "PersistentVolumeClaim",
    metadata: { name: "x", namespace: "default", labels: { app: "demo" } },
    spec: { accessModes: ["ReadWriteMany"], resources: { requests: { storage } }, storageClassName: "efs-sc" },
  };
}

/** kubectl's annotation: the manifest as compact JSON with sorted keys, plus a newline. */
const annotation = (m: JsonObject) => `${canonicalJson(m)}\n`;

function withAnnotation(m: JsonObject): KubeObject {
  const body = structuredClone(m) as KubeObject;
  body.metadata.annotations = { [LAST_APPLIED_ANNOTATION]: annotation(m) };
  return body;
}

function store(obj: KubeObject, rv: string): KubeObject {
  const o = structuredClone(obj);
  o.metadata.uid = "uid-1";
  o.metadata.resourceVersion = rv;
  o.metadata.creationTimestamp = "2026-03-01T10:00:00Z";
  return o;
}

/** `kubectl apply -f` of a new object: POST with the annotation. */
function clientSideCreate(m: JsonObject): KubeObject {
  const { object } = updateManagedFields({ old: undefined, updated: withAnnotation(m), manager: CSA, apiVersion: "v1", now: T0, ...pvcCtx, subresource: "" });
  return store(object, "1");
}

/** `kubectl apply -f` of a changed manifest: a strategic merge patch of what changed. */
function clientSideUpdate(live: KubeObject, patch: JsonObject, manager = CSA): KubeObject {
  const patched = strategicMergePatch(live, patch, pvcCtx) as KubeObject;
  const { object } = updateManagedFields({ old: live, updated: patched, manager, apiVersion: "v1", now: T0, ...pvcCtx, subresource: "" });
  return store(object, "2");
}

function ssa(live: KubeObject, applied: JsonObject, manager = "kubectl", force = false) {
  return serverSideApply({ live, applied, manager, force, apiVersion: "v1", now: T1, ...pvcCtx, subresource: "" });
}

function statusOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (e) {
    if (e instanceof StatusError) return e;
    throw e;
  }
  throw new Error("expected a StatusError");
}

const fieldsOf = (r: { managedFields: { manager: string; fieldsV1: unknown }[] }, manager: string) =>
  JSON.stringify(r.managedFields.find((m) => m.manager === manager)?.fieldsV1 ?? null);

describe("kubectl apply, then kubectl apply --server-side", () => {
  it("the client-side create records the annotation and the manifest's fields for kubectl-client-side-apply", () => {
    const live = clientSideCreate(manifest());
    expect(live.metadata.managedFields).toEqual([
      {
        manager: CSA, operation: "Update", apiVersion: "v1", time: "2026-03-01T10:00:00Z", fieldsType: "FieldsV1",
        fieldsV1: {
          "f:metadata": { "f:annotations": { ".": {}, [`f:${LAST_APPLIED_ANNOTATION}`]: {} }, "f:labels": { ".": {}, "f:app": {} } },
          "f:spec": { "f:accessModes": {}, "f:resources": { "f:requests": { ".": {}, "f:storage": {} } }, "f:storageClassName": {} },
        },
      },
    ]);
  });

  it("server-side applying the same manifest: no conflict, same values, kubectl co-owns the fields", () => {
    const live = clientSideCreate(manifest());
    const out = ssa(live, manifest());
    const { managedFields: _m, ...liveMeta } = live.metadata;
    const { managedFields: _o, ...outMeta } = out.object.metadata;
    expect(outMeta).toEqual(liveMeta);
    expect(out.object.spec).toEqual(live.spec);
    expect(out.managedFields.map((m) => [m.manager, m.operation])).toEqual([["kubectl", "Apply"], [CSA, "Update"]]);
    expect(out.managedFields[1]).toEqual(live.metadata.managedFields![0]);

    // kubectl's follow-up patch (fieldManager kubectl-last-applied) sets the annotation the server already synced.
    const annotationOnly = { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "x", namespace: "default", annotations: { [LAST_APPLIED_ANNOTATION]: annotation(manifest()) } } };
    const follow = ssa(store(out.object, "3"), annotationOnly, "kubectl-last-applied");
    expect(follow.object.metadata.annotations).toEqual(live.metadata.annotations);
  });

  it("another field manager changing a field owned by kubectl-client-side-apply conflicts; force moves ownership", () => {
    const live = clientSideCreate(manifest());
    const e = statusOf(() => ssa(live, manifest("2Gi"), "ci"));
    expect([e.code, e.reason]).toEqual([409, "Conflict"]);
    expect(e.message).toBe('Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: .spec.resources.requests.storage');
    expect(e.details?.causes).toEqual([
      { reason: "FieldManagerConflict", message: 'conflict with "kubectl-client-side-apply" using v1', field: ".spec.resources.requests.storage" },
    ]);

    const forced = ssa(live, manifest("2Gi"), "ci", true);
    expect((forced.object.spec as JsonObject).resources).toEqual({ requests: { storage: "2Gi" } });
    expect(fieldsOf(forced, "ci")).toContain('"f:storage"');
    expect(fieldsOf(forced, CSA)).not.toContain('"f:storage"');
    expect(fieldsOf(forced, CSA)).toContain('"f:storageClassName"');
  });

  it("kubectl itself takes over fields its last-applied annotation explains (upstream's upgrade path) and rewrites the annotation", () => {
    const live = clientSideCreate(manifest());
    const out = ssa(live, manifest("2Gi"));
    expect((out.object.spec as JsonObject).resources).toEqual({ requests: { storage: "2Gi" } });
    expect(fieldsOf(out, CSA)).not.toContain('"f:storage"');
    expect(out.object.metadata.annotations?.[LAST_APPLIED_ANNOTATION]).toBe(annotation(manifest("2Gi")));
  });

  it("kubectl still conflicts on a field someone changed since the last client-side apply", () => {
    const edited = clientSideUpdate(clientSideCreate(manifest()), { spec: { resources: { requests: { storage: "5Gi" } } } }, "kubectl-edit");
    const e = statusOf(() => ssa(edited, manifest("2Gi")));
    expect(e.message).toBe('Apply failed with 1 conflict: conflict with "kubectl-edit" using v1: .spec.resources.requests.storage');
  });

  it("a later client-side apply that changes a field moves it back to kubectl-client-side-apply", () => {
    const live = clientSideCreate(manifest());
    const afterSsa = store(ssa(live, manifest()).object, "3");
    const m2 = manifest("3Gi");
    const csa = clientSideUpdate(afterSsa, { metadata: { annotations: { [LAST_APPLIED_ANNOTATION]: annotation(m2) } }, spec: { resources: { requests: { storage: "3Gi" } } } });
    const out = { managedFields: csa.metadata.managedFields! };
    expect(fieldsOf(out, "kubectl")).not.toContain('"f:storage"');
    expect(fieldsOf(out, CSA)).toContain('"f:storage"');
  });

  it("after kubectl migrates client-side ownership (JSON patch of managedFields), removing a label removes it", () => {
    const live = clientSideCreate(manifest());
    const applied = store(ssa(live, manifest()).object, "3");
    // Still co-owned by kubectl-client-side-apply: dropping the label from the manifest keeps it.
    const noLabels = { ...manifest(), metadata: { name: "x", namespace: "default" } };
    expect(ssa(applied, noLabels).object.metadata.labels).toEqual({ app: "demo" });

    // kubectl's csaupgrade: fold the client-side entry into kubectl's Apply entry, guarded by resourceVersion.
    const entries = applied.metadata.managedFields!;
    const mine = entries.find((e) => e.manager === "kubectl")!;
    const theirs = entries.find((e) => e.manager === CSA)!;
    const merged = { ...mine, fieldsV1: encodeFieldsV1(decodeFieldsV1(mine.fieldsV1).union(decodeFieldsV1(theirs.fieldsV1))) };
    const patched = jsonPatch(applied, [
      { op: "replace", path: "/metadata/managedFields", value: [merged] },
      { op: "replace", path: "/metadata/resourceVersion", value: "3" },
    ]) as KubeObject;
    const migrated = store(updateManagedFields({ old: applied, updated: patched, manager: "kubectl", apiVersion: "v1", now: T1, ...pvcCtx, subresource: "" }).object, "4");
    expect(migrated.metadata.managedFields!.map((e) => e.manager)).toEqual(["kubectl"]);

    const out = ssa(migrated, noLabels);
    expect(out.object.metadata.labels).toBeUndefined();
    // kubectl now owns the annotation too and no longer applies it: migration ends client-side apply.
    expect(out.object.metadata.annotations).toBeUndefined();
  });
});
