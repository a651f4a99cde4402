/**
 * `cistern explain` through the real command against a real API server with the controllers
 * running: a specific, correct answer for the typical Pending causes (size, access mode, class,
 * selector, volumeMode, WaitForFirstConsumer), the most specific cause first, in JSON and as text;
 * and for a scheduled pod that does not start, the cause its node reports (here written as a node
 * agent writes it: pod status and Warning events through the API).
 */
import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerExplain } from "../../src/cli/commands/explain.js";
import type { KubeObject } from "../../src/api/types.js";
import { startControllers, type Explanation, type PersistentVolume, type PersistentVolumeClaim, type Pod, type RunningControllers } from "../../src/controllers/index.js";
import { startTestCluster, type TestCluster } from "./support/cluster.js";
import { R, api, eventually, nodeObj, podObj, pvObj, pvcObj, scObj } from "./support/objects.js";

let cluster: TestCluster;
let ctrl: RunningControllers;
const NS = "explain";

async function explain(args: string[]): Promise<string> {
  const program = new Command();
  program.exitOverride();
  registerExplain(program);
  let out = "";
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => ((out += String(chunk)), true)) as typeof process.stdout.write;
  try {
    await program.parseAsync(["node", "cistern", "explain", ...args, "--kubeconfig", cluster.kubeconfig]);
  } finally {
    process.stdout.write = write;
  }
  return out;
}

async function explainJson(kind: string, name: string): Promise<Explanation> {
  return JSON.parse(await explain([kind, name, "-n", NS, "-o", "json"])) as Explanation;
}

beforeAll(async () => {
  cluster = await startTestCluster();
  const c = cluster.client;
  await api(c, R.ns).create({ apiVersion: "v1", kind: "Namespace", metadata: { name: NS } });
  await api(c, R.sc).create(scObj("wait", "efs.csi.aws.com", { mode: "WaitForFirstConsumer" }));
  await api(c, R.sc).create(scObj("static", "kubernetes.io/no-provisioner"));
  const pvs = api<PersistentVolume>(c, R.pv);
  const pvcs = api<PersistentVolumeClaim>(c, R.pvc);
  // One near miss per cause, each in a class of its own so they do not interfere.
  await pvs.create(pvObj("small-vol", { cls: "t-size", size: "1Gi" }));
  await pvcs.create(pvcObj(NS, "size", { cls: "t-size", size: "10Gi" }));
  await pvs.create(pvObj("rwo-vol", { cls: "t-mode", modes: ["ReadWriteOnce"] }));
  await pvcs.create(pvcObj(NS, "access", { cls: "t-mode", modes: ["ReadWriteMany"] }));
  await pvs.create(pvObj("slow-vol", { cls: "slow" }));
  await pvcs.create(pvcObj(NS, "klass", { cls: "static" }));
  await pvs.create(pvObj("plain-vol", { cls: "t-sel" }));
  await pvcs.create(pvcObj(NS, "selector", { cls: "t-sel", selector: { tier: "db" } }));
  const block = pvcObj(NS, "blockmode", { cls: "t-vm" });
  block.spec.volumeMode = "Block";
  await pvs.create(pvObj("fs-vol", { cls: "t-vm" }));
  await pvcs.create(block);
  await pvcs.create(pvcObj(NS, "later", { cls: "wait" }));
  ctrl = await startControllers({ client: c, workers: 4 });
  await eventually(async () => ((await pvs.list()).items.every((v) => v.status?.phase === "Available") ? true : undefined), "volumes Available");
});

afterAll(async () => {
  await ctrl?.stop();
  await cluster?.stop();
});

