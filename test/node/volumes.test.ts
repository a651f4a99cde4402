/**
 * Volumes as on EKS, with two real node agents on one machine: a ReadWriteMany claim shared by pods on both nodes
 * appending to one file at once; the node's own ReadWriteOncePod / ReadWriteOnce checks; files written through an
 * access point belonging to its POSIX user; mounts that cannot be made (unknown file system, missing directory,
 * IAM denial) leaving the pod in ContainerCreating with a FailedMount event saying why; an image that is not
 * present; emptyDir / configMap / secret with runAsUser and fsGroup.
 */
import * as fs from "node:fs";
import { join } from "node:path";
import { CreateAccessPointCommand, CreateFileSystemCommand, PutFileSystemPolicyCommand } from "@aws-sdk/client-efs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NodeAgent } from "../../src/node/index.js";
import { execWs } from "./support/exec-client.js";
import { R, boundClaim, deletePodAndWait, eventsFor, eventually, podObj, podWhen, running, startNodeFixture, type NodeFixture } from "./support/fixture.js";

let fx: NodeFixture;
let n1: NodeAgent;
let n2: NodeAgent;

beforeAll(async () => {
  fx = await startNodeFixture();
  const fast = { housekeepingMs: 1_000, volumeRecheckMs: 500 };
  [n1, n2] = await Promise.all([fx.startAgent("node-1", fast), fx.startAgent("node-2", fast)]);
}, 120_000);

afterAll(async () => {
  await fx?.cleanup();
}, 180_000);

const agentOf = (name: string) => (name === "node-1" ? n1 : n2);

async function exec(pod: string, node: string, argv: string[]): Promise<{ stdout: string; exitCode: number }> {
  const q = argv.map((a) => `command=${encodeURIComponent(a)}`).join("&");
  return execWs({ url: `${agentOf(node).kubeletUrl.replace("https", "wss")}/exec/default/${pod}/app?${q}&stdout=true&stderr=true`, ...fx.kubeletClient });
}

function waitingReason(p: { status?: { containerStatuses?: { state?: { waiting?: { reason?: string } } }[] } }): string | undefined {
  return p.status?.containerStatuses?.[0]?.state?.waiting?.reason;
}

async function eventMatching(pod: string, re: RegExp): Promise<string> {
  return eventually(async () => (await eventsFor(fx, pod)).map((e) => `${e.reason}: ${e.message}`).find((m) => re.test(m)), `event ${re} for ${pod}`);
}

describe("ReadWriteMany across nodes", () => {
  it("two pods on two nodes append to one file concurrently and both see every line", async () => {
    fs.mkdirSync(join(fx.fsDir(), "shared"), { mode: 0o777 });
    await boundClaim(fx, "default", "shared", `${fx.fsId}:/shared`, ["ReadWriteMany"]);
    const writer = (name: string, node: string) =>
      podObj(name, node, {
        volumes: [{ name: "data", persistentVolumeClaim: { claimName: "shared" } }],
        containers: [{ name: "app", image: "busybox", command: ["sh", "-c", `i=0; while [ $i -lt 200 ]; do i=$((i+1)); echo "${name} $i" >> /data/log.txt; done; sleep 3600`], volumeMounts: [{ name: "data", mountPath: "/data" }] }],
      });
    await Promise.all([fx.pods.create(writer("w1", "node-1")), fx.pods.create(writer("w2", "node-2"))]);
    await Promise.all([podWhen(fx, "w1", running, "running"), podWhen(fx, "w2", running, "running")]);
    const file = join(fx.fsDir(), "shared", "log.txt");
    await eventually(() => (fs.existsSync(file) && fs.readFileSync(file, "utf8").split("\n").filter(Boolean).length === 400 ? true : undefined), "400 lines");
    for (const [pod, node] of [["w1", "node-1"], ["w2", "node-2"]]) {
      const r = await exec(pod, node, ["cat", "/data/log.txt"]);
      const lines = r.stdout.split("\n").filter(Boolean);
      expect(lines).toHaveLength(400);
      for (const w of ["w1", "w2"]) expect(lines.filter((l) => l.startsWith(`${w} `)).map((l) => Number(l.split(" ")[1]))).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    }
    await Promise.all([deletePodAndWait(fx, "w1"), deletePodAndWait(fx, "w2")]);
  }, 120_000);
});

