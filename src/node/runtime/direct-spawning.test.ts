/**
 * The runtime without the spawner's helper (not built, or unavailable): every mount, runc call and shim start is
 * made directly from this process, with the same results.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isMountPoint } from "../../lib/safe-path/index.js";
import { makeTestRuntime, podSpec, readAll, type TestRuntime } from "./test-support.js";

let t: TestRuntime;
beforeAll(async () => {
  t = await makeTestRuntime("runtime-direct-", { spawner: "direct" });
});
afterAll(async () => {
  await t?.cleanup();
  expect(t.spawner.stats.helperCalls).toBe(0);
});

describe("runtime with direct spawning", () => {
  it("runs a pod's containers with a read-only volume, and removes everything", async () => {
    const vol = path.join(t.base, "vol");
    fs.mkdirSync(vol);
    fs.writeFileSync(path.join(vol, "f"), "data");
    const spec = podSpec({ command: ["sh", "-c", "cat /v/f; touch /v/x || echo refused; hostname"], mounts: [{ containerPath: "/v", hostPath: vol, readOnly: true }] }, "direct-pod");
    const sb = await t.rt.ensurePodSandbox(spec.pod);
    const id = await t.rt.runContainer(spec);
    expect(await t.rt.waitContainer(id)).toMatchObject({ state: "exited", exitCode: 0 });
    expect(await readAll(await t.rt.readLogs(id, { stream: "stdout" }))).toBe("datarefused\ndirect-pod\n");
    expect((await t.rt.listContainers()).find((c) => c.kind === "sandbox" && c.pod.uid === spec.pod.uid)).toMatchObject({ id: sb.id, state: "running" });
    await t.rt.removePodSandbox(spec.pod.uid);
    expect(isMountPoint(path.join(t.rootDir, "containers", sb.id, "shm"))).toBe(false);
    expect(t.spawner.stats.directCalls).toBeGreaterThan(5);
  });
});
