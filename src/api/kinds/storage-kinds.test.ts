import { describe, it, expect } from "vitest";
import { persistentVolumes, type PersistentVolume } from "./persistent-volume.js";
import { persistentVolumeClaims, type PersistentVolumeClaim } from "./persistent-volume-claim.js";
import { storageClasses, type StorageClass } from "./storage-class.js";
import { guidePersistentVolume, guidePersistentVolumeClaim, guideStorageClass } from "../testing/guide-fixtures.js";
import { ctx, NOW, stored } from "../testing/harness.js";

const later = new Date(NOW.getTime() + 5 * 60_000);

describe("PersistentVolume defaults and strategy", () => {
  it("defaults reclaim Retain, volumeMode Filesystem, phase Pending; canonical capacity", () => {
    const pv = guidePersistentVolume<PersistentVolume>();
    delete pv.spec!.persistentVolumeReclaimPolicy;
    pv.spec!.capacity = { storage: "1.5Gi" };
    persistentVolumes.applyDefaults(pv);
    expect(pv.spec!.persistentVolumeReclaimPolicy).toBe("Retain");
    expect(pv.spec!.volumeMode).toBe("Filesystem");
    expect(pv.status!.phase).toBe("Pending");
    expect(pv.spec!.capacity!.storage).toBe("1536Mi");
  });

  it("resets status on create to Pending with lastPhaseTransitionTime", () => {
    const pv = guidePersistentVolume<PersistentVolume>();
    pv.status = { phase: "Bound" };
    persistentVolumes.prepareForCreate!(pv, ctx());
    expect(pv.status).toEqual({ phase: "Pending", lastPhaseTransitionTime: "2025-01-01T00:00:00Z" });
  });

  it("drops volumeAttributesClassName on create (feature off in 1.32)", () => {
    const pv = guidePersistentVolume<PersistentVolume>();
    pv.spec!.volumeAttributesClassName = "gold";
    persistentVolumes.prepareForCreate!(pv, ctx());
    expect(pv.spec!.volumeAttributesClassName).toBeUndefined();
  });

  it("main-resource updates keep the stored status", () => {
    const old = stored(guidePersistentVolume<PersistentVolume>());
    const next = structuredClone(old);
    next.status = { phase: "Available" };
    persistentVolumes.prepareForUpdate!(next, old, ctx("", later));
    expect(next.status).toEqual(old.status);
  });

  it("status updates keep spec and stamp lastPhaseTransitionTime only when the phase changes", () => {
    const old = stored(guidePersistentVolume<PersistentVolume>());
    const next = structuredClone(old);
    next.spec!.capacity = { storage: "1Ti" };
    next.status = { phase: "Available" };
    persistentVolumes.prepareForUpdate!(next, old, ctx("status", later));
    expect(next.spec).toEqual(old.spec);
    expect(next.status).toEqual({ phase: "Available", lastPhaseTransitionTime: "2025-01-01T00:05:00Z" });

    const same = structuredClone(next);
    delete same.status!.lastPhaseTransitionTime;
    same.status!.message = "still available";
    persistentVolumes.prepareForUpdate!(same, next, ctx("status", new Date(later.getTime() + 60_000)));
    expect(same.status!.lastPhaseTransitionTime).toBe("2025-01-01T00:05:00Z");

    const explicit = structuredClone(next);
    explicit.status = { phase: "Bound", lastPhaseTransitionTime: "2024-06-01T00:00:00Z" };
    persistentVolumes.prepareForUpdate!(explicit, next, ctx("status", later));
    expect(explicit.status!.lastPhaseTransitionTime).toBe("2024-06-01T00:00:00Z");
  });

  it("prints upstream's PV columns, wide included", () => {
    expect(persistentVolumes.tableColumns.map((c) => [c.name, c.priority])).toEqual([
      ["Name", 0],
      ["Capacity", 0],
      ["Access Modes", 0],
      ["Reclaim Policy", 0],
      ["Status", 0],
      ["Claim", 0],
      ["StorageClass", 0],
      ["VolumeAttributesClass", 0],
      ["Reason", 0],
      ["Age", 0],
      ["VolumeMode", 1],
    ]);
    expect(persistentVolumes.tableColumns[0].format).toBe("name");
    const pv = stored(guidePersistentVolume<PersistentVolume>());
    pv.spec!.claimRef = { namespace: "default", name: "efs-pvc" };
    pv.status = { phase: "Bound" };
    expect(persistentVolumes.tableRow(pv, later)).toEqual(["efs-pv", "100Gi", "RWX", "Retain", "Bound", "default/efs-pvc", "efs-sc", "<unset>", "", "5m", "Filesystem"]);
    pv.metadata.deletionTimestamp = "2025-01-01T00:04:00Z";
    expect(persistentVolumes.tableRow(pv, later)[4]).toBe("Terminating");
  });

  it("serves the legacy 'name' field selector", () => {
    const pv = stored(guidePersistentVolume<PersistentVolume>());
    expect(persistentVolumes.fieldSelectors.name(pv)).toBe("efs-pv");
  });
});