describe("read-only", () => {
  it("a claim referenced readOnly and a readOnly volumeMount refuse writes; the other mount of the claim writes", async () => {
    fs.mkdirSync(join(fx.fsDir(), "ro"), { mode: 0o777 });
    await boundClaim(fx, "default", "ro-claim", `${fx.fsId}:/ro`);
    await fx.pods.create(
      podObj("ro", "node-2", {
        restartPolicy: "Never",
        volumes: [
          { name: "byclaim", persistentVolumeClaim: { claimName: "ro-claim", readOnly: true } },
          { name: "rw", persistentVolumeClaim: { claimName: "ro-claim" } },
        ],
        containers: [
          {
            name: "app",
            image: "busybox",
            command: ["sh", "-c", "touch /a/x 2>/dev/null && echo a-writable || echo a-ro; touch /b/x 2>/dev/null && echo b-writable || echo b-ro; echo ok > /c/written && echo c-writable"],
            volumeMounts: [
              { name: "byclaim", mountPath: "/a" },
              { name: "rw", mountPath: "/b", readOnly: true },
              { name: "rw", mountPath: "/c" },
            ],
          },
        ],
      }),
    );
    await podWhen(fx, "ro", (p) => p.status?.phase === "Succeeded", "Succeeded");
    expect(await fx.pods.getSubresourceText("default", "ro", "log", { query: { container: "app" } })).toBe("a-ro\nb-ro\nc-writable\n");
    expect(fs.readdirSync(join(fx.fsDir(), "ro"))).toEqual(["written"]);
    await deletePodAndWait(fx, "ro");
  }, 60_000);
});

describe("single-writer access modes", () => {
  it("ReadWriteOncePod: a second pod waits in ContainerCreating until the first is gone", async () => {
    await boundClaim(fx, "default", "solo", `${fx.fsId}`, ["ReadWriteOncePod"]);
    const vol = { volumes: [{ name: "d", persistentVolumeClaim: { claimName: "solo" } }] };
    await fx.pods.create(podObj("first", "node-1", vol));
    await podWhen(fx, "first", running, "running");
    await fx.pods.create(podObj("second", "node-1", vol));
    const msg = await eventMatching("second", /^FailedMount: /);
    expect(msg).toMatch(/has access mode ReadWriteOncePod and is already used by pod default\/first/);
    const p = await fx.pods.get("default", "second");
    expect([p.status?.phase, waitingReason(p)]).toEqual(["Pending", "ContainerCreating"]);
    await deletePodAndWait(fx, "first");
    await podWhen(fx, "second", running, "running after the first pod is gone");
    await deletePodAndWait(fx, "second");
  }, 120_000);

  it("ReadWriteOnce: a pod on another node gets upstream's Multi-Attach error", async () => {
    await boundClaim(fx, "default", "once", `${fx.fsId}`, ["ReadWriteOnce"]);
    const vol = { volumes: [{ name: "d", persistentVolumeClaim: { claimName: "once" } }] };
    await fx.pods.create(podObj("here", "node-1", vol));
    await podWhen(fx, "here", running, "running");
    await fx.pods.create(podObj("same-node", "node-1", vol));
    await fx.pods.create(podObj("there", "node-2", vol));
    await podWhen(fx, "same-node", running, "running on the same node");
    const msg = await eventMatching("there", /^FailedAttachVolume: /);
    expect(msg).toMatch(/^FailedAttachVolume: Multi-Attach error for volume "pv-once-[0-9a-f]+" Volume is already used by pod\(s\) (here|same-node)/);
    expect(waitingReason(await fx.pods.get("default", "there"))).toBe("ContainerCreating");
    await Promise.all(["here", "same-node", "there"].map((n) => deletePodAndWait(fx, n)));
  }, 120_000);
});

