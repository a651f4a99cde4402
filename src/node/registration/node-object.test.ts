import { describe, expect, it } from "vitest";
import type { MachineInfo } from "./machine-info.js";
import { newNode, nodeStatus, statusNeedsUpdate } from "./node-object.js";

const info: MachineInfo = {
  cpus: 4,
  memoryBytes: 8 * 1024 ** 3,
  fsCapacityBytes: 100 * 1024 ** 3,
  machineID: "m",
  systemUUID: "s",
  bootID: "b",
  kernelVersion: "6.1.0",
  osImage: "Debian GNU/Linux 12 (bookworm)",
  architecture: "amd64",
};
const id = { name: "node-a", hostIP: "127.0.0.1", kubeletPort: 10250, runcVersion: "1.1.5+ds1" };

describe("node object", () => {
  it("registers with labels, addresses, capacity, nodeInfo, port and a Ready condition", () => {
    const n = newNode(id, info, new Date("2024-01-01T00:00:00.250Z"));
    expect(n.metadata.labels).toMatchObject({ "kubernetes.io/hostname": "node-a", "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64" });
    expect(n.metadata.annotations?.["csi.volume.kubernetes.io/nodeid"]).toBe('{"efs.csi.aws.com":"node-a"}');
    expect(n.status?.addresses).toEqual([
      { type: "InternalIP", address: "127.0.0.1" },
      { type: "Hostname", address: "node-a" },
    ]);
    expect(n.status?.capacity).toMatchObject({ cpu: "4", memory: "8388608Ki", pods: "110", "ephemeral-storage": "104857600Ki" });
    expect(n.status?.allocatable).toEqual(n.status?.capacity);
    expect(n.status?.nodeInfo).toMatchObject({ containerRuntimeVersion: "runc://1.1.5+ds1", kubeletVersion: "v1.32.0-cistern", operatingSystem: "linux", architecture: "amd64" });
    expect(n.status?.daemonEndpoints).toEqual({ kubeletEndpoint: { Port: 10250 } });
    expect(n.status?.conditions?.map((c) => [c.type, c.status, c.reason, c.message])).toEqual([
      ["MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"],
      ["DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"],
      ["PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"],
      ["Ready", "True", "KubeletReady", "kubelet is posting ready status"],
    ]);
    expect(n.status?.conditions?.[3]).toMatchObject({ lastHeartbeatTime: "2024-01-01T00:00:00Z", lastTransitionTime: "2024-01-01T00:00:00Z" });
  });

  it("moves lastTransitionTime only when a condition's status changes, and reports when one differs", () => {
    const first = nodeStatus(id, info, undefined, new Date("2024-01-01T00:00:00Z"));
    const again = nodeStatus(id, info, first, new Date("2024-01-01T00:05:00Z"));
    expect(again.conditions?.[3]).toMatchObject({ lastHeartbeatTime: "2024-01-01T00:05:00Z", lastTransitionTime: "2024-01-01T00:00:00Z" });
    expect(statusNeedsUpdate(first, again)).toBe(false);
    const unknown = { ...first, conditions: first.conditions?.map((c) => (c.type === "Ready" ? { ...c, status: "Unknown", reason: "NodeStatusUnknown" } : c)) };
    const back = nodeStatus(id, info, unknown, new Date("2024-01-01T00:06:00Z"));
    expect(statusNeedsUpdate(unknown, back)).toBe(true);
    expect(back.conditions?.[3]).toMatchObject({ status: "True", lastTransitionTime: "2024-01-01T00:06:00Z" });
    expect(statusNeedsUpdate(first, nodeStatus({ ...id, kubeletPort: 1 }, info, first, new Date()))).toBe(true);
  });
});
