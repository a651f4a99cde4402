import { describe, it, expect } from "vitest";
import { unknownFields } from "./unknown-fields.js";
import { guidePersistentVolume, guidePersistentVolumeClaim, guidePod, guideStorageClass } from "../testing/guide-fixtures.js";

describe("unknownFields (strict decoding paths)", () => {
  it("finds nothing in the guide's manifests", () => {
    expect(unknownFields(guideStorageClass(), "io.k8s.api.storage.v1.StorageClass")).toEqual([]);
    expect(unknownFields(guidePersistentVolume(), "io.k8s.api.core.v1.PersistentVolume")).toEqual([]);
    expect(unknownFields(guidePersistentVolumeClaim(), "io.k8s.api.core.v1.PersistentVolumeClaim")).toEqual([]);
    expect(unknownFields(guidePod(), "io.k8s.api.core.v1.Pod")).toEqual([]);
  });

  it("names unknown fields as upstream's strict decoder does", () => {
    const pod = guidePod() as Record<string, any>;
    pod.spec.foo = 1;
    pod.spec.containers[0].bar = true;
    pod.spec.containers[0].volumeMounts[0].readonly = true;
    pod.metadata.lables = {};
    pod.status = { phase: "Running", podIPs: [{ ip: "1.2.3.4", family: "v4" }] };
    // Document order, as the decoder meets them.
    expect(unknownFields(pod, "io.k8s.api.core.v1.Pod")).toEqual([
      "metadata.lables",
      "spec.containers[0].volumeMounts[0].readonly",
      "spec.containers[0].bar",
      "spec.foo",
      "status.podIPs[0].family",
    ]);
  });

  it("accepts any key in maps and anything under preserve-unknown-fields", () => {
    const pvc = guidePersistentVolumeClaim() as Record<string, any>;
    pvc.metadata.labels = { anything: "goes" };
    pvc.spec.resources.requests["example.com/foo"] = "1";
    expect(unknownFields(pvc, "io.k8s.api.core.v1.PersistentVolumeClaim")).toEqual([]);
    const pv = guidePersistentVolume() as Record<string, any>;
    delete pv.spec.csi;
    pv.spec.gcePersistentDisk = { pdName: "d", whatever: { deep: 1 } };
    expect(unknownFields(pv, "io.k8s.api.core.v1.PersistentVolume")).toEqual([]);
    pv.spec.csi = { driver: "d", volumeHandle: "h", volumeAttributes: { k: "v" }, typo: 1 };
    expect(unknownFields(pv, "io.k8s.api.core.v1.PersistentVolume")).toEqual(["spec.csi.typo"]);
  });

  it("returns [] for an unknown schema name", () => {
    expect(unknownFields({ a: 1 }, "io.k8s.api.apps.v1.Deployment")).toEqual([]);
  });
});
