import { describe, expect, it } from "vitest";
import { FINALIZER_EXTERNAL_PROVISIONER, FINALIZER_PV_PROTECTION, FINALIZER_PVC_PROTECTION } from "../model/constants.js";
import type { PersistentVolume, PersistentVolumeClaim, Pod } from "../model/types.js";
import { pvProtectionAction, pvcProtectionAction } from "./decide.js";

const claim = (deleting: boolean, finalizers = [FINALIZER_PVC_PROTECTION]): PersistentVolumeClaim => ({
  apiVersion: "v1",
  kind: "PersistentVolumeClaim",
  metadata: { name: "data", namespace: "ns", finalizers, ...(deleting ? { deletionTimestamp: "2024-01-01T00:00:00Z" } : {}) },
  spec: {},
});
const pod = (o: { node?: string; phase?: string; ns?: string; claim?: string; ephemeral?: boolean; shutDown?: boolean } = {}): Pod => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "p", namespace: o.ns ?? "ns", ...(o.shutDown ? { deletionTimestamp: "2024-01-01T00:00:00Z", deletionGracePeriodSeconds: 0 } : {}) },
  spec: {
    nodeName: o.node,
    volumes: [o.ephemeral ? { name: "data", ephemeral: {} } : { name: "v", persistentVolumeClaim: { claimName: o.claim ?? "data" } }],
  },
  status: { phase: o.phase ?? "Running" },
});

describe("pvc-protection (pvcprotection controller rules)", () => {
  it("adds the finalizer to a live claim that lacks it, and nothing when present", () => {
    expect(pvcProtectionAction(claim(false, []), [])).toBe("add");
    expect(pvcProtectionAction(claim(false), [])).toBe("none");
  });
  it("keeps it while a scheduled running pod mounts the claim", () => {
    expect(pvcProtectionAction(claim(true), [pod({ node: "n1" })])).toBe("keep");
  });
  it("removes it when no pod uses the claim", () => {
    expect(pvcProtectionAction(claim(true), [])).toBe("remove");
  });
  it("unscheduled, terminated, shut-down and other-namespace pods do not block", () => {
    expect(pvcProtectionAction(claim(true), [pod({})])).toBe("remove");
    expect(pvcProtectionAction(claim(true), [pod({ node: "n1", phase: "Succeeded" })])).toBe("remove");
    expect(pvcProtectionAction(claim(true), [pod({ node: "n1", phase: "Failed" })])).toBe("remove");
    expect(pvcProtectionAction(claim(true), [pod({ node: "n1", shutDown: true })])).toBe("remove");
    expect(pvcProtectionAction(claim(true), [pod({ node: "n1", ns: "other" })])).toBe("remove");
    expect(pvcProtectionAction(claim(true), [pod({ node: "n1", claim: "else" })])).toBe("remove");
  });
  it("a generic ephemeral volume's claim (<pod>-<volume>) is protected by its pod", () => {
    const c = claim(true);
    c.metadata.name = "p-data";
    expect(pvcProtectionAction(c, [pod({ node: "n1", ephemeral: true })])).toBe("keep");
  });
  it("a deleting claim without our finalizer is left alone", () => {
    expect(pvcProtectionAction(claim(true, ["other/finalizer"]), [])).toBe("none");
  });
});

describe("pv-protection (pvprotection controller rules)", () => {
  const pv = (phase: string, deleting: boolean, finalizers = [FINALIZER_PV_PROTECTION]): PersistentVolume => ({
    apiVersion: "v1",
    kind: "PersistentVolume",
    metadata: { name: "pv", finalizers, ...(deleting ? { deletionTimestamp: "2024-01-01T00:00:00Z" } : {}) },
    spec: {},
    status: { phase: phase as "Bound" },
  });
  it("a Bound volume is not removed; an unbound one is", () => {
    expect(pvProtectionAction(pv("Bound", true))).toBe("keep");
    expect(pvProtectionAction(pv("Released", true))).toBe("remove");
    expect(pvProtectionAction(pv("Available", true))).toBe("remove");
    expect(pvProtectionAction(pv("Failed", true))).toBe("remove");
  });
  it("adds the finalizer to live volumes and ignores other finalizers", () => {
    expect(pvProtectionAction(pv("Available", false, []))).toBe("add");
    expect(pvProtectionAction(pv("Bound", true, [FINALIZER_EXTERNAL_PROVISIONER]))).toBe("none");
  });
});
