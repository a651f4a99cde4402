/**
 * The checkers must be able to fail: each is fed a small history with exactly one planted
 * violation (a lost write, a rewound revision, a duplicate or missing watch event, a PV claimed
 * twice, deleted Retain data, an orphaned access point, a leaked mount) and must name it, and
 * must stay silent on the same history without it.
 */
import { describe, expect, it } from "vitest";
import { checkAcknowledgedWrites, checkNoRewind, checkWatches, type FinalList } from "./checks-api.js";
import { checkBinding, checkDeletedLeaveNothing, checkNoLeakedMounts, checkRetained, type Pv, type Pvc, type VolumeFacts } from "./checks-volumes.js";
import type { AckRecord, HistoryRecord, Resource, WatchRecord } from "./history.js";
import { leakedClientMounts } from "./scenarios.js";
import { HARNESS_NODE } from "./workload-provisioning.js";

const R: Resource = "persistentvolumeclaims";
const ack = (verb: AckRecord["verb"], key: string, rv: number, extra: Partial<AckRecord> = {}): AckRecord => ({ type: "ack", verb, resource: R, key, uid: `u-${key}`, rv, epoch: 1, ...extra });
const ev = (event: WatchRecord["event"], key: string, rv: number, stream = 2): WatchRecord => ({ type: "watch", resource: R, event, key, uid: key ? `u-${key}` : "", rv, stream, epoch: 1 });
const finals = (items: [string, number][], rv = 100, extra: Record<string, Record<string, string>> = {}): Map<Resource, FinalList> =>
  new Map([[R, { rv, items: items.map(([key, v]) => ({ key, uid: `u-${key}`, rv: v, annotations: extra[key] })) }]]);

describe("checkAcknowledgedWrites", () => {
  it("accepts a history whose writes are all there", () => {
    expect(checkAcknowledgedWrites([ack("create", "a", 5), ack("update", "a", 7, { annotation: ["k", "v"] })], finals([["a", 9]], 100, { a: { k: "v" } }))).toEqual([]);
  });
  it("finds a lost create, a lost update, an older revision and a resurrected delete", () => {
    expect(checkAcknowledgedWrites([ack("create", "a", 5)], finals([]))).toEqual([expect.stringContaining("is gone")]);
    expect(checkAcknowledgedWrites([ack("create", "a", 5), ack("update", "a", 7, { annotation: ["k", "v"] })], finals([["a", 5]]))).toEqual([
      expect.stringContaining("older than"),
      expect.stringContaining("annotation k=v"),
    ]);
    expect(checkAcknowledgedWrites([ack("create", "a", 5), ack("delete", "a", 8)], finals([["a", 5]]))).toEqual([expect.stringContaining("is back")]);
    expect(checkAcknowledgedWrites([ack("create", "a", 5, { uid: "other" })], finals([["a", 5]]))).toEqual([expect.stringContaining("UID other")]);
  });
  it("lets an object go whose delete was sent though its reply was lost", () => {
    expect(checkAcknowledgedWrites([ack("create", "a", 5)], finals([]), [{ type: "attempt", verb: "delete", resource: R, key: "a", epoch: 2 }])).toEqual([]);
    expect(checkAcknowledgedWrites([ack("create", "a", 5)], finals([]), [{ type: "attempt", verb: "delete", resource: R, key: "b", epoch: 2 }])).toHaveLength(1);
  });
});

describe("checkNoRewind", () => {
  const restart = (rv: number, epoch: number): HistoryRecord => ({ type: "note", what: "restart", epoch, rv });
  it("accepts revisions that only grow across restarts", () => {
    expect(checkNoRewind([restart(1, 1), ack("create", "a", 5), ev("ADDED", "a", 6), restart(6, 2)])).toEqual([]);
  });
  it("finds an incarnation that starts below a revision already shown", () => {
    expect(checkNoRewind([restart(1, 1), ack("create", "a", 5), ev("MODIFIED", "a", 9), restart(7, 2)])).toEqual([expect.stringMatching(/started at revision 7, below 9/)]);
  });
});

describe("checkWatches", () => {
  const list = (stream: number, rv: number, items: [string, number][] = []) => [...items.map(([k, v]) => ev("RELIST", k, v, stream)), ev("RELIST", "", rv, stream)];
  const good: HistoryRecord[] = [...list(1, 3), ack("create", "a", 5), ev("ADDED", "a", 5), ack("update", "a", 7), ev("MODIFIED", "a", 7, 3), ev("ADDED", "b", 8, 3)];
  it("accepts a complete, ordered stream, resumed across connections", () => {
    expect(checkWatches(good, finals([["a", 7], ["b", 8]]))).toEqual([]);
  });
  it("finds a duplicate delivered after a resume", () => {
    const dup = [...good, ev("MODIFIED", "a", 7, 4)];
    expect(checkWatches(dup, finals([["a", 7], ["b", 8]]))).toEqual([expect.stringContaining("duplicate or out of order")]);
  });
  it("finds a gap: an acknowledged update that never arrived", () => {
    const gap = good.filter((r) => !(r.type === "watch" && r.rv === 7));
    const v = checkWatches(gap, finals([["a", 7], ["b", 8]]));
    expect(v).toContain("watch persistentvolumeclaims: acknowledged update of a at rv 7 never arrived");
    expect(v).toContainEqual(expect.stringContaining("missed event"));
  });
  it("finds a missed DELETED and an object the stream never delivered", () => {
    expect(checkWatches(good, finals([["a", 7]]))).toEqual([expect.stringContaining("missed DELETED")]);
    expect(checkWatches(good, finals([["a", 7], ["b", 8], ["c", 9]]))).toEqual([expect.stringContaining("never delivered")]);
  });
  it("forgives what a relist (after 410 Expired) skipped over", () => {
    const relisted: HistoryRecord[] = [...list(1, 3), ack("create", "a", 5), ...list(5, 9, [["a", 5]]), ev("ADDED", "b", 10, 6)];
    expect(checkWatches(relisted, finals([["a", 5], ["b", 10]]))).toEqual([]);
  });
});

