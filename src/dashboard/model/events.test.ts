import { describe, it, expect } from "vitest";
import { filterEvents, eventTime } from "./events.js";
import { event } from "./testing/guide-objects.js";
import type { KubeEvent } from "./kube-types.js";

function events(...list: KubeEvent[]): Map<string, KubeEvent> {
  return new Map(list.map((e) => [`${e.metadata.namespace}/${e.metadata.name}`, e]));
}

describe("filterEvents", () => {
  const all = events(
    event("a", { kind: "PersistentVolumeClaim", name: "efs-pvc", namespace: "default", reason: "ProvisioningSucceeded", at: "2024-01-01T00:00:01Z" }),
    event("b", { kind: "PersistentVolume", name: "efs-pv", reason: "VolumeFailedDelete", message: "access point busy", at: "2024-01-01T00:00:03Z", type: "Warning" }),
    event("c", { kind: "Pod", name: "app-pod", namespace: "default", reason: "Scheduled", at: "2024-01-01T00:00:02Z" }),
  );

  it("lists newest first", () => {
    expect(filterEvents(all, {}).map((r) => r.reason)).toEqual(["VolumeFailedDelete", "Scheduled", "ProvisioningSucceeded"]);
  });

  it("filters by the involved object, cluster-scoped ones by an empty namespace", () => {
    expect(filterEvents(all, { kind: "PersistentVolume", namespace: "", name: "efs-pv" }).map((r) => r.key)).toEqual(["default/b"]);
    expect(filterEvents(all, { kind: "Pod", name: "efs-pvc" })).toEqual([]);
  });

  it("filters by text in reason, message or object, ignoring case", () => {
    expect(filterEvents(all, { text: "BUSY" }).map((r) => r.key)).toEqual(["default/b"]);
    expect(filterEvents(all, { text: "pod/app" }).map((r) => r.key)).toEqual(["default/c"]);
  });

  it("honours a limit", () => {
    expect(filterEvents(all, {}, 1)).toHaveLength(1);
  });
});

describe("eventTime", () => {
  it("prefers the series' last observation, then lastTimestamp, eventTime and creation", () => {
    const e = event("x", { kind: "Pod", name: "p", reason: "R", at: "2024-01-01T00:00:00Z" });
    expect(eventTime(e)).toBe(Date.parse("2024-01-01T00:00:00Z"));
    expect(eventTime({ ...e, series: { lastObservedTime: "2024-01-02T00:00:00Z" } })).toBe(Date.parse("2024-01-02T00:00:00Z"));
    expect(eventTime({ ...e, lastTimestamp: null, eventTime: "2024-01-03T00:00:00Z" })).toBe(Date.parse("2024-01-03T00:00:00Z"));
    expect(eventTime({ ...e, lastTimestamp: "bogus" , metadata: { ...e.metadata, creationTimestamp: "2024-01-04T00:00:00Z" } })).toBe(Date.parse("2024-01-04T00:00:00Z"));
  });
});