describe("access points", () => {
  it("files written through an access point belong to its POSIX user, in the EFS directory", async () => {
    const ap = await fx.efsClient.send(
      new CreateAccessPointCommand({ FileSystemId: fx.fsId, ClientToken: "node-ap", PosixUser: { Uid: 4242, Gid: 4343 }, RootDirectory: { Path: "/apps/one", CreationInfo: { OwnerUid: 4242, OwnerGid: 4343, Permissions: "750" } } }),
    );
    await boundClaim(fx, "default", "ap-claim", `${fx.fsId}::${ap.AccessPointId}`, ["ReadWriteMany"]);
    await fx.pods.create(
      podObj("ap-writer", "node-2", {
        restartPolicy: "Never",
        volumes: [{ name: "d", persistentVolumeClaim: { claimName: "ap-claim" } }],
        containers: [{ name: "app", image: "busybox", command: ["sh", "-c", "echo owned > /data/f.txt && stat -c '%u:%g' /data/f.txt"], volumeMounts: [{ name: "d", mountPath: "/data" }] }],
      }),
    );
    await podWhen(fx, "ap-writer", (p) => p.status?.phase === "Succeeded", "Succeeded");
    const onDisk = fs.statSync(join(fx.fsDir(), "apps", "one", "f.txt"));
    expect([onDisk.uid, onDisk.gid]).toEqual([4242, 4343]);
    expect(fs.readFileSync(join(fx.fsDir(), "apps", "one", "f.txt"), "utf8")).toBe("owned\n");
    expect(await fx.pods.getSubresourceText("default", "ap-writer", "log", { query: { container: "app" } })).toBe("4242:4343\n");
    await deletePodAndWait(fx, "ap-writer");
  }, 120_000);
});

describe("mounts that cannot be made", () => {
  it("unknown file system, missing directory and IAM denial: ContainerCreating with a FailedMount that says why", async () => {
    const fs2 = await fx.efsClient.send(new CreateFileSystemCommand({ CreationToken: "locked" }));
    await fx.efsClient.send(
      new PutFileSystemPolicyCommand({
        FileSystemId: fs2.FileSystemId,
        BypassPolicyLockoutSafetyCheck: true,
        Policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:role/allowed" }, Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"], Resource: "*" }] }),
      }),
    );
    await fx.client.resource(R.sa).create({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "app-sa", namespace: "default", annotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/someone-else" } } });
    await boundClaim(fx, "default", "nofs", "fs-0123456789abcdef0");
    await boundClaim(fx, "default", "nodir", `${fx.fsId}:/does/not/exist`);
    await boundClaim(fx, "default", "denied", fs2.FileSystemId ?? "", ["ReadWriteMany"], { mountOptions: ["iam", "tls"] });
    const cases: [string, string, RegExp][] = [
      ["nofs", "bad-fs", /^FailedMount: MountVolume\.SetUp failed for volume "pv-nofs-[0-9a-f]+" : rpc error: code = NotFound desc = .*fs-0123456789abcdef0/],
      ["nodir", "bad-dir", /^FailedMount: MountVolume\.SetUp failed for volume "pv-nodir-[0-9a-f]+" : rpc error: code = FailedPrecondition desc = .*/],
      ["denied", "bad-iam", /^FailedMount: MountVolume\.SetUp failed for volume "pv-denied-[0-9a-f]+" : rpc error: code = PermissionDenied desc = .*/],
    ];
    for (const [claim, pod] of cases) {
      await fx.pods.create(podObj(pod, "node-1", { serviceAccountName: "app-sa", volumes: [{ name: "d", persistentVolumeClaim: { claimName: claim } }], containers: [{ name: "app", image: "busybox", command: ["true"], volumeMounts: [{ name: "d", mountPath: "/d" }] }] }));
    }
    for (const [, pod, re] of cases) {
      expect(await eventMatching(pod, re)).toMatch(re);
      const p = await fx.pods.get("default", pod);
      expect([p.status?.phase, waitingReason(p)]).toEqual(["Pending", "ContainerCreating"]);
      expect((await eventsFor(fx, pod)).find((e) => e.reason === "FailedMount")?.source?.component).toBe("kubelet");
    }
    await fx.pods.create(podObj("unbound", "node-1", { volumes: [{ name: "d", persistentVolumeClaim: { claimName: "never-made" } }] }));
    expect(await eventMatching("unbound", /^FailedMount: Unable to attach or mount volumes: unmounted volumes=\[d\], .*persistentvolumeclaims "never-made" not found/)).toBeTruthy();
    await Promise.all(["bad-fs", "bad-dir", "bad-iam", "unbound"].map((p) => deletePodAndWait(fx, p)));
  }, 120_000);

  it("an image that is not on the node: ErrImagePull, then ImagePullBackOff", async () => {
    await fx.pods.create(podObj("ghost-image", "node-2", { containers: [{ name: "app", image: "example.com/team/app:1.0" }] }));
    const p = await podWhen(fx, "ghost-image", (x) => /ErrImagePull|ImagePullBackOff/.test(waitingReason(x) ?? ""), "image failure");
    expect(p.status?.phase).toBe("Pending");
    expect(p.status?.containerStatuses?.[0].state?.waiting?.message).toMatch(/not present on this node|^Back-off pulling image "example.com\/team\/app:1.0"$/);
    expect(await eventMatching("ghost-image", /^Failed: Failed to pull image "example.com\/team\/app:1.0": /)).toBeTruthy();
    expect(await eventMatching("ghost-image", /^Failed: Error: ErrImagePull$/)).toBeTruthy();
    await podWhen(fx, "ghost-image", (x) => waitingReason(x) === "ImagePullBackOff", "ImagePullBackOff", 30_000);
    expect(await eventMatching("ghost-image", /^BackOff: Back-off pulling image "example.com\/team\/app:1.0"$/)).toBeTruthy();
    await deletePodAndWait(fx, "ghost-image");
  }, 60_000);
});

