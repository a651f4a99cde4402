/**
 * A node elsewhere: `cistern up` serves the API and EFS on the root namespace's end of a veth pair,
 * and `cistern node --kubeconfig FILE --name remote-node` runs in a second network namespace (its
 * own address) with nothing but the kubeconfig and the AWS_* variables of `cistern up`'s env file.
 * It registers its namespace address as InternalIP (the API server reaches its kubelet API there:
 * the pod logs below come through it), and a pod on it shares an RWX EFS volume with a pod on the
 * first node, both ways. Same machine, so the EFS directories are on one disk (docs/scale-out.md
 * describes the data plane between real hosts). Needs root and iproute2.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Node, PersistentVolume, PersistentVolumeClaim, Pod } from "../../src/api/index.js";
import { createClient, loadKubeconfig, type KubeClient, type ResourceRef } from "../../src/client/index.js";
import { startCli, type CliProcess } from "./support/cli-process.js";
import { createNetNamespace, type NetNamespace } from "./support/netns.js";
import { eventually } from "./support/scaleout-cluster.js";

const R = {
  node: { group: "", version: "v1", kind: "Node", plural: "nodes", namespaced: false },
  pv: { group: "", version: "v1", kind: "PersistentVolume", plural: "persistentvolumes", namespaced: false },
  pvc: { group: "", version: "v1", kind: "PersistentVolumeClaim", plural: "persistentvolumeclaims", namespaced: true },
  pod: { group: "", version: "v1", kind: "Pod", plural: "pods", namespaced: true },
} satisfies Record<string, ResourceRef>;
const EVENT: ResourceRef = { group: "", version: "v1", kind: "Event", plural: "events", namespaced: true };

let dir: string;
let ns: NetNamespace | undefined;
let up: CliProcess | undefined;
let remote: CliProcess | undefined;
let client: KubeClient | undefined;

/** The variables `cistern up` writes to DIR/env (`export K='v'` lines). */
function envFile(path: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(path, "utf8").split("\n")) {
    const m = /^export ([A-Z0-9_]+)='(.*)'$/.exec(line);
    if (m) out[m[1]] = m[2].replace(/'\\''/g, "'");
  }
  return out;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "cistern-remote-"));
  ns = await createNetNamespace();
  up = await startCli(
    ["up", "--data-dir", join(dir, "cluster"), "--api-host", ns.hostAddress, "--api-port", "0", "--efs-host", ns.hostAddress, "--efs-port", "0", "--file-system-id", "fs-12345678"],
    { name: "cistern up", ready: /Cistern is ready at (https:\/\/\S+?): source/, timeoutMs: 120_000 },
  );
  const kubeconfig = join(dir, "cluster", "kubeconfig");
  const env = envFile(join(dir, "cluster", "env"));
  expect(env.AWS_ENDPOINT_URL_EFS).toContain(ns.hostAddress);
  remote = await startCli(
    ["node", "--kubeconfig", kubeconfig, "--name", "remote-node", "--data-dir", join(dir, "remote"), "--address", ns.nsAddress, "--port", "0", "--efs-data-dir", join(dir, "cluster", "efs")],
    { name: "remote node", netns: ns.name, ready: /node remote-node is running/, timeoutMs: 120_000, env: { AWS_ENDPOINT_URL_EFS: env.AWS_ENDPOINT_URL_EFS, AWS_ACCESS_KEY_ID: env.AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: env.AWS_SECRET_ACCESS_KEY, AWS_REGION: env.AWS_REGION, AWS_CA_BUNDLE: env.AWS_CA_BUNDLE } },
  );
  client = createClient({ ...loadKubeconfig(kubeconfig), userAgent: "remote-node-test", fieldManager: "remote-node-test" });
}, 300_000);

afterAll(async () => {
  if (client) {
    for (const name of ["writer", "reader"]) await client.resource(R.pod).delete("default", name, { gracePeriodSeconds: 0 }).catch(() => undefined);
    await eventually(async () => ((await client!.resource(R.pod).list("default")).items.length === 0 ? true : undefined), "pods gone", 60_000, 250).catch(() => undefined);
    client.close();
  }
  await remote?.stop();
  await up?.stop();
  await ns?.remove();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 180_000);

const pod = (name: string, node: string, script: string): Pod => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace: "default" },
  spec: {
    nodeSelector: { "kubernetes.io/hostname": node },
    containers: [{ name: "app", image: "busybox", command: ["sh", "-c", script], volumeMounts: [{ name: "shared", mountPath: "/data" }] }],
    volumes: [{ name: "shared", persistentVolumeClaim: { claimName: "shared" } }],
  },
});

