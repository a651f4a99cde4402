/**
 * Agent restarts. kill -9 of an agent (in its own process) running five pods — claims served by bind mounts and
 * by efs-fuse (an access point), an emptyDir, a config map: the containers run on, and a new agent over the same
 * root dir adopts them (same container ids, no restarts) and adds or leaks no mount; a pod force-deleted while
 * the agent was down has its containers and mounts cleaned up. A clean stop (keepContainers false) removes every
 * container and mount, and the next agent starts the pods again.
 */
import * as fs from "node:fs";
import { join } from "node:path";
import { CreateAccessPointCommand } from "@aws-sdk/client-efs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Pod } from "../../src/api/index.js";
import { readMountInfo } from "../../src/lib/safe-path/index.js";
import { startChildAgent, type ChildAgent } from "./support/child-agent.js";
import { R, boundClaim, eventually, podObj, podWhen, running, startNodeFixture, type NodeFixture } from "./support/fixture.js";

let fx: NodeFixture;
let child: ChildAgent | undefined;

beforeAll(async () => {
  fx = await startNodeFixture();
}, 120_000);

afterAll(async () => {
  child?.process.kill("SIGKILL");
  await fx?.cleanup();
}, 180_000);

function rootDir(name: string): string {
  return join(fx.dir, "nodes", name);
}

function mountsBelow(dir: string): string[] {
  return readMountInfo()
    .map((m) => `${m.mountPoint} ${m.fsType}`)
    .filter((m) => m.startsWith(dir + "/"))
    .sort();
}

const ids = (p: Pod) => (p.status?.containerStatuses ?? []).map((c) => `${c.name}=${c.containerID}@${c.restartCount}`).join(",");

