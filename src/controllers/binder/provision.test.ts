/**
 * Upstream's TestProvisionSync / TestProvisionMultiSync (provision_test.go) for what Cistern's
 * controller does — hand claims to external provisioners — plus TestMultiSync (binder_test.go
 * set 10) and the retroactive default class.
 */
import { describe, expect, it } from "vitest";
import {
  ANN_BETA_STORAGE_PROVISIONER as BETA_PROV,
  ANN_BIND_COMPLETED as BC,
  ANN_BOUND_BY_CONTROLLER as BBC,
  ANN_DEFAULT_CLASS,
  ANN_SELECTED_NODE,
  ANN_STORAGE_PROVISIONER as PROV,
} from "../model/constants.js";
import type { PersistentVolume, PersistentVolumeClaim, Pod } from "../model/types.js";
import { newClaim as c, newClass, newVolume as v, type SyncCase } from "./testing/binder-harness.js";
import { expectMultiSyncCase, expectSyncCase } from "./testing/expect-case.js";
import { pickDefaultClass } from "./provision.js";

const R = "Retain";
const D = "Delete";
const classes = [
  newClass("gold", "kubernetes.io/mock-volume"),
  newClass("external", "vendor.com/my-volume"),
  newClass("external-wait", "vendor.com/my-volume-wait", "WaitForFirstConsumer"),
  newClass("unknown-internal", "kubernetes.io/unknown"),
  newClass("local", "kubernetes.io/no-provisioner"),
  newClass("csi", "mydriver.csi.k8s.io"),
];
const ann = (k: string, val: string, pvc: PersistentVolumeClaim) => ((pvc.metadata.annotations = { ...pvc.metadata.annotations, [k]: val }), pvc);
const provisioned = (p: string, pvc: PersistentVolumeClaim) => ann(BETA_PROV, p, ann(PROV, p, pvc));

const tc = (name: string, iv: PersistentVolume[], ev: PersistentVolume[], ic: PersistentVolumeClaim[], ec: PersistentVolumeClaim[], events: string[], extra: Partial<SyncCase> = {}): SyncCase => ({
  name, initialVolumes: iv, expectedVolumes: ev, initialClaims: ic, expectedClaims: ec, expectedEvents: events, test: "claim", classes, ...extra,
});

