/**
 * `cistern explain` through the real command against a real API server with the controllers
 * running: a specific, correct answer for the typical Pending causes (size, access mode, class,
 * selector, volumeMode, WaitForFirstConsumer), in JSON and as text.
 */
import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerExplain } from "../../src/cli/commands/explain.js";
import { startControllers, type Explanation, type PersistentVolume, type PersistentVolumeClaim, type RunningControllers } from "../../src/controllers/index.js";
import { startTestCluster, type TestCluster } from "./support/cluster.js";
import { R, api, eventually, pvObj, pvcObj, scObj } from "./support/objects.js";

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
    expect(e.causes[0].id).toBe("storage-class");
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
  it("explains a volume and a missing object", async () => {
    const e = JSON.parse(await explain(["pv", "small-vol", "-o", "json"])) as Explanation;
    expect(e.summary).toBe("Available: no claim has taken it yet");
    const missing = await explainJson("pvc", "nope");
    expect(missing.found).toBe(false);
    process.exitCode = 0;
  });
});
