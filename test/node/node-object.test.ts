/**
 * The Node side of an agent: registration (labels, addresses, capacity, nodeInfo with runc's version, the kubelet
 * port, Ready with the kubelet's reason), the heartbeat Lease, the CSINode; the lifecycle controller marking the
 * node Unknown (and tainting it) when its agent stops, and Ready again when an agent for it comes back.
 * Volume stats through /stats/summary (also through the API server's nodes/proxy) and Prometheus /metrics.
 */
import * as fs from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CSINode, Lease, Node } from "../../src/api/index.js";
import { startNodeLifecycleController, type NodeAgent, type NodeLifecycleController } from "../../src/node/index.js";
import { R, boundClaim, deletePodAndWait, eventually, kubeletGet, podObj, podWhen, running, startNodeFixture, type NodeFixture } from "./support/fixture.js";

let fx: NodeFixture;
let agent: NodeAgent;
let lifecycle: NodeLifecycleController;

beforeAll(async () => {
  fx = await startNodeFixture();
  agent = await fx.startAgent("node-n", { lease: { renewMs: 300 }, nodeStatus: { checkMs: 300 } });
  lifecycle = await startNodeLifecycleController({ client: fx.client, monitorMs: 200, gracePeriodMs: 2_000 });
}, 120_000);

afterAll(async () => {
  await lifecycle?.stop();
  await fx?.cleanup();
}, 120_000);

const nodes = () => fx.client.resource<Node>(R.node);
const ready = (n: Node) => n.status?.conditions?.find((c) => c.type === "Ready");