const provisionSync: SyncCase[] = [
  tc("11-2 - plugin not found (in-tree provisioner name, no in-tree plugins)", [], [],
    [c("claim11-2", "uid11-2", "1Gi", "", "Pending", "gold")],
    [c("claim11-2", "uid11-2", "1Gi", "", "Pending", "gold")],
    ["Warning ProvisioningFailed no volume plugin matched name: kubernetes.io/mock-volume"]),
  tc("11-6 - provisioning when there is a volume available",
    [v("volume11-6", "1Gi", "", "", "Available", R, "gold")],
    [v("volume11-6", "1Gi", "uid11-6", "claim11-6", "Bound", R, "gold", BBC)],
    [c("claim11-6", "uid11-6", "1Gi", "", "Pending", "gold")],
    [c("claim11-6", "uid11-6", "1Gi", "volume11-6", "Bound", "gold", BBC, BC)], []),
  tc("11-14 - fail due to non-existing class", [], [],
    [c("claim11-14", "uid11-14", "1Gi", "", "Pending", "non-existing")],
    [c("claim11-14", "uid11-14", "1Gi", "", "Pending", "non-existing")],
    ["Warning ProvisioningFailed storageclass.storage.k8s.io \"non-existing\" not found"]),
  tc("11-15 - no provisioning with class=''", [], [],
    [c("claim11-15", "uid11-15", "1Gi", "", "Pending", "")],
    [c("claim11-15", "uid11-15", "1Gi", "", "Pending", "")],
    ["Normal FailedBinding no persistent volumes available for this claim and no storage class is set"]),
  tc("11-16 - no provisioning with class=nil", [], [],
    [c("claim11-15", "uid11-15", "1Gi", "", "Pending", undefined)],
    [c("claim11-15", "uid11-15", "1Gi", "", "Pending", undefined)],
    ["Normal FailedBinding"]),
  tc("11-17 - external provisioner", [], [],
    [c("claim11-17", "uid11-17", "1Gi", "", "Pending", "external")],
    [provisioned("vendor.com/my-volume", c("claim11-17", "uid11-17", "1Gi", "", "Pending", "external"))],
    ["Normal ExternalProvisioning Waiting for a volume to be created either by the external provisioner 'vendor.com/my-volume' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered."]),
  tc("11-18 - unknown internal provisioner", [], [],
    [c("claim11-18", "uid11-18", "1Gi", "", "Pending", "unknown-internal")],
    [c("claim11-18", "uid11-18", "1Gi", "", "Pending", "unknown-internal")],
    ["Warning ProvisioningFailed no volume plugin matched name: kubernetes.io/unknown"]),
  tc("11-18b - kubernetes.io/no-provisioner class with no volume", [], [],
    [c("claim11-18b", "uid11-18b", "1Gi", "", "Pending", "local")],
    [c("claim11-18b", "uid11-18b", "1Gi", "", "Pending", "local")],
    ["Warning ProvisioningFailed no volume plugin matched name: kubernetes.io/no-provisioner"]),
  tc("11-22 - external provisioner with volume available",
    [v("volume11-22", "1Gi", "", "", "Available", R, "external")],
    [v("volume11-22", "1Gi", "uid11-22", "claim11-22", "Bound", R, "external", BBC)],
    [c("claim11-22", "uid11-22", "1Gi", "", "Pending", "external")],
    [c("claim11-22", "uid11-22", "1Gi", "volume11-22", "Bound", "external", BBC, BC)], []),
  tc("11-24 - skip finding PV and wait external provisioner for PVC annotated with AnnSelectedNode",
    [v("volume11-24", "1Gi", "", "", "Available", D, "external-wait")],
    [v("volume11-24", "1Gi", "", "", "Available", D, "external-wait")],
    [ann(ANN_SELECTED_NODE, "node1", c("claim11-24", "uid11-24", "1Gi", "", "Pending", "external-wait"))],
    [provisioned("vendor.com/my-volume-wait", ann(ANN_SELECTED_NODE, "node1", c("claim11-24", "uid11-24", "1Gi", "", "Pending", "external-wait")))],
    ["Normal ExternalProvisioning"]),
  tc("11-26 - csi with data source",
    [], [],
    [ann(PROV, "mydriver.csi.k8s.io", ((x) => ((x.spec.dataSource = { name: "test-snap", kind: "VolumeSnapshot", apiGroup: "snapshot.storage.k8s.io" }), x))(c("claim11-26", "uid11-26", "1Gi", "", "Pending", "csi")))],
    [ann(PROV, "mydriver.csi.k8s.io", ((x) => ((x.spec.dataSource = { name: "test-snap", kind: "VolumeSnapshot", apiGroup: "snapshot.storage.k8s.io" }), x))(c("claim11-26", "uid11-26", "1Gi", "", "Pending", "csi")))],
    ["Normal ExternalProvisioning"]),
  tc("11-27 - external provisioner: a failed claim update is reported", [], [],
    [c("claim11-27", "uid11-27", "1Gi", "", "Pending", "external")],
    [c("claim11-27", "uid11-27", "1Gi", "", "Pending", "external")],
    ["Warning ProvisioningFailed Error saving claim: Mock update error"],
    { errors: [{ verb: "update", kind: "PersistentVolumeClaim", error: new Error("Mock update error") }], expectError: true }),
  tc("1-13b - delayed binding with an unscheduled pod", [], [],
    [c("claim1-13b", "uid1-13b", "1Gi", "", "Pending", "external-wait")],
    [c("claim1-13b", "uid1-13b", "1Gi", "", "Pending", "external-wait")],
    ["Normal WaitForPodScheduled waiting for pod p1 to be scheduled"],
    { pods: [{ apiVersion: "v1", kind: "Pod", metadata: { name: "p1", namespace: "default" }, spec: { volumes: [{ name: "d", persistentVolumeClaim: { claimName: "claim1-13b" } }] } } as Pod] }),
];

const defaultClass = { ...newClass("standard", "vendor.com/my-volume"), metadata: { name: "standard", annotations: { [ANN_DEFAULT_CLASS]: "true" } } };

