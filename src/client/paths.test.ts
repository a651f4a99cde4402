import { describe, expect, it } from "vitest";
import { RequestConstructionError } from "./errors.js";
import { collectionPath, objectKey, objectPath, splitKey, type ResourceRef } from "./paths.js";

const pvc: ResourceRef = { group: "", version: "v1", kind: "PersistentVolumeClaim", plural: "persistentvolumeclaims", namespaced: true };
const sc: ResourceRef = { group: "storage.k8s.io", version: "v1", kind: "StorageClass", plural: "storageclasses", namespaced: false };

describe("REST paths", () => {
  it("lays out core and named-group paths", () => {
    expect(collectionPath(pvc, "default")).toBe("/api/v1/namespaces/default/persistentvolumeclaims");
    expect(collectionPath(pvc)).toBe("/api/v1/persistentvolumeclaims");
    expect(objectPath(pvc, "ns1", "x", "status")).toBe("/api/v1/namespaces/ns1/persistentvolumeclaims/x/status");
    expect(collectionPath(sc)).toBe("/apis/storage.k8s.io/v1/storageclasses");
    expect(objectPath(sc, undefined, "efs-sc")).toBe("/apis/storage.k8s.io/v1/storageclasses/efs-sc");
  });

  it("refuses arguments that would change the path's shape", () => {
    for (const bad of ["..", ".", "a/b", "a%2Fb", "", "a?b", "a#b", "x".repeat(254)]) {
      expect(() => objectPath(pvc, "default", bad)).toThrow(RequestConstructionError);
      expect(() => collectionPath(pvc, bad === "" ? "a/b" : bad)).toThrow(RequestConstructionError);
    }
  });

  it("requires a namespace for namespaced objects and refuses one for cluster-scoped kinds", () => {
    expect(() => objectPath(pvc, undefined, "x")).toThrow(/namespace is required/);
    expect(() => objectPath(sc, "default", "x")).toThrow(/cluster-scoped/);
    expect(() => collectionPath(sc, "default")).toThrow(/cluster-scoped/);
  });

  it("builds and splits cache keys", () => {
    expect(objectKey({ metadata: { namespace: "ns", name: "a" } })).toBe("ns/a");
    expect(objectKey({ metadata: { name: "pv1" } })).toBe("pv1");
    expect(splitKey("ns/a")).toEqual({ namespace: "ns", name: "a" });
    expect(splitKey("pv1")).toEqual({ name: "pv1" });
  });
});
