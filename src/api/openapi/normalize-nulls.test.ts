import { describe, expect, it } from "vitest";
import { normalizeNulls } from "./normalize-nulls.js";

describe("normalizeNulls (Go's decoding of null)", () => {
  it("drops null struct fields and zero-fills null list elements and map values", () => {
    const pvc: any = {
      apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "x", labels: { a: null } },
      spec: { accessModes: [null, "ReadWriteOnce"], storageClassName: null, resources: { requests: { storage: "1Gi" }, limits: { storage: null } } },
    };
    normalizeNulls(pvc, "io.k8s.api.core.v1.PersistentVolumeClaim");
    expect(pvc.spec.storageClassName).toBeUndefined();
    expect(pvc.spec.accessModes).toEqual(["", "ReadWriteOnce"]);
    expect(pvc.spec.resources.limits.storage).toBe("0");
    expect(pvc.metadata.labels.a).toBe("");
  });

  it("turns a null element of a list of objects into an empty object", () => {
    const node: any = { apiVersion: "storage.k8s.io/v1", kind: "CSINode", metadata: { name: "n" }, spec: { drivers: [null] } };
    normalizeNulls(node, "io.k8s.api.storage.v1.CSINode");
    expect(node.spec.drivers).toEqual([{}]);
  });

  it("leaves free-form fields alone", () => {
    const cm: any = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, data: { k: "v" } };
    normalizeNulls(cm, "io.k8s.api.core.v1.ConfigMap");
    expect(cm.data).toEqual({ k: "v" });
  });
});
