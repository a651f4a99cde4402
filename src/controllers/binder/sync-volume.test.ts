/**
 * Upstream's TestSync volume cases (set 4), TestSyncBlockVolume (set 14) and TestDeleteSync
 * (set 8, adapted: Cistern has no in-tree deleters, so "delete" means "hand to the external
 * provisioner" or "Failed").
 */
import { describe, expect, it } from "vitest";
import { ANN_BIND_COMPLETED as BC, ANN_BOUND_BY_CONTROLLER as BBC, ANN_DYNAMICALLY_PROVISIONED as PROV } from "../model/constants.js";
import type { PersistentVolume, PersistentVolumeClaim, Pod, VolumeMode } from "../model/types.js";
import { newClaim as c, newVolume as v, type SyncCase } from "./testing/binder-harness.js";
import { expectSyncCase } from "./testing/expect-case.js";

const R = "Retain";
const D = "Delete";
const pvMode = (m: VolumeMode, pv: PersistentVolume) => ((pv.spec.volumeMode = m), pv);
const pvcMode = (m: VolumeMode, pvc: PersistentVolumeClaim) => ((pvc.spec.volumeMode = m), pvc);
const withMessage = (msg: string, pv: PersistentVolume) => ((pv.status = { ...pv.status, message: msg }), pv);
const external = (pv: PersistentVolume, driver = "efs.csi.aws.com") => ((pv.metadata.annotations = { ...pv.metadata.annotations, [PROV]: driver }), pv);

const volumeCase = (name: string, iv: PersistentVolume[], ev: PersistentVolume[], ic: PersistentVolumeClaim[], ec: PersistentVolumeClaim[], events: string[] = [], extra: Partial<SyncCase> = {}): SyncCase => ({
  name, initialVolumes: iv, expectedVolumes: ev, initialClaims: ic, expectedClaims: ec, expectedEvents: events, test: "volume", ...extra,
});
const claimCase = (name: string, iv: PersistentVolume[], ev: PersistentVolume[], ic: PersistentVolumeClaim[], ec: PersistentVolumeClaim[], events: string[] = []): SyncCase => ({
  name, initialVolumes: iv, expectedVolumes: ev, initialClaims: ic, expectedClaims: ec, expectedEvents: events, test: "claim",
});