it("joins from another network namespace and shares an RWX volume with a pod on the first node", async () => {
  const c = client!;
  const node = await eventually(async () => {
    const n = await c.resource<Node>(R.node).get(undefined, "remote-node");
    return n.status?.conditions?.find((x) => x.type === "Ready")?.status === "True" ? n : undefined;
  }, "remote-node Ready", 60_000, 250);
  expect(node.status?.addresses).toContainEqual({ type: "InternalIP", address: ns!.nsAddress });
  expect((await c.resource<Node>(R.node).list()).items.map((n) => n.metadata.name).sort()).toEqual(["cistern-node", "remote-node"]);

  await c.resource<PersistentVolume>(R.pv).create({
    apiVersion: "v1", kind: "PersistentVolume", metadata: { name: "shared" },
    spec: { capacity: { storage: "5Gi" }, accessModes: ["ReadWriteMany"], persistentVolumeReclaimPolicy: "Retain", storageClassName: "", csi: { driver: "efs.csi.aws.com", volumeHandle: "fs-12345678" } },
  });
  await c.resource<PersistentVolumeClaim>(R.pvc).create({
    apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "shared", namespace: "default" },
    spec: { accessModes: ["ReadWriteMany"], storageClassName: "", resources: { requests: { storage: "5Gi" } } },
  });
  // Each pod writes its line, then waits for the other's and prints it.
  await c.resource<Pod>(R.pod).create(pod("writer", "remote-node", "echo from-remote-node > /data/remote.txt; until [ -f /data/local.txt ]; do sleep 0.2; done; cat /data/local.txt; sleep 3600"));
  await c.resource<Pod>(R.pod).create(pod("reader", "cistern-node", "echo from-first-node > /data/local.txt; until [ -f /data/remote.txt ]; do sleep 0.2; done; cat /data/remote.txt; sleep 3600"));
  for (const [name, nodeName] of [["writer", "remote-node"], ["reader", "cistern-node"]]) {
    const p = await eventually(async () => {
      const x = await c.resource<Pod>(R.pod).get("default", name);
      return x.status?.phase === "Running" ? x : undefined;
    }, `${name} Running`, 120_000, 500).catch(async (err: unknown) => {
      const x = await c.resource<Pod>(R.pod).get("default", name);
      const events = await c.resource(EVENT).list("default");
      process.stdout.write(`${name}: ${JSON.stringify({ spec: x.spec?.nodeName, status: x.status })}\nevents: ${events.items.map((e) => JSON.stringify([(e as { reason?: string }).reason, (e as { message?: string }).message])).join("\n")}\nremote node:\n${remote?.output().slice(-6000)}\nup:\n${up?.output().slice(-6000)}\n`);
      throw err;
    });
    expect(p.spec?.nodeName).toBe(nodeName);
  }
  expect((await c.resource<Pod>(R.pod).get("default", "writer")).status?.hostIP).toBe(ns!.nsAddress);
  // pods/log is proxied by the API server to each node's kubelet API: the remote one through the veth.
  const log = (name: string) => c.resource(R.pod).getSubresourceText("default", name, "log", { query: { container: "app" } });
  await eventually(async () => ((await log("writer")).includes("from-first-node") ? true : undefined), "the remote pod reads the first node's file", 60_000, 500);
  await eventually(async () => ((await log("reader")).includes("from-remote-node") ? true : undefined), "the first node's pod reads the remote pod's file", 60_000, 500);
  // Both lines are on the file system's disk.
  const fsDir = join(dir, "cluster", "efs", "fs", "fs-12345678");
  expect(readFileSync(join(fsDir, "remote.txt"), "utf8")).toBe("from-remote-node\n");
  expect(readFileSync(join(fsDir, "local.txt"), "utf8")).toBe("from-first-node\n");
}, 300_000);
