import { describe, it, expect } from "vitest";
import { podRow } from "./pod-row.js";
import type { ContainerStatus, PodSpec, PodStatus } from "../kinds/pod-types.js";

const NOW = new Date("2025-01-01T01:00:00Z");
const created = "2025-01-01T00:00:00Z";

function pod(spec: Partial<PodSpec>, status: PodStatus, deletionTimestamp?: string) {
  return { metadata: { name: "p", creationTimestamp: created, deletionTimestamp }, spec: { containers: [{ name: "app" }], ...spec } as PodSpec, status };
}
const cs = (name: string, extra: Partial<ContainerStatus>): ContainerStatus => ({ name, ready: false, restartCount: 0, image: "i", imageID: "", ...extra });

describe("Pod table row (upstream printPod)", () => {
  it("a pending pod", () => {
    expect(podRow(pod({}, { phase: "Pending" }), NOW)).toEqual(["p", "0/1", "Pending", "0", "60m", "<none>", "<none>", "<none>", "<none>"]);
  });

  it("a running, ready pod with IP and node", () => {
    const p = pod({ nodeName: "node-1" }, { phase: "Running", podIPs: [{ ip: "10.0.0.7" }], containerStatuses: [cs("app", { ready: true, state: { running: {} } })] });
    expect(podRow(p, NOW)).toEqual(["p", "1/1", "Running", "0", "60m", "10.0.0.7", "node-1", "<none>", "<none>"]);
  });

  it("CrashLoopBackOff with restarts and the age of the last restart", () => {
    const p = pod(
      {},
      {
        phase: "Running",
        containerStatuses: [
          cs("app", { restartCount: 3, state: { waiting: { reason: "CrashLoopBackOff" } }, lastState: { terminated: { exitCode: 1, finishedAt: "2025-01-01T00:55:00Z" } } }),
        ],
      },
    );
    expect(podRow(p, NOW).slice(1, 4)).toEqual(["0/1", "CrashLoopBackOff", "3 (5m ago)"]);
  });

  it("Completed, and ExitCode/Signal without a reason", () => {
    expect(podRow(pod({}, { phase: "Succeeded", containerStatuses: [cs("app", { state: { terminated: { exitCode: 0, reason: "Completed" } } })] }), NOW)[2]).toBe("Completed");
    expect(podRow(pod({}, { phase: "Failed", containerStatuses: [cs("app", { state: { terminated: { exitCode: 2 } } })] }), NOW)[2]).toBe("ExitCode:2");
    expect(podRow(pod({}, { phase: "Failed", containerStatuses: [cs("app", { state: { terminated: { exitCode: 137, signal: 9 } } })] }), NOW)[2]).toBe("Signal:9");
  });

  it("Completed with another container still running becomes Running or NotReady", () => {
    const status = (ready: string): PodStatus => ({
      phase: "Running",
      conditions: [{ type: "Ready", status: ready }],
      containerStatuses: [cs("a", { state: { terminated: { exitCode: 0, reason: "Completed" } } }), cs("b", { ready: true, state: { running: {} } })],
    });
    const spec = { containers: [{ name: "a" }, { name: "b" }] };
    expect(podRow(pod(spec, status("True")), NOW).slice(1, 3)).toEqual(["1/2", "Running"]);
    expect(podRow(pod(spec, status("False")), NOW).slice(1, 3)).toEqual(["1/2", "NotReady"]);
  });

  it("init containers: Init:x/y, Init:<reason>, Init:ExitCode", () => {
    const spec = { initContainers: [{ name: "i1" }, { name: "i2" }] };
    const done = cs("i1", { state: { terminated: { exitCode: 0 } } });
    expect(podRow(pod(spec, { phase: "Pending", initContainerStatuses: [done, cs("i2", { state: { running: {} } })] }), NOW)[2]).toBe("Init:1/2");
    expect(podRow(pod(spec, { phase: "Pending", initContainerStatuses: [cs("i1", { state: { waiting: { reason: "PodInitializing" } } })] }), NOW)[2]).toBe("Init:0/2");
    expect(podRow(pod(spec, { phase: "Pending", initContainerStatuses: [cs("i1", { state: { waiting: { reason: "CrashLoopBackOff" } } })] }), NOW)[2]).toBe("Init:CrashLoopBackOff");
    expect(podRow(pod(spec, { phase: "Failed", initContainerStatuses: [cs("i1", { state: { terminated: { exitCode: 3 } } })] }), NOW)[2]).toBe("Init:ExitCode:3");
    expect(podRow(pod(spec, { phase: "Failed", initContainerStatuses: [cs("i1", { state: { terminated: { exitCode: 1, reason: "Error" } } })] }), NOW)[2]).toBe("Init:Error");
  });

  it("counts started sidecars (restartable init containers) as ready containers", () => {
    const spec = { initContainers: [{ name: "side", restartPolicy: "Always" }] };
    const status: PodStatus = {
      phase: "Running",
      initContainerStatuses: [cs("side", { started: true, ready: true, state: { running: {} } })],
      containerStatuses: [cs("app", { ready: true, state: { running: {} } })],
    };
    expect(podRow(pod(spec, status), NOW).slice(1, 3)).toEqual(["2/2", "Running"]);
  });

  it("Terminating, and Unknown for pods lost with their node", () => {
    expect(podRow(pod({}, { phase: "Running" }, "2025-01-01T00:59:00Z"), NOW)[2]).toBe("Terminating");
    expect(podRow(pod({}, { phase: "Succeeded" }, "2025-01-01T00:59:00Z"), NOW)[2]).toBe("Succeeded");
    expect(podRow(pod({}, { phase: "Running", reason: "NodeLost" }, "2025-01-01T00:59:00Z"), NOW)[2]).toBe("Unknown");
  });

  it("SchedulingGated and readiness gates", () => {
    const gated = pod({ readinessGates: [{ conditionType: "a" }, { conditionType: "b" }] }, {
      phase: "Pending",
      conditions: [{ type: "PodScheduled", status: "False", reason: "SchedulingGated" }, { type: "a", status: "True" }],
    });
    const row = podRow(gated, NOW);
    expect(row[2]).toBe("SchedulingGated");
    expect(row[8]).toBe("1/2");
  });
});