describe("registration", () => {
  it("registers a Ready Node with the kubelet's fields", async () => {
    const n = await nodes().get(undefined, "node-n");
    expect(n.metadata.labels).toMatchObject({ "kubernetes.io/hostname": "node-n", "kubernetes.io/os": "linux" });
    expect(n.status?.addresses).toEqual([
      { type: "InternalIP", address: "127.0.0.1" },
      { type: "Hostname", address: "node-n" },
    ]);
    expect(n.status?.daemonEndpoints?.kubeletEndpoint?.Port).toBe(agent.kubeletPort);
    expect(n.status?.nodeInfo).toMatchObject({ containerRuntimeVersion: `runc://${agent.runcVersion}`, kubeletVersion: "v1.32.0-cistern", operatingSystem: "linux" });
    expect(Number(n.status?.capacity?.cpu)).toBeGreaterThan(0);
    expect(n.status?.capacity?.pods).toBe("110");
    expect(n.status?.allocatable?.memory).toMatch(/^\d+Ki$/);
    expect(ready(n)).toMatchObject({ status: "True", reason: "KubeletReady", message: "kubelet is posting ready status" });
  });

  it("renews its Lease in kube-node-lease and registers a CSINode", async () => {
    const leases = fx.client.resource<Lease>(R.lease);
    const first = await leases.get("kube-node-lease", "node-n");
    expect(first.spec).toMatchObject({ holderIdentity: "node-n", leaseDurationSeconds: 40 });
    expect(first.metadata.ownerReferences?.[0]).toMatchObject({ kind: "Node", name: "node-n" });
    await eventually(async () => ((await leases.get("kube-node-lease", "node-n")).spec?.renewTime !== first.spec?.renewTime ? true : undefined), "lease renewal");
    const csinode = await fx.client.resource<CSINode>(R.csinode).get(undefined, "node-n");
    expect(csinode.spec.drivers).toEqual([{ name: "efs.csi.aws.com", nodeID: "node-n", topologyKeys: [] }]);
  });

  it("reports the runc version's known vulnerabilities loudly", () => {
    if (agent.warnings.length) expect(agent.warnings.join("\n")).toMatch(/VULNERABLE to CVE-\d{4}-\d+/);
    expect(agent.runcVersion).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe("volume stats", () => {
  it("serves per-claim usage in the Summary API and as kubelet_volume_stats_* metrics", async () => {
    fs.mkdirSync(join(fx.fsDir(), "stats"), { mode: 0o777 });
    await boundClaim(fx, "default", "stats-claim", `${fx.fsId}:/stats`);
    await fx.pods.create(
      podObj("stats", "node-n", {
        volumes: [
          { name: "data", persistentVolumeClaim: { claimName: "stats-claim" } },
          { name: "tmp", emptyDir: {} },
        ],
        containers: [
          {
            name: "app",
            image: "busybox",
            command: ["sh", "-c", "dd if=/dev/zero of=/data/blob bs=1M count=2 2>/dev/null; dd if=/dev/zero of=/tmp/x/blob bs=1M count=1 2>/dev/null || (mkdir -p /tmp/x && dd if=/dev/zero of=/tmp/x/blob bs=1M count=1 2>/dev/null); sleep 3600"],
            volumeMounts: [
              { name: "data", mountPath: "/data" },
              { name: "tmp", mountPath: "/tmp" },
            ],
          },
        ],
      }),
    );
    await podWhen(fx, "stats", running, "running");
    await podWhen(fx, "stats", () => fs.existsSync(join(fx.fsDir(), "stats", "blob")) && fs.statSync(join(fx.fsDir(), "stats", "blob")).size === 2 << 20, "blob written");
    type Summary = { node: { nodeName: string; fs: { capacityBytes: number } }; pods: { podRef: { name: string }; volume?: { name: string; pvcRef?: { name: string; namespace: string }; usedBytes: number; capacityBytes: number; inodesUsed: number }[] }[] };
    const summary = await eventually(async () => {
      const r = await kubeletGet(agent.kubeletUrl, "/stats/summary", fx.kubeletClient);
      const s = JSON.parse(r.body) as Summary;
      const vols = s.pods.find((p) => p.podRef.name === "stats")?.volume ?? [];
      return vols.find((v) => v.name === "data" && v.usedBytes >= 2 << 20) && vols.find((v) => v.name === "tmp" && v.usedBytes >= 1 << 20) ? s : undefined;
    }, "volume usage in the summary");
    expect(summary.node.nodeName).toBe("node-n");
    expect(summary.node.fs.capacityBytes).toBeGreaterThan(0);
    const data = summary.pods.find((p) => p.podRef.name === "stats")?.volume?.find((v) => v.name === "data");
    expect(data?.pvcRef).toEqual({ name: "stats-claim", namespace: "default" });
    expect(data?.capacityBytes).toBeGreaterThan(data?.usedBytes ?? 0);
    expect(data?.inodesUsed).toBeGreaterThanOrEqual(2);

    const viaApi = await fx.client.request<Summary>({ method: "GET", path: "/api/v1/nodes/node-n/proxy/stats/summary" });
    expect(viaApi.node.nodeName).toBe("node-n");

    const metrics = (await kubeletGet(agent.kubeletUrl, "/metrics", fx.kubeletClient)).body;
    const used = /^kubelet_volume_stats_used_bytes\{namespace="default",persistentvolumeclaim="stats-claim"\} (\d+)$/m.exec(metrics);
    expect(Number(used?.[1])).toBeGreaterThanOrEqual(2 << 20);
    for (const m of ["capacity_bytes", "available_bytes", "inodes", "inodes_free", "inodes_used"]) {
      expect(metrics).toMatch(new RegExp(`^kubelet_volume_stats_${m}\\{namespace="default",persistentvolumeclaim="stats-claim"\\} \\d+$`, "m"));
    }
    expect(metrics).toMatch(/^kubelet_node_name\{node="node-n"\} 1$/m);
    expect(metrics).toMatch(/^efs_csi_operations_total\{op="NodePublishVolume",code="OK"\} \d+$/m);
    await deletePodAndWait(fx, "stats");
  }, 90_000);
});

describe("node lifecycle", () => {
  it("goes Unknown and tainted when its agent stops, and Ready again when an agent comes back", async () => {
    await agent.stop({ keepContainers: true });
    fx.agents.splice(fx.agents.indexOf(agent), 1);
    const down = await eventually(async () => {
      const n = await nodes().get(undefined, "node-n");
      return ready(n)?.status === "Unknown" && (n.spec?.taints ?? []).length === 2 ? n : undefined;
    }, "node Unknown", 30_000);
    expect(ready(down)).toMatchObject({ reason: "NodeStatusUnknown", message: "Kubelet stopped posting node status." });
    expect(down.spec?.taints?.map((t) => `${t.key}:${t.effect}`).sort()).toEqual(["node.kubernetes.io/unreachable:NoExecute", "node.kubernetes.io/unreachable:NoSchedule"]);
    agent = await fx.startAgent("node-n", { lease: { renewMs: 300 }, nodeStatus: { checkMs: 300 } });
    const up = await eventually(async () => {
      const n = await nodes().get(undefined, "node-n");
      return ready(n)?.status === "True" && !(n.spec?.taints ?? []).length ? n : undefined;
    }, "node Ready again", 30_000);
    expect(ready(up)?.reason).toBe("KubeletReady");
  }, 90_000);
});
