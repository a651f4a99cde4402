/**
 * An agent killed between creating a container and starting it (failpoint node.runtime.afterCreate=exit, the
 * window between the CRI's CreateContainer and StartContainer). The next agent over the same root dir finds the
 * container created and never started: it removes it (mounts included) and creates it again. That is the
 * container's first start, not a restart: restartPolicy Never does not stop it and restartCount stays 0. The pod
 * runs and its container really writes to its volume; no status ever shows `waiting` without a reason.
 */
import * as fs from "node:fs";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Pod } from "../../src/api/index.js";
import { readMountInfo } from "../../src/lib/safe-path/index.js";
import { startChildAgent, type ChildAgent } from "./support/child-agent.js";
import { boundClaim, deletePodAndWait, eventsFor, eventually, podObj, podWhen, running, startNodeFixture, type NodeFixture } from "./support/fixture.js";

let fx: NodeFixture;
let child: ChildAgent | undefined;

beforeAll(async () => {
  fx = await startNodeFixture();
}, 120_000);

afterAll(async () => {
  child?.process.kill("SIGKILL");
  await fx?.cleanup();
}, 180_000);

interface Leftover {
  id: string;
  dir: string;
}

/** Containers of pod `name` in the node's runtime that have a record but no shim state: created, never started. */
function neverStarted(containersDir: string, name: string): Leftover[] {
  const out: Leftover[] = [];
  for (const id of fs.readdirSync(containersDir)) {
    const dir = join(containersDir, id);
    const rec = JSON.parse(fs.readFileSync(join(dir, "container.json"), "utf8")) as { kind: string; pod: { name: string } };
    if (rec.kind === "container" && rec.pod.name === name && !fs.existsSync(join(dir, "state.json"))) out.push({ id, dir });
  }
  return out;
}

function waitingWithoutReason(p: Pod): string[] {
  return [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])].filter((s) => s.state?.waiting && !s.state.waiting.reason).map((s) => s.name);
}

describe("agent killed between create and start", () => {
  it("the next agent removes the never-started container, creates it again and the pod runs", async () => {
    const node = "node-c";
    const rootDir = join(fx.dir, "nodes", node);
    fs.mkdirSync(join(fx.fsDir(), "c1"), { mode: 0o777 });
    await boundClaim(fx, "default", "c-claim", `${fx.fsId}:/c1`);
    const token = randomBytes(8).toString("hex");
    const written = join(fx.fsDir(), "c1", "out.txt");
    const pod = podObj("c-pod", node, {
      restartPolicy: "Never",
      volumes: [{ name: "d", persistentVolumeClaim: { claimName: "c-claim" } }],
      containers: [{ name: "app", image: "busybox", command: ["sh", "-c", `echo ${token} > /d/out.txt && exec sleep 3600`], volumeMounts: [{ name: "d", mountPath: "/d" }] }],
    });

    child = await startChildAgent(fx, node, rootDir, { CISTERN_FAILPOINTS: "node.runtime.afterCreate=exit" });
    const created = await fx.pods.create(pod);
    // Every version of the pod from now on, across both agents.
    const versions: Pod[] = [];
    const w = await fx.pods.watch("default", { fieldSelector: "metadata.name=c-pod", resourceVersion: created.metadata.resourceVersion });
    const recording = (async () => {
      for await (const ev of w) if (ev.type === "MODIFIED" || ev.type === "ADDED") versions.push(ev.object);
    })();

    expect(await child.exited, child.stderr()).toBe(137);
    child = undefined;
    // What the killed agent left: the container, created (root filesystem and volume mounted) and never started.
    const [left, ...more] = neverStarted(join(rootDir, "runtime", "containers"), "c-pod");
    expect(left).toBeDefined();
    expect(more).toEqual([]);
    expect(readMountInfo().filter((m) => m.mountPoint.startsWith(left.dir + "/")).length).toBeGreaterThanOrEqual(2);
    expect(fs.existsSync(written)).toBe(false);

    await fx.startAgent(node);
    const p = await podWhen(fx, "c-pod", running, "running after the restart", 60_000);
    const cs = p.status?.containerStatuses?.[0];
    expect(cs).toMatchObject({ name: "app", ready: true, started: true, restartCount: 0 });
    expect(cs?.containerID).toMatch(/^runc:\/\/[0-9a-f]+$/);
    expect(cs?.containerID).not.toBe(`runc://${left.id}`);
    // The container really runs: it wrote the token through its volume.
    expect(await eventually(() => (fs.existsSync(written) ? fs.readFileSync(written, "utf8") : undefined), "the token written")).toBe(`${token}\n`);
    // The abandoned one is gone with its mounts.
    expect(fs.existsSync(left.dir)).toBe(false);
    expect(readMountInfo().filter((m) => m.mountPoint.includes(left.id))).toEqual([]);
    expect((await eventsFor(fx, "c-pod")).filter((e) => e.reason === "Started").length).toBeGreaterThanOrEqual(1);

    w.cancel();
    await recording;
    expect(versions.length).toBeGreaterThan(0);
    expect(versions.flatMap(waitingWithoutReason)).toEqual([]);

    await deletePodAndWait(fx, "c-pod");
    expect(readMountInfo().filter((m) => m.mountPoint.startsWith(join(rootDir, "pods") + "/"))).toEqual([]);
  }, 180_000);
});