const multiSync: SyncCase[] = [
  tc("10-1 - successful bind",
    [v("volume10-1", "1Gi", "", "", "Pending", R, "")],
    [v("volume10-1", "1Gi", "uid10-1", "claim10-1", "Bound", R, "", BBC)],
    [c("claim10-1", "uid10-1", "1Gi", "", "Pending", undefined)],
    [c("claim10-1", "uid10-1", "1Gi", "volume10-1", "Bound", undefined, BBC, BC)], []),
  tc("10-2 - bind PV race",
    [v("volume10-2-1", "1Gi", "uid10-2", "claim10-2", "Bound", R, "", BBC), v("volume10-2-2", "1Gi", "uid10-2", "claim10-2", "Bound", R, "", BBC)],
    [v("volume10-2-1", "1Gi", "uid10-2", "claim10-2", "Bound", R, "", BBC), v("volume10-2-2", "1Gi", "", "", "Available", R, "")],
    [c("claim10-2", "uid10-2", "1Gi", "volume10-2-1", "Bound", undefined, BBC, BC)],
    [c("claim10-2", "uid10-2", "1Gi", "volume10-2-1", "Bound", undefined, BBC, BC)], []),
  tc("12-2 - external provisioner with volume provisioned success", [],
    [v("pvc-uid12-2", "1Gi", "uid12-2", "claim12-2", "Bound", R, "external", BBC)],
    [c("claim12-2", "uid12-2", "1Gi", "", "Pending", "external")],
    [provisioned("vendor.com/my-volume", c("claim12-2", "uid12-2", "1Gi", "pvc-uid12-2", "Bound", "external", BBC, BC))],
    ["Normal ExternalProvisioning"],
    { before: (api) => void api.put("PersistentVolume", v("pvc-uid12-2", "1Gi", "", "", "Available", R, "external")) }),
  tc("12-3 - external provisioner with volume to be provisioned", [], [],
    [c("claim12-3", "uid12-3", "1Gi", "", "Pending", "external")],
    [provisioned("vendor.com/my-volume", c("claim12-3", "uid12-3", "1Gi", "", "Pending", "external"))],
    ["Normal ExternalProvisioning"]),
  tc("12-4 - external provisioner with volume provisioned/bound success", [],
    [v("pvc-uid12-4", "1Gi", "uid12-4", "claim12-4", "Bound", R, "external", BBC)],
    [c("claim12-4", "uid12-4", "1Gi", "", "Pending", "external")],
    [provisioned("vendor.com/my-volume", c("claim12-4", "uid12-4", "1Gi", "pvc-uid12-4", "Bound", "external", BBC, BC))],
    ["Normal ExternalProvisioning"],
    { before: (api) => void api.put("PersistentVolume", v("pvc-uid12-4", "1Gi", "uid12-4", "claim12-4", "Bound", R, "external", BBC)) }),
  tc("12-5 - retroactive default class: a claim without class gets the default and is provisioned", [], [],
    [c("claim12-5", "uid12-5", "1Gi", "", "Pending", undefined)],
    [provisioned("vendor.com/my-volume", c("claim12-5", "uid12-5", "1Gi", "", "Pending", "standard"))],
    ["Normal ExternalProvisioning"], { classes: [...classes, defaultClass] }),
  tc("12-6 - a claim without class binds a class-less volume before the default class is assigned",
    [v("volume12-6", "1Gi", "", "", "Available", R, "")],
    [v("volume12-6", "1Gi", "uid12-6", "claim12-6", "Bound", R, "", BBC)],
    [c("claim12-6", "uid12-6", "1Gi", "", "Pending", undefined)],
    [c("claim12-6", "uid12-6", "1Gi", "volume12-6", "Bound", undefined, BBC, BC)], [], { classes: [...classes, defaultClass] }),
];

describe("TestProvisionSync: handing claims to external provisioners", () => {
  for (const t of provisionSync) it(t.name, () => expectSyncCase(t));
});

describe("TestMultiSync / TestProvisionMultiSync", () => {
  for (const t of multiSync) it(t.name, () => expectMultiSyncCase(t));
});

describe("default StorageClass choice (GetDefaultClass)", () => {
  const mk = (name: string, ts: string, isDefault = "true") => ({ ...newClass(name, "p"), metadata: { name, creationTimestamp: ts, annotations: { [ANN_DEFAULT_CLASS]: isDefault } } });
  it("picks the newest default, then the first by name; ignores non-\"true\" values", () => {
    expect(pickDefaultClass([mk("a", "2024-01-01T00:00:00Z"), mk("b", "2024-02-01T00:00:00Z")])?.metadata.name).toBe("b");
    expect(pickDefaultClass([mk("z", "2024-01-01T00:00:00Z"), mk("y", "2024-01-01T00:00:00Z")])?.metadata.name).toBe("y");
    expect(pickDefaultClass([mk("a", "2024-01-01T00:00:00Z", "True"), mk("b", "2024-01-01T00:00:00Z", "yes")])).toBeUndefined();
  });
});