const set4: SyncCase[] = [
  volumeCase("4-1 - pending volume",
    [v("volume4-1", "10Gi", "", "", "Pending", R, "")], [v("volume4-1", "10Gi", "", "", "Available", R, "")], [], []),
  volumeCase("4-2 - pending prebound volume",
    [v("volume4-2", "10Gi", "", "claim4-2", "Pending", R, "")], [v("volume4-2", "10Gi", "", "claim4-2", "Available", R, "")], [], []),
  volumeCase("4-3 - bound volume with missing claim",
    [v("volume4-3", "10Gi", "uid4-3", "claim4-3", "Bound", R, "")], [v("volume4-3", "10Gi", "uid4-3", "claim4-3", "Released", R, "")], [], []),
  volumeCase("4-4 - volume bound to claim with different UID",
    [v("volume4-4", "10Gi", "uid4-4", "claim4-4", "Bound", R, "")],
    [v("volume4-4", "10Gi", "uid4-4", "claim4-4", "Released", R, "")],
    [c("claim4-4", "uid4-4-x", "10Gi", "volume4-4", "Bound", undefined, BC)],
    [c("claim4-4", "uid4-4-x", "10Gi", "volume4-4", "Bound", undefined, BC)]),
  volumeCase("4-5 - volume bound by controller to unbound claim",
    [v("volume4-5", "10Gi", "uid4-5", "claim4-5", "Bound", R, "", BBC)],
    [v("volume4-5", "10Gi", "uid4-5", "claim4-5", "Bound", R, "", BBC)],
    [c("claim4-5", "uid4-5", "10Gi", "", "Pending", undefined)],
    [c("claim4-5", "uid4-5", "10Gi", "", "Pending", undefined)]),
  volumeCase("4-5 - volume bound by user to bound claim",
    [v("volume4-5", "10Gi", "uid4-5", "claim4-5", "Bound", R, "")],
    [v("volume4-5", "10Gi", "uid4-5", "claim4-5", "Bound", R, "")],
    [c("claim4-5", "uid4-5", "10Gi", "", "Pending", undefined)],
    [c("claim4-5", "uid4-5", "10Gi", "", "Pending", undefined)]),
  volumeCase("4-6 - volume bound by to bound claim",
    [v("volume4-6", "10Gi", "uid4-6", "claim4-6", "Available", R, "")],
    [v("volume4-6", "10Gi", "uid4-6", "claim4-6", "Bound", R, "")],
    [c("claim4-6", "uid4-6", "10Gi", "volume4-6", "Bound", undefined)],
    [c("claim4-6", "uid4-6", "10Gi", "volume4-6", "Bound", undefined)]),
  volumeCase("4-7 - volume bound by controller to claim bound somewhere else",
    [v("volume4-7", "10Gi", "uid4-7", "claim4-7", "Bound", R, "", BBC)],
    [v("volume4-7", "10Gi", "", "", "Available", R, "")],
    [c("claim4-7", "uid4-7", "10Gi", "volume4-7-x", "Bound", undefined)],
    [c("claim4-7", "uid4-7", "10Gi", "volume4-7-x", "Bound", undefined)]),
  volumeCase("4-8 - volume bound by user to claim bound somewhere else",
    [v("volume4-8", "10Gi", "uid4-8", "claim4-8", "Bound", R, "")],
    [v("volume4-8", "10Gi", "", "claim4-8", "Available", R, "")],
    [c("claim4-8", "uid4-8", "10Gi", "volume4-8-x", "Bound", undefined)],
    [c("claim4-8", "uid4-8", "10Gi", "volume4-8-x", "Bound", undefined)]),
  volumeCase("4-9 - volume bound to bound claim, with PersistentVolumeReclaimDelete",
    [v("volume4-9", "10Gi", "uid4-9", "claim4-9", "Available", D, "")],
    [v("volume4-9", "10Gi", "uid4-9", "claim4-9", "Bound", D, "")],
    [c("claim4-9", "uid4-9", "10Gi", "volume4-9", "Bound", undefined)],
    [c("claim4-9", "uid4-9", "10Gi", "volume4-9", "Bound", undefined)]),
  volumeCase("4-10 - volume bound to missing claim",
    [v("volume4-10", "10Gi", "uid4-10", "claim4-10", "Available", D, "")],
    [withMessage(`error getting deleter volume plugin for volume "volume4-10": no deletable volume plugin matched`, v("volume4-10", "10Gi", "uid4-10", "claim4-10", "Failed", D, ""))],
    [], [], ["Warning VolumeFailedDelete error getting deleter volume plugin"]),
  volumeCase("4-11 - volume bound to unknown claim",
    [v("volume4-11", "10Gi", "uid4-11", "claim4-11", "Available", D, "")],
    [v("volume4-11", "10Gi", "uid4-11", "claim4-11", "Bound", D, "")],
    [c("claim4-11", "uid4-11", "10Gi", "volume4-11", "Bound", undefined)],
    [c("claim4-11", "uid4-11", "10Gi", "volume4-11", "Bound", undefined)],
    [], { notCached: ["uid4-11"] }),
  volumeCase("4-12 - volume bound to newest claim but not updated to local cache",
    [v("volume4-12", "10Gi", "uid4-12-new", "claim4-12", "Available", D, "")],
    [v("volume4-12", "10Gi", "uid4-12-new", "claim4-12", "Bound", D, "")],
    [c("claim4-12", "uid4-12", "10Gi", "volume4-12", "Bound", undefined), c("claim4-12", "uid4-12-new", "10Gi", "volume4-12", "Bound", undefined)],
    [c("claim4-12", "uid4-12-new", "10Gi", "volume4-12", "Bound", undefined)],
    [], { notCached: ["uid4-12-new"] }),
];

