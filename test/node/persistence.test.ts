/**
 * The guide's proof of persistence with real runc and the real EFS service: a busybox pod writes
 * "Hello from EFS" into /data/msg.txt on an EFS claim; the bytes land in the EFS service's directory (not the
 * pod's); the pod is deleted (graceful deletion runs to the end and the object goes); a new pod with the same
 * claim prints the file, and its log says so.
 */
import * as fs from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { boundClaim, deletePodAndWait, eventsFor, podObj, podWhen, running, startNodeFixture, type NodeFixture } from "./support/fixture.js";

let fx: NodeFixture;

beforeAll(async () => {
  fx = await startNodeFixture();
  await fx.startAgent("node-a");
}, 120_000);

afterAll(async () => {
  await fx?.cleanup();
}, 120_000);

describe("Hello from EFS", () => {
  it("writes through the claim into the EFS directory and survives pod re-creation", async () => {
    fs.mkdirSync(join(fx.fsDir(), "guide"), { mode: 0o777 });
    await boundClaim(fx, "default", "efs-claim", `${fx.fsId}:/guide`);
    const volumes = [{ name: "persistent-storage", persistentVolumeClaim: { claimName: "efs-claim" } }];
    const mounts = [{ name: "persistent-storage", mountPath: "/data" }];
    await fx.pods.create(
      podObj("app", "node-a", {
        volumes,
        containers: [{ name: "app", image: "busybox", command: ["/bin/sh"], args: ["-c", "echo 'Hello from EFS' > /data/msg.txt; sleep 3600"], volumeMounts: mounts }],
      }),
    );
    const pod = await podWhen(fx, "app", running, "running");
    expect(pod.status?.conditions?.find((c) => c.type === "Ready")?.status).toBe("True");
    const file = join(fx.fsDir(), "guide", "msg.txt");
    await podWhen(fx, "app", () => fs.existsSync(file), "msg.txt in the EFS directory");
    expect(fs.readFileSync(file, "utf8")).toBe("Hello from EFS\n");

    const reasons = (await eventsFor(fx, "app")).map((e) => `${e.reason}: ${e.message}`);
    expect(reasons).toEqual(expect.arrayContaining(['Pulled: Container image "busybox" already present on machine', "Created: Created container: app", "Started: Started container app"]));

    await deletePodAndWait(fx, "app");
    expect(fs.readFileSync(file, "utf8")).toBe("Hello from EFS\n");
    const podsDir = join(fx.agents[0].rootDir, "pods");
    expect(fs.readdirSync(podsDir)).toEqual([]);

    await fx.pods.create(
      podObj("reader", "node-a", {
        volumes,
        restartPolicy: "Never",
        containers: [{ name: "app", image: "busybox", command: ["cat", "/data/msg.txt"], volumeMounts: mounts }],
      }),
    );
    const done = await podWhen(fx, "reader", (p) => p.status?.phase === "Succeeded", "Succeeded");
    expect(done.status?.containerStatuses?.[0].state?.terminated).toMatchObject({ exitCode: 0, reason: "Completed" });
    const log = await fx.pods.getSubresourceText("default", "reader", "log", { query: { container: "app" } });
    expect(log).toBe("Hello from EFS\n");
    await deletePodAndWait(fx, "reader");
  }, 120_000);
});
