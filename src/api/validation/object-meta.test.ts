import { describe, it, expect } from "vitest";
import { validateObjectMeta } from "./validate-meta.js";
import { prepareMetaForUpdate } from "./object-meta.js";
import { messages } from "../testing/harness.js";
import { persistentVolumeClaims } from "../kinds/persistent-volume-claim.js";
import { persistentVolumes } from "../kinds/persistent-volume.js";
import { namespaces } from "../kinds/namespace.js";
import { roles } from "../kinds/role.js";
import type { KubeObject, ObjectMeta } from "../types.js";

const pvc = (meta: ObjectMeta): KubeObject => ({ apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: meta });

describe("validateObjectMeta: create rules", () => {
  it("requires a name or generateName", () => {
    expect(messages(validateObjectMeta(pvc({ namespace: "default" }), persistentVolumeClaims))).toEqual(["metadata.name: Required value: name or generateName is required"]);
  });
  it("requires a namespace iff namespaced", () => {
    expect(messages(validateObjectMeta(pvc({ name: "x" }), persistentVolumeClaims))).toEqual(["metadata.namespace: Required value"]);
    const pv = { apiVersion: "v1", kind: "PersistentVolume", metadata: { name: "x", namespace: "default" } };
    expect(messages(validateObjectMeta(pv, persistentVolumes))).toEqual(["metadata.namespace: Forbidden: not allowed on this type"]);
  });
  it("uses the kind's name rule (subdomain, label, path segment)", () => {
    expect(validateObjectMeta(pvc({ name: "a.b", namespace: "default" }), persistentVolumeClaims)).toEqual([]);
    expect(validateObjectMeta({ apiVersion: "v1", kind: "Namespace", metadata: { name: "a.b" } }, namespaces)).toHaveLength(1);
    expect(validateObjectMeta({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: { name: "system:Admin", namespace: "d" } }, roles)).toEqual([]);
  });
  it("checks labels, annotations (and their 256 KiB limit), finalizers", () => {
    const errs = messages(
      validateObjectMeta(
        pvc({
          name: "x",
          namespace: "default",
          labels: { "bad key": "v", ok: "bad value" },
          annotations: { big: "x".repeat(256 * 1024) },
          finalizers: ["kubernetes.io/pvc-protection", "custom", "orphan", "foregroundDeletion"],
        }),
        persistentVolumeClaims,
      ),
    );
    expect(errs[0]).toMatch(/^metadata\.labels: Invalid value: "bad key": name part must consist of/);
    expect(errs[1]).toMatch(/^metadata\.labels: Invalid value: "bad value": a valid label must be an empty string/);
    expect(errs).toContain("metadata.annotations: Too long: may not be more than 262144 bytes");
    expect(errs).toContain('metadata.finalizers: Invalid value: []string{"kubernetes.io/pvc-protection", "custom", "orphan", "foregroundDeletion"}: finalizer orphan and foregroundDeletion cannot be both set');
    expect(errs).toContain('metadata.finalizers: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified');
  });
  it("allows only one controller owner", () => {
    const refs = [
      { apiVersion: "v1", kind: "Pod", name: "a", uid: "1", controller: true },
      { apiVersion: "v1", kind: "Pod", name: "b", uid: "2", controller: true },
    ];
    const errs = messages(validateObjectMeta(pvc({ name: "x", namespace: "default", ownerReferences: refs }), persistentVolumeClaims));
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatch(/Only one reference can have Controller set to true\. Found "true" in references for Pod\/a and Pod\/b$/);
  });
});

describe("validateObjectMeta: update rules", () => {
  const old = pvc({ name: "x", namespace: "default", uid: "u1", resourceVersion: "5", creationTimestamp: "2025-01-01T00:00:00Z", finalizers: ["a.io/f"], deletionTimestamp: "2025-01-02T00:00:00Z" });
  it("freezes identity fields and refuses new finalizers while deleting", () => {
    const next = pvc({ name: "y", namespace: "default", uid: "u2", resourceVersion: "5", creationTimestamp: "2025-01-01T00:00:00Z", finalizers: ["a.io/f", "b.io/g"], deletionTimestamp: "2025-01-02T00:00:00Z" });
    expect(messages(validateObjectMeta(next, persistentVolumeClaims, old))).toEqual([
      'metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"b.io/g"}',
      'metadata.name: Invalid value: "y": field is immutable',
      'metadata.uid: Invalid value: "u2": field is immutable',
    ]);
  });
  it("requires a resourceVersion", () => {
    const next = pvc({ name: "x", namespace: "default", uid: "u1", creationTimestamp: "2025-01-01T00:00:00Z", deletionTimestamp: "2025-01-02T00:00:00Z", finalizers: ["a.io/f"] });
    expect(messages(validateObjectMeta(next, persistentVolumeClaims, old))).toEqual(['metadata.resourceVersion: Invalid value: "": must be specified for an update']);
  });
  it("prepareMetaForUpdate restores server-owned fields", () => {
    const meta: ObjectMeta = { name: "x", generation: 9 };
    prepareMetaForUpdate(meta, { name: "x", uid: "u1", resourceVersion: "7", creationTimestamp: "t0", deletionTimestamp: "t1", generation: 2 });
    expect(meta).toEqual({ name: "x", uid: "u1", resourceVersion: "7", creationTimestamp: "t0", deletionTimestamp: "t1", generation: 2 });
    const pinned: ObjectMeta = { name: "x", resourceVersion: "3" };
    prepareMetaForUpdate(pinned, { name: "x", resourceVersion: "7" });
    expect(pinned.resourceVersion).toBe("3");
  });
});