const set14: SyncCase[] = [
  claimCase("14-1 - binding to volumeMode block",
    [pvMode("Block", v("volume14-1", "10Gi", "", "", "Available", R, ""))],
    [pvMode("Block", v("volume14-1", "10Gi", "uid14-1", "claim14-1", "Bound", R, "", BBC))],
    [pvcMode("Block", c("claim14-1", "uid14-1", "10Gi", "", "Pending", undefined))],
    [pvcMode("Block", c("claim14-1", "uid14-1", "10Gi", "volume14-1", "Bound", undefined, BBC, BC))]),
  claimCase("14-2 - binding to volumeMode filesystem",
    [v("volume14-2", "10Gi", "", "", "Available", R, "")],
    [v("volume14-2", "10Gi", "uid14-2", "claim14-2", "Bound", R, "", BBC)],
    [c("claim14-2", "uid14-2", "10Gi", "", "Pending", undefined)],
    [c("claim14-2", "uid14-2", "10Gi", "volume14-2", "Bound", undefined, BBC, BC)]),
  claimCase("14-3 - do not bind pv volumeMode filesystem and pvc volumeMode block",
    [v("volume14-3", "10Gi", "", "", "Available", R, "")], [v("volume14-3", "10Gi", "", "", "Available", R, "")],
    [pvcMode("Block", c("claim14-3", "uid14-3", "10Gi", "", "Pending", undefined))],
    [pvcMode("Block", c("claim14-3", "uid14-3", "10Gi", "", "Pending", undefined))], ["Normal FailedBinding"]),
  claimCase("14-4 - do not bind pv volumeMode block and pvc volumeMode filesystem",
    [pvMode("Block", v("volume14-4", "10Gi", "", "", "Available", R, ""))], [pvMode("Block", v("volume14-4", "10Gi", "", "", "Available", R, ""))],
    [c("claim14-4", "uid14-4", "10Gi", "", "Pending", undefined)],
    [c("claim14-4", "uid14-4", "10Gi", "", "Pending", undefined)], ["Normal FailedBinding"]),
  claimCase("14-5 - do not bind when matching class but not volumeMode",
    [v("volume14-5", "10Gi", "", "", "Available", R, "gold")], [v("volume14-5", "10Gi", "", "", "Available", R, "gold")],
    [pvcMode("Block", c("claim14-5", "uid14-5", "10Gi", "", "Pending", "gold"))],
    [pvcMode("Block", c("claim14-5", "uid14-5", "10Gi", "", "Pending", "gold"))], ["Warning ProvisioningFailed"]),
  claimCase("14-5-1 - do not bind when matching volumeModes but class does not match",
    [v("volume14-5-1", "10Gi", "", "", "Available", R, "gold")], [v("volume14-5-1", "10Gi", "", "", "Available", R, "gold")],
    [c("claim14-5-1", "uid14-5-1", "10Gi", "", "Pending", "silver")],
    [c("claim14-5-1", "uid14-5-1", "10Gi", "", "Pending", "silver")], ["Warning ProvisioningFailed"]),
  claimCase("14-5-2 - do not bind when pvc is prebound to pv with matching volumeModes but class does not match",
    [v("volume14-5-2", "10Gi", "", "", "Available", R, "gold")], [v("volume14-5-2", "10Gi", "", "", "Available", R, "gold")],
    [c("claim14-5-2", "uid14-5-2", "10Gi", "volume14-5-2", "Pending", "silver")],
    [c("claim14-5-2", "uid14-5-2", "10Gi", "volume14-5-2", "Pending", "silver")], ["Warning VolumeMismatch"]),
  claimCase("14-7 - bind when pv volume is prebound and volumeModes match",
    [pvMode("Block", v("volume14-7", "10Gi", "", "claim14-7", "Available", R, ""))],
    [pvMode("Block", v("volume14-7", "10Gi", "uid14-7", "claim14-7", "Bound", R, ""))],
    [pvcMode("Block", c("claim14-7", "uid14-7", "10Gi", "", "Pending", undefined))],
    [pvcMode("Block", c("claim14-7", "uid14-7", "10Gi", "volume14-7", "Bound", undefined, BBC, BC))]),
  claimCase("14-8 - do not bind when pvc is prebound to pv with mismatching volumeModes",
    [pvMode("Block", v("volume14-8", "10Gi", "", "", "Available", R, ""))], [pvMode("Block", v("volume14-8", "10Gi", "", "", "Available", R, ""))],
    [c("claim14-8", "uid14-8", "10Gi", "volume14-8", "Pending", undefined)],
    [c("claim14-8", "uid14-8", "10Gi", "volume14-8", "Pending", undefined)], ["Warning VolumeMismatch Cannot bind to requested volume \"volume14-8\": incompatible volumeMode"]),
  claimCase("14-8-1 - do not bind when pv is prebound to pvc with mismatching volumeModes",
    [pvMode("Block", v("volume14-8-1", "10Gi", "", "claim14-8-1", "Available", R, ""))], [pvMode("Block", v("volume14-8-1", "10Gi", "", "claim14-8-1", "Available", R, ""))],
    [c("claim14-8-1", "uid14-8-1", "10Gi", "", "Pending", undefined)],
    [c("claim14-8-1", "uid14-8-1", "10Gi", "", "Pending", undefined)], ["Normal FailedBinding"]),
  claimCase("14-9 - bind when pvc is prebound to pv with matching volumeModes block",
    [pvMode("Block", v("volume14-9", "10Gi", "", "", "Available", R, ""))],
    [pvMode("Block", v("volume14-9", "10Gi", "uid14-9", "claim14-9", "Bound", R, "", BBC))],
    [pvcMode("Block", c("claim14-9", "uid14-9", "10Gi", "volume14-9", "Pending", undefined))],
    [pvcMode("Block", c("claim14-9", "uid14-9", "10Gi", "volume14-9", "Bound", undefined, BC))]),
  claimCase("14-10 - bind when pv is prebound to pvc with matching volumeModes block",
    [pvMode("Block", v("volume14-10", "10Gi", "", "claim14-10", "Available", R, ""))],
    [pvMode("Block", v("volume14-10", "10Gi", "uid14-10", "claim14-10", "Bound", R, ""))],
    [pvcMode("Block", c("claim14-10", "uid14-10", "10Gi", "", "Pending", undefined))],
    [pvcMode("Block", c("claim14-10", "uid14-10", "10Gi", "volume14-10", "Bound", undefined, BBC, BC))]),
  claimCase("14-11 - bind when pvc is prebound to pv with matching volumeModes filesystem",
    [v("volume14-11", "10Gi", "", "", "Available", R, "")],
    [v("volume14-11", "10Gi", "uid14-11", "claim14-11", "Bound", R, "", BBC)],
    [c("claim14-11", "uid14-11", "10Gi", "volume14-11", "Pending", undefined)],
    [c("claim14-11", "uid14-11", "10Gi", "volume14-11", "Bound", undefined, BC)]),
  claimCase("14-12 - bind when pv is prebound to pvc with matching volumeModes filesystem",
    [v("volume14-12", "10Gi", "", "claim14-12", "Available", R, "")],
    [v("volume14-12", "10Gi", "uid14-12", "claim14-12", "Bound", R, "")],
    [c("claim14-12", "uid14-12", "10Gi", "", "Pending", undefined)],
    [c("claim14-12", "uid14-12", "10Gi", "volume14-12", "Bound", undefined, BBC, BC)]),
  volumeCase("14-13 - output warning when pv is prebound to pvc with different volumeModes",
    [v("volume14-13", "10Gi", "uid14-13", "claim14-13", "Available", R, "", BBC)],
    [v("volume14-13", "10Gi", "uid14-13", "claim14-13", "Available", R, "", BBC)],
    [pvcMode("Block", c("claim14-13", "uid14-13", "10Gi", "", "Pending", undefined))],
    [pvcMode("Block", c("claim14-13", "uid14-13", "10Gi", "", "Pending", undefined))],
    ["Warning VolumeMismatch Cannot bind PersistentVolume to requested PersistentVolumeClaim \"claim14-13\" due to incompatible volumeMode.", "Warning VolumeMismatch Cannot bind PersistentVolume \"volume14-13\""]),
  volumeCase("14-13-1 - output warning when pv is prebound to pvc with different volumeModes",
    [pvMode("Block", v("volume14-13-1", "10Gi", "uid14-13-1", "claim14-13-1", "Available", R, "", BBC))],
    [pvMode("Block", v("volume14-13-1", "10Gi", "uid14-13-1", "claim14-13-1", "Available", R, "", BBC))],
    [c("claim14-13-1", "uid14-13-1", "10Gi", "", "Pending", undefined)],
    [c("claim14-13-1", "uid14-13-1", "10Gi", "", "Pending", undefined)], ["Warning VolumeMismatch"]),
  volumeCase("14-14 - wait for synClaim without warning when pv is prebound to pvc with matching volumeModes block",
    [pvMode("Block", v("volume14-14", "10Gi", "uid14-14", "claim14-14", "Available", R, "", BBC))],
    [pvMode("Block", v("volume14-14", "10Gi", "uid14-14", "claim14-14", "Available", R, "", BBC))],
    [pvcMode("Block", c("claim14-14", "uid14-14", "10Gi", "", "Pending", undefined))],
    [pvcMode("Block", c("claim14-14", "uid14-14", "10Gi", "", "Pending", undefined))]),
  volumeCase("14-14-1 - wait for synClaim without warning when pv is prebound to pvc with matching volumeModes file",
    [v("volume14-14-1", "10Gi", "uid14-14-1", "claim14-14-1", "Available", R, "", BBC)],
    [v("volume14-14-1", "10Gi", "uid14-14-1", "claim14-14-1", "Available", R, "", BBC)],
    [c("claim14-14-1", "uid14-14-1", "10Gi", "", "Pending", undefined)],
    [c("claim14-14-1", "uid14-14-1", "10Gi", "", "Pending", undefined)]),
];