describe("cistern explain pvc", () => {
  it("size", async () => {
    const e = await explainJson("pvc", "size");
    expect(e.phase).toBe("Pending");
    expect(e.candidates?.find((c) => c.volume === "small-vol")).toMatchObject({ rejectedBy: "too-small", detail: "capacity 1Gi is less than the request 10Gi" });
    expect(e.causes[0].id).toBe("size");
    expect(e.causes[0].fixes).toEqual([`kubectl patch pv small-vol --type merge -p '{"spec":{"capacity":{"storage":"10Gi"}}}'`]);
  });
  it("access mode", async () => {
    const e = await explainJson("pvc", "access");
    expect(e.candidates?.find((c) => c.volume === "rwo-vol")?.rejectedBy).toBe("access-modes");
    expect(e.causes[0]).toMatchObject({ id: "access-mode" });
  });
  it("class", async () => {
    const e = await explainJson("pvc", "klass");
    expect(e.candidates?.find((c) => c.volume === "slow-vol")).toMatchObject({ rejectedBy: "storage-class", detail: 'storageClassName "slow", the claim wants "static"' });
    // Nothing of its own class can serve it, which is said first; the volume of another class is the last hint.
    expect(e.causes.map((c) => c.id)).toEqual(["no-provisioner", "storage-class"]);
    expect(e.storageClass?.state).toBe("static volumes only (kubernetes.io/no-provisioner)");
  });
  it("selector", async () => {
    const e = await explainJson("pvc", "selector");
    expect(e.causes[0]).toMatchObject({ id: "selector", fixes: ["kubectl label pv plain-vol tier=db"] });
  });
  it("volumeMode", async () => {
    const e = await explainJson("pvc", "blockmode");
    expect(e.candidates?.find((c) => c.volume === "fs-vol")?.rejectedBy).toBe("volume-mode");
    expect(e.causes[0].id).toBe("volume-mode");
  });
  it("WaitForFirstConsumer, with the controller's event", async () => {
    const e = await eventually(async () => {
      const x = await explainJson("pvc", "later");
      return x.events.some((ev) => ev.reason === "WaitForFirstConsumer") ? x : undefined;
    }, "WaitForFirstConsumer event visible to explain");
    expect(e.causes[0].id).toBe("wait-for-first-consumer");
    expect(e.events[0]).toMatchObject({ type: "Normal", reason: "WaitForFirstConsumer", message: "waiting for first consumer to be created before binding", source: "persistentvolume-controller" });
  });
  it("prints text with the same answer", async () => {
    const text = await explain(["pvc", "size", "-n", NS]);
    expect(text).toContain(`PersistentVolumeClaim ${NS}/size`);
    expect(text).toMatch(/small-vol\s+rejected: too-small/);
    expect(text).toContain("$ kubectl patch pv small-vol");
  });
  it("a missing StorageClass comes first, then a Released volume of its class, a volume of another class last; JSON and text agree", async () => {
    const pvs = api<PersistentVolume>(cluster.client, R.pv);
    const kept = pvObj("old-fast", { cls: "fast-ssd" });
    kept.spec.claimRef = { kind: "PersistentVolumeClaim", apiVersion: "v1", namespace: NS, name: "earlier", uid: "0a1b2c3d-gone" };
    await pvs.create(kept);
    await pvs.create(pvObj("classless-vol", { size: "5Gi" }));
    await api<PersistentVolumeClaim>(cluster.client, R.pvc).create(pvcObj(NS, "fast-claim", { cls: "fast-ssd" }));
    await eventually(async () => ((await pvs.get(undefined, "old-fast")).status?.phase === "Released" ? true : undefined), "old-fast Released");
    const e = await explainJson("pvc", "fast-claim");
    expect(e.causes.map((c) => c.id)).toEqual(["storage-class-missing", "released-volume", "storage-class"]);
    expect(e.summary).toBe('StorageClass "fast-ssd" does not exist');
    expect(e.causes[1].message).toContain("old-fast is Released (kept from a deleted claim) and would otherwise match: Released volumes are not reused");
    expect(e.causes[2].message).toMatch(/^storage class: classless-vol, .* would match but belong to another class than "fast-ssd"$/);
    const text = await explain(["pvc", "fast-claim", "-n", NS]);
    expect(text).toContain('Why: StorageClass "fast-ssd" does not exist');
    const at = e.causes.map((c) => text.indexOf(`. ${c.message}`));
    expect(at.every((i) => i > 0)).toBe(true);
    expect(at).toEqual([...at].sort((a, b) => a - b));
  });
  it("explains a volume and a missing object", async () => {
    const e = JSON.parse(await explain(["pv", "small-vol", "-o", "json"])) as Explanation;
    expect(e.summary).toBe("Available: no claim has taken it yet");
    const missing = await explainJson("pvc", "nope");
    expect(missing.found).toBe(false);
    process.exitCode = 0;
  });
});

