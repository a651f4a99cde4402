import { describe, it, expect } from "vitest";
import {
  accessModesAsString,
  accessModesContainAll,
  canonicalAccessModes,
  defaultStorageClass,
  getClaimClass,
  getVolumeClass,
  isDefaultStorageClass,
  volumeModeMismatch,
  BETA_STORAGE_CLASS_ANNOTATION,
  DEFAULT_STORAGE_CLASS_ANNOTATION,
  BETA_DEFAULT_STORAGE_CLASS_ANNOTATION,
  PVC_PROTECTION_FINALIZER,
  PV_PROTECTION_FINALIZER,
  BIND_COMPLETED_ANNOTATION,
  BOUND_BY_CONTROLLER_ANNOTATION,
  PROVISIONED_BY_ANNOTATION,
  STORAGE_PROVISIONER_ANNOTATION,
  BETA_STORAGE_PROVISIONER_ANNOTATION,
  SELECTED_NODE_ANNOTATION,
} from "./storage-helpers.js";

const sc = (name: string, created: string, ann?: Record<string, string>) => ({ metadata: { name, creationTimestamp: created, annotations: ann } });

describe("storage helpers", () => {
  it("exports upstream's annotation and finalizer keys", () => {
    expect([BIND_COMPLETED_ANNOTATION, BOUND_BY_CONTROLLER_ANNOTATION, PROVISIONED_BY_ANNOTATION]).toEqual([
      "pv.kubernetes.io/bind-completed",
      "pv.kubernetes.io/bound-by-controller",
      "pv.kubernetes.io/provisioned-by",
    ]);
    expect([STORAGE_PROVISIONER_ANNOTATION, BETA_STORAGE_PROVISIONER_ANNOTATION, SELECTED_NODE_ANNOTATION]).toEqual([
      "volume.kubernetes.io/storage-provisioner",
      "volume.beta.kubernetes.io/storage-provisioner",
      "volume.kubernetes.io/selected-node",
    ]);
    expect([PVC_PROTECTION_FINALIZER, PV_PROTECTION_FINALIZER]).toEqual(["kubernetes.io/pvc-protection", "kubernetes.io/pv-protection"]);
  });

  it("class resolution prefers the beta annotation, even when empty", () => {
    expect(getClaimClass({ spec: { storageClassName: "a" } })).toBe("a");
    expect(getClaimClass({ spec: {} })).toBe("");
    expect(getClaimClass({ metadata: { annotations: { [BETA_STORAGE_CLASS_ANNOTATION]: "" } }, spec: { storageClassName: "a" } })).toBe("");
    expect(getVolumeClass({ metadata: { annotations: { [BETA_STORAGE_CLASS_ANNOTATION]: "b" } }, spec: { storageClassName: "a" } })).toBe("b");
  });

  it("picks the newest default class, then the first name", () => {
    const classes = [
      sc("old", "2024-01-01T00:00:00Z", { [DEFAULT_STORAGE_CLASS_ANNOTATION]: "true" }),
      sc("zeta", "2024-06-01T00:00:00Z", { [BETA_DEFAULT_STORAGE_CLASS_ANNOTATION]: "true" }),
      sc("alpha", "2024-06-01T00:00:00Z", { [DEFAULT_STORAGE_CLASS_ANNOTATION]: "true" }),
      sc("newest-not-default", "2025-01-01T00:00:00Z", { [DEFAULT_STORAGE_CLASS_ANNOTATION]: "True" }),
    ];
    expect(defaultStorageClass(classes)?.metadata.name).toBe("alpha");
    expect(defaultStorageClass([sc("x", "2024-01-01T00:00:00Z")])).toBeUndefined();
    expect(isDefaultStorageClass(classes[3])).toBe(false);
  });

  it("access modes: canonical order, abbreviations, containment", () => {
    expect(canonicalAccessModes(["ReadWriteMany", "ReadWriteOnce", "ReadWriteMany", "Bogus"])).toEqual(["ReadWriteOnce", "ReadWriteMany"]);
    expect(accessModesAsString(["ReadWriteOncePod", "ReadOnlyMany", "ReadWriteOnce"])).toBe("RWO,ROX,RWOP");
    expect(accessModesContainAll(["ReadWriteOnce", "ReadWriteMany"], ["ReadWriteMany"])).toBe(true);
    expect(accessModesContainAll(["ReadWriteOnce"], ["ReadWriteMany"])).toBe(false);
  });

  it("volume modes: unset means Filesystem", () => {
    expect(volumeModeMismatch(undefined, "Filesystem")).toBe(false);
    expect(volumeModeMismatch("Block", undefined)).toBe(true);
  });
});