const set8: SyncCase[] = [
  volumeCase("8-1 - delete volume provisioned by an external provisioner: left Released for it",
    [external(v("volume8-1", "1Gi", "uid8-1", "claim8-1", "Bound", D, "", BBC))],
    [external(v("volume8-1", "1Gi", "uid8-1", "claim8-1", "Released", D, "", BBC))], [], []),
  volumeCase("8-3 - plugin not found",
    [v("volume8-3", "1Gi", "uid8-3", "claim8-3", "Bound", D, "")],
    [withMessage(`error getting deleter volume plugin for volume "volume8-3": no deletable volume plugin matched`, v("volume8-3", "1Gi", "uid8-3", "claim8-3", "Failed", D, ""))],
    [], [], ["Warning VolumeFailedDelete"]),
  volumeCase("8-3b - Failed is not overwritten by Released and the event is not repeated",
    [withMessage("earlier failure", v("volume8-3b", "1Gi", "uid8-3b", "claim8-3b", "Failed", D, ""))],
    [withMessage("earlier failure", v("volume8-3b", "1Gi", "uid8-3b", "claim8-3b", "Failed", D, ""))], [], []),
  volumeCase("8-9 - prebound volume is released while a new claim of that name exists",
    [external(v("volume8-9", "1Gi", "uid8-9", "claim8-9", "Bound", D, ""))],
    [external(v("volume8-9", "1Gi", "uid8-9", "claim8-9", "Released", D, ""))],
    [c("claim8-9", "uid8-9-x", "10Gi", "", "Pending", undefined)],
    [c("claim8-9", "uid8-9-x", "10Gi", "", "Pending", undefined)]),
  volumeCase("8-10 - external deleter",
    [external(v("volume8-10", "1Gi", "uid10-1", "claim10-1", "Bound", D, "", BBC), "external.io/test")],
    [external(v("volume8-10", "1Gi", "uid10-1", "claim10-1", "Released", D, "", BBC), "external.io/test")], [], []),
  volumeCase("8-12 - two PVs externally provisioned for a single claim",
    [external(v("volume8-12-1", "1Gi", "uid8-12", "claim8-12", "Bound", D, "", PROV), "external.io/test"), external(v("volume8-12-2", "1Gi", "uid8-12", "claim8-12", "Bound", D, "", PROV), "external.io/test")],
    [external(v("volume8-12-1", "1Gi", "uid8-12", "claim8-12", "Released", D, "", PROV), "external.io/test"), external(v("volume8-12-2", "1Gi", "uid8-12", "claim8-12", "Bound", D, "", PROV), "external.io/test")],
    [c("claim8-12", "uid8-12", "10Gi", "volume8-12-2", "Bound", undefined)],
    [c("claim8-12", "uid8-12", "10Gi", "volume8-12-2", "Bound", undefined)]),
  volumeCase("8-13 - CSI volume with Delete and no provisioned-by is handed to the external provisioner",
    [((pv) => { delete pv.spec.hostPath; pv.spec.csi = { driver: "efs.csi.aws.com", volumeHandle: "fs-1" }; return pv; })(v("volume8-13", "1Gi", "uid8-13", "claim8-13", "Bound", D, ""))],
    [((pv) => { delete pv.spec.hostPath; pv.spec.csi = { driver: "efs.csi.aws.com", volumeHandle: "fs-1" }; return pv; })(v("volume8-13", "1Gi", "uid8-13", "claim8-13", "Released", D, ""))], [], []),
];