describe("cistern explain pod, scheduled but not started", () => {
  it("an image that is not on the node: the cause, the containers and conditions, and the fix", async () => {
    const c = cluster.client;
    await api(c, R.node).create(nodeObj("explain-node"));
    const node = await api(c, R.node).get(undefined, "explain-node");
    await api(c, R.node).updateStatus({ ...node, status: { conditions: [{ type: "Ready", status: "True", reason: "KubeletReady", message: "ok" }] } } as KubeObject);
    const pods = api<Pod>(c, R.pod);
    const created = await pods.create(podObj(NS, "no-image", [], "explain-node", { containers: [{ name: "web", image: "nginx:1.27" }] }));
    const conditions = [
      { type: "PodReadyToStartContainers", status: "True" },
      { type: "Initialized", status: "True" },
      { type: "Ready", status: "False", reason: "ContainersNotReady", message: "containers with unready status: [web]" },
      { type: "ContainersReady", status: "False", reason: "ContainersNotReady", message: "containers with unready status: [web]" },
      { type: "PodScheduled", status: "True" },
    ];
    const waiting = { reason: "ImagePullBackOff", message: 'Back-off pulling image "nginx:1.27"' };
    await pods.updateStatus({ ...created, status: { phase: "Pending", conditions, containerStatuses: [{ name: "web", image: "nginx:1.27", imageID: "", ready: false, restartCount: 0, started: false, state: { waiting } }] } });
    const pulled = 'Failed to pull image "nginx:1.27": image "nginx:1.27" is not present on this node; this runtime does not pull — import it, or use busybox';
    const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
    await api(c, R.event).create({
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: "no-image.pull", namespace: NS },
      involvedObject: { kind: "Pod", apiVersion: "v1", namespace: NS, name: "no-image", uid: created.metadata.uid },
      type: "Warning",
      reason: "Failed",
      message: pulled,
      count: 1,
      firstTimestamp: now,
      lastTimestamp: now,
      source: { component: "kubelet", host: "explain-node" },
    } as KubeObject);

    const e = await explainJson("pod", "no-image");
    expect(e.causes.map((x) => x.id)).toEqual(["image-not-present"]);
    expect(e.summary).toBe(`scheduled to explain-node but not running: ${e.causes[0].message}`);
    expect(e.causes[0].message).toBe('container web: image "nginx:1.27" is not present on the node (ImagePullBackOff); Cistern does not pull images: import it, or use busybox, which is built in');
    expect(e.causes[0].fixes).toContain("cistern image import nginx:1.27 image.tar");
    expect(e.containers).toEqual([{ name: "web", init: false, state: "Waiting", reason: "ImagePullBackOff", message: waiting.message, ready: false, restarts: 0 }]);
    expect(e.conditions?.map((x) => `${x.type}=${x.status}`)).toEqual(["PodReadyToStartContainers=True", "Initialized=True", "Ready=False", "ContainersReady=False", "PodScheduled=True"]);
    expect(e.events[0]).toMatchObject({ type: "Warning", reason: "Failed", message: pulled });

    const text = await explain(["pod", "no-image", "-n", NS]);
    expect(text).toMatch(/web\s+Waiting\s+no\s+0\s+ImagePullBackOff/);
    expect(text).toContain("$ cistern image import nginx:1.27 image.tar");
  });
});