describe("PersistentVolumeClaim defaults and strategy", () => {
  it("defaults volumeMode and phase, canonicalises the request", () => {
    const pvc = guidePersistentVolumeClaim<PersistentVolumeClaim>();
    pvc.spec!.resources!.requests!.storage = "5120Mi";
    persistentVolumeClaims.applyDefaults(pvc);
    expect(pvc.spec!.volumeMode).toBe("Filesystem");
    expect(pvc.status!.phase).toBe("Pending");
    expect(pvc.spec!.resources!.requests!.storage).toBe("5Gi");
  });

  it("resets status to Pending on create and keeps status on main updates", () => {
    const pvc = guidePersistentVolumeClaim<PersistentVolumeClaim>();
    pvc.status = { phase: "Bound", capacity: { storage: "1Ti" } };
    persistentVolumeClaims.prepareForCreate!(pvc, ctx());
    expect(pvc.status).toEqual({ phase: "Pending" });
    const old = stored(guidePersistentVolumeClaim<PersistentVolumeClaim>());
    const next = structuredClone(old);
    next.status = { phase: "Lost" };
    persistentVolumeClaims.prepareForUpdate!(next, old, ctx());
    expect(next.status).toEqual({ phase: "Pending" });
  });

  it("status updates keep the spec", () => {
    const old = stored(guidePersistentVolumeClaim<PersistentVolumeClaim>());
    const next = structuredClone(old);
    next.spec!.volumeName = "sneaky";
    next.status = { phase: "Bound" };
    persistentVolumeClaims.prepareForUpdate!(next, old, ctx("status"));
    expect(next.spec).toEqual(old.spec);
    expect(next.status!.phase).toBe("Bound");
  });

  it("prints upstream's PVC columns; capacity and modes only once bound", () => {
    expect(persistentVolumeClaims.tableColumns.map((c) => c.name)).toEqual([
      "Name",
      "Status",
      "Volume",
      "Capacity",
      "Access Modes",
      "StorageClass",
      "VolumeAttributesClass",
      "Age",
      "VolumeMode",
    ]);
    expect(persistentVolumeClaims.tableColumns.at(-1)!.priority).toBe(1);
    const pvc = stored(guidePersistentVolumeClaim<PersistentVolumeClaim>());
    expect(persistentVolumeClaims.tableRow(pvc, later)).toEqual(["efs-pvc", "Pending", "", "", "", "efs-sc", "<unset>", "5m", "Filesystem"]);
    pvc.spec!.volumeName = "efs-pv";
    pvc.status = { phase: "Bound", capacity: { storage: "100Gi" }, accessModes: ["ReadWriteMany", "ReadWriteOnce"] };
    expect(persistentVolumeClaims.tableRow(pvc, later)).toEqual(["efs-pvc", "Bound", "efs-pv", "100Gi", "RWO,RWX", "efs-sc", "<unset>", "5m", "Filesystem"]);
  });

  it("shows the beta class annotation over the field", () => {
    const pvc = stored(guidePersistentVolumeClaim<PersistentVolumeClaim>());
    pvc.metadata.annotations = { "volume.beta.kubernetes.io/storage-class": "legacy" };
    expect(persistentVolumeClaims.tableRow(pvc, later)[5]).toBe("legacy");
  });
});

describe("StorageClass table", () => {
  it("marks the default class and renders defaults for unset fields", () => {
    const sc = stored(guideStorageClass<StorageClass>());
    sc.metadata.annotations = { "storageclass.kubernetes.io/is-default-class": "true" };
    expect(storageClasses.tableColumns.map((c) => c.name)).toEqual(["Name", "Provisioner", "ReclaimPolicy", "VolumeBindingMode", "AllowVolumeExpansion", "Age"]);
    expect(storageClasses.tableRow(sc, later)).toEqual(["efs-sc (default)", "efs.csi.aws.com", "Delete", "Immediate", false, "5m"]);
  });
});