const reclaimOther: SyncCase[] = [
  volumeCase("6-1 - recycle is refused: no recycler plugin (as for CSI)",
    [v("volume6-1", "1Gi", "uid6-1", "claim6-1", "Bound", "Recycle", "")],
    [withMessage("No recycler plugin found for the volume!", v("volume6-1", "1Gi", "uid6-1", "claim6-1", "Failed", "Recycle", ""))],
    [], [], ["Warning VolumeFailedRecycle No recycler plugin found for the volume!"]),
  volumeCase("6-2 - recycle waits while pods still use the old claim",
    [v("volume6-2", "1Gi", "uid6-2", "claim6-2", "Bound", "Recycle", "")],
    [v("volume6-2", "1Gi", "uid6-2", "claim6-2", "Released", "Recycle", "")],
    [], [], ["Normal VolumeFailedRecycle Volume is used by pods: default/p1"],
    { pods: [{ apiVersion: "v1", kind: "Pod", metadata: { name: "p1", namespace: "default" }, spec: { nodeName: "n1", volumes: [{ name: "d", persistentVolumeClaim: { claimName: "claim6-2" } }] }, status: { phase: "Running" } } as Pod] }),
  volumeCase("6-3 - unknown reclaim policy",
    [v("volume6-3", "1Gi", "uid6-3", "claim6-3", "Bound", "Scrub", "")],
    [withMessage("Volume has unrecognized PersistentVolumeReclaimPolicy", v("volume6-3", "1Gi", "uid6-3", "claim6-3", "Failed", "Scrub", ""))],
    [], [], ["Warning VolumeUnknownReclaimPolicy"]),
  volumeCase("6-4 - retain keeps a released volume as it is",
    [v("volume6-4", "1Gi", "uid6-4", "claim6-4", "Released", R, "")],
    [v("volume6-4", "1Gi", "uid6-4", "claim6-4", "Released", R, "")], [], []),
];

describe("TestSync (volumes): upstream set 4", () => {
  for (const tc of set4) it(tc.name, () => expectSyncCase(tc));
});

describe("TestSyncBlockVolume: upstream set 14", () => {
  for (const tc of set14) it(tc.name, () => expectSyncCase(tc));
});

describe("TestDeleteSync: upstream set 8, for external deleters", () => {
  for (const tc of set8) it(tc.name, () => expectSyncCase(tc));
});

describe("reclaim policies Recycle and unknown", () => {
  for (const tc of reclaimOther) it(tc.name, () => expectSyncCase(tc));
});

describe("live claim check before releasing", () => {
  it("asks for a live read instead of releasing when the claim is not cached", async () => {
    const { syncVolume } = await import("./sync-volume.js");
    const pv = v("volume-live", "1Gi", "uid-live", "claim-live", "Bound", D, "");
    const decision = syncVolume(pv, {
      volume: () => pv, claim: () => undefined, findBestMatch: () => undefined,
      storageClass: () => undefined, storageClasses: () => [], podsForClaim: () => [],
    });
    expect(decision.needLiveClaim).toEqual({ namespace: "default", name: "claim-live" });
    expect(decision.steps).toEqual([]);
  });
});
