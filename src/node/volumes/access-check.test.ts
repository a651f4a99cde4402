import { describe, expect, it } from "vitest";
import type { PersistentVolumeClaim, Pod } from "../../api/index.js";
import { accessModeConflict } from "./access-check.js";

function pod(name: string, node: string, created: string, phase = "Pending"): Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "default", uid: `uid-${name}`, creationTimestamp: created },
    spec: { nodeName: node, containers: [{ name: "c" }], volumes: [{ name: "d", persistentVolumeClaim: { claimName: "c1" } }] },
    status: { phase },
  };
}

function claim(...modes: string[]): PersistentVolumeClaim {
  return { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "c1", namespace: "default" }, spec: { accessModes: modes } };
}

describe("accessModeConflict", () => {
  it("ReadWriteMany never conflicts", () => {
    expect(accessModeConflict(pod("b", "n2", "2"), claim("ReadWriteMany"), "pv", [pod("a", "n1", "1", "Running")])).toBeUndefined();
  });

  it("ReadWriteOncePod: a second pod waits for the one that holds the claim, on any node", () => {
    const first = pod("a", "n1", "2024-01-01T00:00:01Z", "Running");
    const second = pod("b", "n1", "2024-01-01T00:00:00Z");
    const e = accessModeConflict(second, claim("ReadWriteOncePod"), "pv1", [first, second]);
    expect(e).toMatchObject({ reason: "FailedMount", waiting: true });
    expect(e?.message).toBe('volume "pv1" (persistentvolumeclaim "c1") has access mode ReadWriteOncePod and is already used by pod default/a');
    expect(accessModeConflict(first, claim("ReadWriteOncePod"), "pv1", [first, second])).toBeUndefined();
  });

  it("ReadWriteOncePod: of two new pods the older proceeds, and finished pods do not count", () => {
    const a = pod("a", "n1", "2024-01-01T00:00:00Z");
    const b = pod("b", "n2", "2024-01-01T00:00:01Z");
    expect(accessModeConflict(a, claim("ReadWriteOncePod"), "pv", [a, b])).toBeUndefined();
    expect(accessModeConflict(b, claim("ReadWriteOncePod"), "pv", [a, b])).toBeDefined();
    expect(accessModeConflict(b, claim("ReadWriteOncePod"), "pv", [pod("a", "n1", "0", "Succeeded"), b])).toBeUndefined();
  });

  it("ReadWriteOnce: pods on the same node share it, another node gets a Multi-Attach error", () => {
    const a = pod("a", "n1", "1", "Running");
    expect(accessModeConflict(pod("b", "n1", "2"), claim("ReadWriteOnce"), "pv", [a])).toBeUndefined();
    const e = accessModeConflict(pod("b", "n2", "2"), claim("ReadWriteOnce"), "pv9", [a]);
    expect(e).toMatchObject({ reason: "FailedAttachVolume", message: 'Multi-Attach error for volume "pv9" Volume is already used by pod(s) a' });
    expect(accessModeConflict(pod("b", "n2", "2"), claim("ReadWriteOnce", "ReadWriteMany"), "pv", [a])).toBeUndefined();
  });

  it("ReadWriteOnce: a waiting pod elsewhere never blocks a pod joining the running one's node", () => {
    const here = pod("here", "n1", "1", "Running");
    const there = pod("there", "n2", "2");
    const join = pod("join", "n1", "2");
    const all = [here, there, join];
    // Same creation second: only the running pod decides, whatever the uids.
    expect(accessModeConflict(join, claim("ReadWriteOnce"), "pv", all)).toBeUndefined();
    expect(accessModeConflict(there, claim("ReadWriteOnce"), "pv", all)?.reason).toBe("FailedAttachVolume");
    // Nobody running: the older of two pods on different nodes goes first.
    const x = pod("x", "n1", "1");
    const y = pod("y", "n2", "2");
    expect(accessModeConflict(x, claim("ReadWriteOnce"), "pv", [x, y])).toBeUndefined();
    expect(accessModeConflict(y, claim("ReadWriteOnce"), "pv", [x, y])).toBeDefined();
  });
});
