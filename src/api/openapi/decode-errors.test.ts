import { describe, it, expect } from "vitest";
import { decodeErrors } from "./decode-errors.js";
import { guidePersistentVolume, guidePersistentVolumeClaim, guidePod, guideStorageClass } from "../testing/guide-fixtures.js";
import { resources } from "../registry.js";

describe("decodeErrors (what typed decoding rejects with 400)", () => {
  it("accepts the guide's manifests", () => {
    expect(decodeErrors(guideStorageClass(), "io.k8s.api.storage.v1.StorageClass")).toEqual([]);
    expect(decodeErrors(guidePersistentVolume(), "io.k8s.api.core.v1.PersistentVolume")).toEqual([]);
    expect(decodeErrors(guidePersistentVolumeClaim(), "io.k8s.api.core.v1.PersistentVolumeClaim")).toEqual([]);
    expect(decodeErrors(guidePod(), "io.k8s.api.core.v1.Pod")).toEqual([]);
  });

  it("names wrong JSON types with the Go field path and type", () => {
    const pvc = guidePersistentVolumeClaim() as Record<string, any>;
    pvc.spec.storageClassName = 5;
    pvc.spec.accessModes = "ReadWriteMany";
    expect(decodeErrors(pvc, "io.k8s.api.core.v1.PersistentVolumeClaim")).toEqual([
      "json: cannot unmarshal string into Go struct field PersistentVolumeClaimSpec.spec.accessModes of type []string",
      "json: cannot unmarshal number into Go struct field PersistentVolumeClaimSpec.spec.storageClassName of type string",
    ]);
    const pod = guidePod() as Record<string, any>;
    pod.spec.containers = { name: "x" };
    pod.spec.terminationGracePeriodSeconds = 1.5;
    expect(decodeErrors(pod, "io.k8s.api.core.v1.Pod")).toEqual([
      "json: cannot unmarshal object into Go struct field PodSpec.spec.containers of type []v1.Container",
      "json: cannot unmarshal number into Go struct field PodSpec.spec.terminationGracePeriodSeconds of type int64",
    ]);
  });

  it("rejects unparsable quantities with upstream's message and accepts numbers", () => {
    const pvc = guidePersistentVolumeClaim() as Record<string, any>;
    pvc.spec.resources.requests.storage = 5;
    expect(decodeErrors(pvc, "io.k8s.api.core.v1.PersistentVolumeClaim")).toEqual([]);
    pvc.spec.resources.requests.storage = "5 GB";
    expect(decodeErrors(pvc, "io.k8s.api.core.v1.PersistentVolumeClaim")).toEqual(["quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"]);
  });

  it("accepts null anywhere and ints or strings for IntOrString", () => {
    const pod = guidePod() as Record<string, any>;
    pod.spec.volumes = null;
    pod.spec.containers[0].livenessProbe = { httpGet: { port: "http", path: "/" } };
    pod.spec.containers[0].readinessProbe = { tcpSocket: { port: 8080 } };
    expect(decodeErrors(pod, "io.k8s.api.core.v1.Pod")).toEqual([]);
    pod.spec.containers[0].readinessProbe.tcpSocket.port = true;
    expect(decodeErrors(pod, "io.k8s.api.core.v1.Pod")).toEqual(["json: cannot unmarshal bool into Go struct field TCPSocketAction.spec.containers[0].readinessProbe.tcpSocket.port of type intstr.IntOrString"]);
  });

  it("rejects secret data that is not base64, as Go's []byte decoding does", () => {
    const secret = { apiVersion: "v1", kind: "Secret", metadata: { name: "s" }, data: { ok: "aGk=", bad: "hi!" } };
    expect(decodeErrors(secret, "io.k8s.api.core.v1.Secret")).toEqual(["illegal base64 data at input byte 2"]);
  });

  it("never throws on arbitrary input for any kind", () => {
    const junk = [1, "x", [], { spec: 1, status: [], metadata: { labels: [1] } }, { spec: { a: { b: [null, 1, "s"] } } }];
    for (const r of resources) for (const j of junk) expect(() => decodeErrors(j, r.schemaName)).not.toThrow();
    expect(decodeErrors({ metadata: { labels: { a: 1 } } }, "io.k8s.api.core.v1.ConfigMap")).toEqual([
      "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels.a of type string",
    ]);
  });
});