const pv = (name: string, claimUid?: string, phase = "Bound"): Pv => ({ metadata: { name, uid: `pv-${name}` }, spec: { claimRef: claimUid ? { uid: claimUid } : undefined, csi: { volumeHandle: `fs-1::fsap-${name}` } }, status: { phase } });
const pvc = (name: string, volumeName?: string, phase = "Bound"): Pvc => ({ metadata: { name, namespace: "ns", uid: `c-${name}` }, spec: { volumeName }, status: { phase } });

describe("checkBinding", () => {
  it("accepts a one-to-one binding", () => {
    expect(checkBinding([pv("v1", "c-a"), pv("v2", "c-b")], [pvc("a", "v1"), pvc("b", "v2")], () => true)).toEqual([]);
  });
  it("finds a volume named by two claims, a one-sided binding and an unbound claim", () => {
    expect(checkBinding([pv("v1", "c-a")], [pvc("a", "v1"), pvc("b", "v1")], () => true)).toContainEqual(expect.stringContaining("named by 2 claims"));
    expect(checkBinding([pv("v1", "c-b"), pv("v2", "c-b")], [pvc("a", "v1"), pvc("b", "v2")], () => true)).toContainEqual(expect.stringContaining("UID c-a expected"));
    expect(checkBinding([], [pvc("a", undefined, "Pending")], () => true)).toEqual([expect.stringContaining("is Pending")]);
  });
});

describe("volume checks", () => {
  const facts = (o: Partial<VolumeFacts>): VolumeFacts => ({ pvs: [], accessPoints: [], directories: [], checksum: () => undefined, ...o });
  it("finds lost and changed Retain data", () => {
    const s = { pv: "v1", accessPointId: "fsap-1", file: "/r/v1/s", sha256: "abc" };
    const ok = facts({ pvs: [pv("v1", undefined, "Released")], accessPoints: [{ id: "fsap-1", rootPath: "/r/v1" }], checksum: () => "abc" });
    expect(checkRetained([s], ok)).toEqual([]);
    expect(checkRetained([s], { ...ok, checksum: () => undefined })).toEqual([expect.stringContaining("data of v1 is gone")]);
    expect(checkRetained([s], { ...ok, checksum: () => "abd" })).toEqual([expect.stringContaining("changed")]);
    expect(checkRetained([s], { ...ok, pvs: [], accessPoints: [] })).toHaveLength(2);
  });
  it("finds what a Delete left behind and orphans under the base paths", () => {
    const d = [{ pv: "v1", accessPointId: "fsap-v1", rootPath: "/d/v1" }];
    expect(checkDeletedLeaveNothing(d, ["/d"], facts({}))).toEqual([]);
    expect(checkDeletedLeaveNothing(d, ["/d"], facts({ pvs: [pv("v1")], accessPoints: [{ id: "fsap-v1", rootPath: "/d/v1" }], directories: ["/d/v1"] }))).toHaveLength(3);
    expect(checkDeletedLeaveNothing([], ["/d"], facts({ accessPoints: [{ id: "fsap-x", rootPath: "/d/x" }], directories: ["/d/x", "/d/y"] }))).toEqual([
      expect.stringContaining("access point fsap-x"),
      expect.stringContaining("directory /d/y"),
    ]);
  });
  it("finds mounts left under the data directory and client mounts still tracked", () => {
    expect(checkNoLeakedMounts("/data", ["/", "/data-other"], [])).toEqual([]);
    expect(checkNoLeakedMounts("/data", ["/data/pods/x/mount"], [{ MountId: "m1" }])).toHaveLength(2);
  });
  it("counts every client mount the EFS service still tracks, a CSI root mount included, except the harness's own", () => {
    const mounts = [
      { MountId: "m-harness", NodeId: HARNESS_NODE, Path: "/" },
      { MountId: "m-root", NodeId: "cistern-node:root", Path: "/" },
      { MountId: "m-pod", NodeId: "cistern-node", Path: "/pv" },
    ];
    expect(leakedClientMounts({ mounts })).toEqual([
      expect.stringMatching(/^mount: .*m-root of node cistern-node:root/),
      expect.stringMatching(/^mount: .*m-pod of node cistern-node/),
    ]);
    expect(leakedClientMounts({ mounts: mounts.slice(0, 1) })).toEqual([]);
  });
});
