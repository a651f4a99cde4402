import { describe, expect, it } from "vitest";
import type { KubeObject } from "../api/types.js";
import { ObjectCache } from "./informer-cache.js";

const pvc = (name: string, volumeName?: string): KubeObject => ({ apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { namespace: "ns", name }, spec: { volumeName } });
const byVolume = (o: KubeObject) => (o.spec as { volumeName?: string }).volumeName;

describe("ObjectCache indexes", () => {
  it("answers byIndex and follows updates and deletes exactly", () => {
    const c = new ObjectCache<KubeObject>();
    c.addIndexer("volumeName", byVolume);
    c.set("ns/a", pvc("a", "pv1"));
    c.set("ns/b", pvc("b", "pv1"));
    c.set("ns/c", pvc("c"));
    expect(c.byIndex("volumeName", "pv1").map((o) => o.metadata.name).sort()).toEqual(["a", "b"]);
    c.set("ns/a", pvc("a", "pv2"));
    expect(c.byIndex("volumeName", "pv1").map((o) => o.metadata.name)).toEqual(["b"]);
    expect(c.byIndex("volumeName", "pv2").map((o) => o.metadata.name)).toEqual(["a"]);
    c.delete("ns/b");
    expect(c.byIndex("volumeName", "pv1")).toEqual([]);
    expect(c.size).toBe(2);
  });

  it("indexes existing objects when an indexer is added later, and supports multi-valued indexes", () => {
    const c = new ObjectCache<KubeObject>();
    const pod: KubeObject = { apiVersion: "v1", kind: "Pod", metadata: { namespace: "ns", name: "p" }, spec: { volumes: [{ persistentVolumeClaim: { claimName: "x" } }, { persistentVolumeClaim: { claimName: "y" } }] } };
    c.set("ns/p", pod);
    c.addIndexer("claims", (o) => ((o.spec as { volumes: { persistentVolumeClaim?: { claimName: string } }[] }).volumes ?? []).flatMap((v) => (v.persistentVolumeClaim ? [`ns/${v.persistentVolumeClaim.claimName}`] : [])));
    expect(c.byIndex("claims", "ns/x")).toHaveLength(1);
    expect(c.byIndex("claims", "ns/y")).toHaveLength(1);
  });

  it("stays correct when a cached object is mutated in place before removal", () => {
    const c = new ObjectCache<KubeObject>();
    c.addIndexer("volumeName", byVolume);
    const obj = pvc("a", "pv1");
    c.set("ns/a", obj);
    (obj.spec as { volumeName: string }).volumeName = "pv9";
    c.delete("ns/a");
    expect(c.byIndex("volumeName", "pv1")).toEqual([]);
  });

  it("refuses duplicate and unknown indexes", () => {
    const c = new ObjectCache<KubeObject>();
    c.addIndexer("i", byVolume);
    expect(() => c.addIndexer("i", byVolume)).toThrow(/already exists/);
    expect(() => c.byIndex("nope", "x")).toThrow(/does not exist/);
  });
});