describe("kill -9 of the agent", () => {
  it("containers keep running, a new agent adopts them, and nothing leaks", async () => {
    const node = "node-r";
    fs.mkdirSync(join(fx.fsDir(), "r1"), { mode: 0o777 });
    await boundClaim(fx, "default", "bind-claim", `${fx.fsId}:/r1`);
    const ap = await fx.efsClient.send(
      new CreateAccessPointCommand({ FileSystemId: fx.fsId, ClientToken: "restart-ap", PosixUser: { Uid: 1500, Gid: 1500 }, RootDirectory: { Path: "/r-ap", CreationInfo: { OwnerUid: 1500, OwnerGid: 1500, Permissions: "755" } } }),
    );
    await boundClaim(fx, "default", "ap-claim", `${fx.fsId}::${ap.AccessPointId}`);
    await fx.client.resource(R.cm).create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "restart-cfg", namespace: "default" }, data: { k: "v" } });
    const loop = (file: string) => ["sh", "-c", `while :; do date >> ${file}; sleep 0.2; done`];
    const pods = [
      podObj("r-bind", node, { volumes: [{ name: "d", persistentVolumeClaim: { claimName: "bind-claim" } }], containers: [{ name: "app", image: "busybox", command: loop("/d/bind.log"), volumeMounts: [{ name: "d", mountPath: "/d" }] }] }),
      podObj("r-ap", node, { volumes: [{ name: "d", persistentVolumeClaim: { claimName: "ap-claim" } }], containers: [{ name: "app", image: "busybox", command: loop("/d/ap.log"), volumeMounts: [{ name: "d", mountPath: "/d" }] }] }),
      podObj("r-empty", node, { volumes: [{ name: "d", emptyDir: {} }], containers: [{ name: "app", image: "busybox", command: loop("/d/x"), volumeMounts: [{ name: "d", mountPath: "/d" }] }] }),
      podObj("r-cfg", node, { volumes: [{ name: "c", configMap: { name: "restart-cfg" } }], containers: [{ name: "app", image: "busybox", command: ["sleep", "3600"], volumeMounts: [{ name: "c", mountPath: "/c" }] }] }),
      podObj("r-doomed", node, { volumes: [{ name: "d", persistentVolumeClaim: { claimName: "bind-claim" } }], containers: [{ name: "app", image: "busybox", command: ["sleep", "3600"], volumeMounts: [{ name: "d", mountPath: "/d" }] }] }),
    ];
    child = await startChildAgent(fx, node, rootDir(node));
    for (const p of pods) await fx.pods.create(p);
    const before = new Map<string, Pod>();
    for (const p of pods) before.set(p.metadata.name ?? "", await podWhen(fx, p.metadata.name ?? "", running, "running"));
    const mountsBefore = mountsBelow(rootDir(node));
    expect(mountsBefore.some((m) => m.endsWith("fuse.efs"))).toBe(true);

    child.process.kill("SIGKILL");
    await child.exited;
    child = undefined;
    // The containers do not depend on the agent.
    const apLog = join(fx.fsDir(), "r-ap", "ap.log");
    const size = fs.statSync(apLog).size;
    await eventually(() => (fs.statSync(apLog).size > size ? true : undefined), "the access-point pod keeps writing through efs-fuse");
    expect(mountsBelow(rootDir(node))).toEqual(mountsBefore);

    const doomed = before.get("r-doomed") as Pod;
    await fx.pods.delete("default", "r-doomed", { gracePeriodSeconds: 0 });
    await expect(fx.pods.get("default", "r-doomed")).rejects.toMatchObject({ code: 404 });

    const agent = await fx.startAgent(node);
    await eventually(async () => ((await agent.runtime.listContainers()).some((c) => c.pod.uid === doomed.metadata.uid) ? undefined : true), "the force-deleted pod's containers removed");
    const doomedDir = join(rootDir(node), "pods", doomed.metadata.uid ?? "");
    await eventually(() => (fs.existsSync(doomedDir) ? undefined : true), "the force-deleted pod's directory removed");
    // The deleted pod loses exactly its five mounts (volume, container rootfs and volume bind, sandbox rootfs and
    // shm); nothing else changes and nothing new appears.
    const doomedContainer = doomed.status?.containerStatuses?.[0].containerID?.replace("runc://", "") ?? "";
    const after = await eventually(() => {
      const now = mountsBelow(rootDir(node));
      return now.length === mountsBefore.length - 5 ? now : undefined;
    }, "the deleted pod's mounts gone", 30_000);
    expect(after.every((m) => mountsBefore.includes(m))).toBe(true);
    expect(after.filter((m) => m.includes(doomed.metadata.uid ?? "") || m.includes(doomedContainer))).toEqual([]);
    for (const name of ["r-bind", "r-ap", "r-empty", "r-cfg"]) {
      const now = await podWhen(fx, name, running, "still running");
      expect(ids(now)).toBe(ids(before.get(name) as Pod));
    }
    const sizeNow = fs.statSync(apLog).size;
    await eventually(() => (fs.statSync(apLog).size > sizeNow ? true : undefined), "still writing after the restart");
  }, 180_000);

  it("a clean stop removes every container and mount; the next agent runs the pods again", async () => {
    const node = "node-r";
    const agent = fx.agents.find((a) => a.name === node);
    expect(agent).toBeDefined();
    const before = new Map<string, string>();
    for (const name of ["r-bind", "r-ap", "r-empty", "r-cfg"]) before.set(name, ids(await fx.pods.get("default", name)));
    await agent?.stop({ keepContainers: false });
    fx.agents.splice(fx.agents.indexOf(agent as never), 1);
    expect(mountsBelow(rootDir(node))).toEqual([]);
    expect(fs.readdirSync(join(rootDir(node), "pods"))).toEqual([]);
    const again = await fx.startAgent(node);
    for (const name of ["r-bind", "r-ap", "r-empty", "r-cfg"]) await podWhen(fx, name, (p) => running(p) && ids(p) !== before.get(name), "running again in new containers");
    expect((await again.runtime.listContainers()).filter((c) => c.kind === "container" && c.state === "running")).toHaveLength(4);
    // The kubelet counts the lost containers as restarts.
    for (const name of ["r-bind", "r-ap", "r-empty", "r-cfg"]) expect((await fx.pods.get("default", name)).status?.containerStatuses?.[0].restartCount).toBe(1);
  }, 120_000);
});