describe("emptyDir, configMap and secret with runAsUser and fsGroup", () => {
  it("runs as the user, gives the fsGroup, projects files read-only and updates them atomically", async () => {
    await fx.client.resource(R.cm).create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "app-config", namespace: "default" }, data: { "app.conf": "level=1\n", other: "x" } });
    await fx.client.resource(R.secret).create({ apiVersion: "v1", kind: "Secret", metadata: { name: "app-secret", namespace: "default" }, data: { password: Buffer.from("s3cret").toString("base64") } });
    const ids = podObj("ids", "node-1", {
      securityContext: { runAsUser: 1000, runAsGroup: 3000, fsGroup: 2000 },
      volumes: [
        { name: "scratch", emptyDir: {} },
        { name: "cfg", configMap: { name: "app-config" } },
        { name: "sec", secret: { secretName: "app-secret", defaultMode: 0o400 } },
        { name: "mem", emptyDir: { medium: "Memory", sizeLimit: "16Mi" } },
        {
          name: "proj",
          projected: {
            sources: [
              { configMap: { name: "app-config", items: [{ key: "app.conf", path: "conf/app.conf" }] } },
              { downwardAPI: { items: [{ path: "labels", fieldRef: { fieldPath: "metadata.labels" } }, { path: "name", fieldRef: { fieldPath: "metadata.name" } }] } },
            ],
          },
        },
      ],
      containers: [
        {
          name: "app",
          image: "busybox",
          command: ["sh", "-c", "id; touch /scratch/f && stat -c '%u:%g' /scratch/f; cat /etc/one.conf; cat /sec/password; echo; stat -f -c 'mem=%T' /mem; cat /proj/conf/app.conf /proj/labels; echo; cat /proj/name; echo; touch /cfg/nope 2>/dev/null || echo ro; sleep 3600"],
          volumeMounts: [
            { name: "scratch", mountPath: "/scratch" },
            { name: "cfg", mountPath: "/cfg" },
            { name: "cfg", mountPath: "/etc/one.conf", subPath: "app.conf" },
            { name: "sec", mountPath: "/sec" },
            { name: "mem", mountPath: "/mem" },
            { name: "proj", mountPath: "/proj" },
          ],
        },
      ],
    });
    ids.metadata.labels = { app: "ids" };
    await fx.pods.create(ids);
    await podWhen(fx, "ids", running, "running");
    const log = await eventually(async () => {
      const l = await fx.pods.getSubresourceText("default", "ids", "log", { query: { container: "app" } });
      return l.includes("ro\n") ? l : undefined;
    }, "log");
    expect(log).toMatch(/^uid=1000 gid=3000 groups=.*2000/);
    expect(log).toContain("1000:2000\n");
    expect(log).toContain("level=1\n");
    expect(log).toContain("s3cret\n");
    expect(log).toContain("ro\n");
    expect(log).toContain("mem=tmpfs\n");
    expect(log).toContain('level=1\napp="ids"\nids\n');
    await fx.client.resource(R.cm).patch("default", "app-config", "merge", { data: { "app.conf": "level=2\n" } });
    // The agent re-projects at housekeeping time (every second in this file).
    const r = await eventually(async () => {
      const out = await exec("ids", "node-1", ["cat", "/cfg/app.conf"]);
      return out.stdout === "level=2\n" ? out : undefined;
    }, "updated config map", 30_000);
    expect(r.exitCode).toBe(0);
    await deletePodAndWait(fx, "ids");
  }, 150_000);
});
