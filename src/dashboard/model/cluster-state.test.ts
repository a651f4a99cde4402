import { describe, it, expect } from "vitest";
import { applyWatchEvent, applyWatchEvents, emptyClusterState, replaceResource, EVENT_LIMIT } from "./cluster-state.js";
import { boundPair, event, guideClaim, guideVolume } from "./testing/guide-objects.js";

describe("applyWatchEvent", () => {
  it("adds, modifies and deletes objects by namespace/name", () => {
    let s = emptyClusterState();
    const pvc = guideClaim();
    s = applyWatchEvent(s, "persistentvolumeclaims", { type: "ADDED", object: pvc });
    expect([...s.persistentvolumeclaims.keys()]).toEqual(["default/efs-pvc"]);
    const bound = { ...guideClaim({ phase: "Bound", volumeName: "efs-pv" }) };
    s = applyWatchEvent(s, "persistentvolumeclaims", { type: "MODIFIED", object: bound });
    expect(s.persistentvolumeclaims.get("default/efs-pvc")?.status?.phase).toBe("Bound");
    s = applyWatchEvent(s, "persistentvolumeclaims", { type: "DELETED", object: bound });
    expect(s.persistentvolumeclaims.size).toBe(0);
  });

  it("keys cluster-scoped objects by name alone", () => {
    const s = applyWatchEvent(emptyClusterState(), "persistentvolumes", { type: "ADDED", object: guideVolume() });
    expect([...s.persistentvolumes.keys()]).toEqual(["efs-pv"]);
  });

  it("never changes the state it was given", () => {
    const before = emptyClusterState();
    const after = applyWatchEvent(before, "persistentvolumes", { type: "ADDED", object: guideVolume() });
    expect(before.persistentvolumes.size).toBe(0);
    expect(after).not.toBe(before);
    expect(after.pods).toBe(before.pods);
  });

  it("returns the same state for bookmarks, errors, malformed and repeated events", () => {
    const pv = guideVolume();
    const s = applyWatchEvent(emptyClusterState(), "persistentvolumes", { type: "ADDED", object: pv });
    expect(applyWatchEvent(s, "persistentvolumes", { type: "BOOKMARK", object: { kind: "PersistentVolume", metadata: { resourceVersion: "999" } } })).toBe(s);
    expect(applyWatchEvent(s, "persistentvolumes", { type: "ERROR", object: { kind: "Status", code: 410 } })).toBe(s);
    expect(applyWatchEvent(s, "persistentvolumes", { type: "ADDED", object: null })).toBe(s);
    expect(applyWatchEvent(s, "persistentvolumes", { type: "MODIFIED", object: { ...pv } })).toBe(s);
    expect(applyWatchEvent(s, "persistentvolumes", { type: "DELETED", object: guideVolume({ name: "other" }) })).toBe(s);
  });

  it("drops a MODIFIED older than the object held (a late event from before a re-list)", () => {
    const old = guideVolume({ phase: "Available" });
    const newer = guideVolume({ phase: "Bound" });
    let s = applyWatchEvent(emptyClusterState(), "persistentvolumes", { type: "ADDED", object: newer });
    s = applyWatchEvent(s, "persistentvolumes", { type: "MODIFIED", object: old });
    expect(s.persistentvolumes.get("efs-pv")?.status?.phase).toBe("Bound");
  });

  it("compares resourceVersions as numbers, not strings", () => {
    const a = { ...guideVolume({ phase: "Available" }) };
    a.metadata = { ...a.metadata, resourceVersion: "99" };
    const b = { ...guideVolume({ phase: "Bound" }) };
    b.metadata = { ...b.metadata, resourceVersion: "100" };
    let s = applyWatchEvent(emptyClusterState(), "persistentvolumes", { type: "ADDED", object: a });
    s = applyWatchEvent(s, "persistentvolumes", { type: "MODIFIED", object: b });
    expect(s.persistentvolumes.get("efs-pv")?.status?.phase).toBe("Bound");
  });

  it("applies a batch in order with one copy", () => {
    const available = guideVolume({ phase: "Available" });
    const { pv } = boundPair();
    const other = guideVolume({ name: "second" });
    const s = applyWatchEvents(emptyClusterState(), "persistentvolumes", [
      { type: "ADDED", object: available },
      { type: "MODIFIED", object: pv },
      { type: "ADDED", object: other },
      { type: "DELETED", object: other },
    ]);
    expect(s.persistentvolumes.get("efs-pv")?.status?.phase).toBe("Bound");
    expect([...s.persistentvolumes.keys()]).toEqual(["efs-pv"]);
  });

  it("keeps only the newest events", () => {
    const events = Array.from({ length: EVENT_LIMIT + 5 }, (_, i) =>
      ({ type: "ADDED", object: event(`e${i}`, { kind: "Pod", name: "p", namespace: "default", reason: "R", at: new Date(1_700_000_000_000 + i * 1000).toISOString() }) }));
    const s = applyWatchEvents(emptyClusterState(), "events", events);
    expect(s.events.size).toBe(EVENT_LIMIT);
    expect(s.events.has("default/e0")).toBe(false);
    expect(s.events.has(`default/e${EVENT_LIMIT + 4}`)).toBe(true);
  });
});

describe("replaceResource", () => {
  it("replaces the whole map and skips items without a name", () => {
    let s = applyWatchEvent(emptyClusterState(), "persistentvolumes", { type: "ADDED", object: guideVolume({ name: "gone" }) });
    s = replaceResource(s, "persistentvolumes", [guideVolume(), { metadata: {} }, "junk"]);
    expect([...s.persistentvolumes.keys()]).toEqual(["efs-pv"]);
  });
});
