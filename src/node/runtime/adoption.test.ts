/**
 * The agent may die at any moment (even SIGKILL): containers keep running under their shims, and a new runtime
 * object over the same rootDir sees them, controls them and still learns their exit codes. One that died between
 * creating a container and starting it leaves it `created` and `abandoned`, which a later runtime can remove.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setFailpoints } from "../../lib/failpoints.js";
import { createLogger } from "../../lib/log.js";
import { mountsAtOrBelow } from "../../lib/safe-path/index.js";
import { createRuntime } from "./runtime.js";
import { eventually, makeTestRuntime, podSpec, readAll, type TestRuntime } from "./test-support.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, "../../..");

let t: TestRuntime;
beforeAll(async () => {
  t = await makeTestRuntime("runtime-adopt-");
});
afterAll(async () => {
  await t?.cleanup();
});

const TRAP = ["sh", "-c", "trap 'echo bye; exit 42' TERM; echo ready; while :; do sleep 0.1; done"];

describe("re-adoption", () => {
  it("a fresh runtime object over the same rootDir adopts a running container and gets its exit code", async () => {
    const id = await t.rt.runContainer(podSpec({ command: TRAP }));
    expect(await eventually(async () => (await readAll(await t.rt.readLogs(id))).includes("ready"))).toBe(true);

    const again = await createRuntime({ rootDir: t.rootDir, shimPath: t.shimPath, log: createLogger("adopter") });
    const seen = (await again.listContainers()).find((c) => c.id === id);
    expect(seen).toMatchObject({ state: "running", kind: "container" });
    await again.killContainer(id, "TERM");
    expect(await again.waitContainer(id)).toMatchObject({ state: "exited", exitCode: 42 });
    expect(await readAll(await again.readLogs(id))).toBe("ready\nbye\n");
  });

  it("after the agent process is killed with SIGKILL, the container runs on and its exit is recorded", async () => {
    const script = path.join(t.base, "agent.mts");
    fs.writeFileSync(
      script,
      [
        `import { createRuntime } from ${JSON.stringify(path.join(here, "index.ts"))};`,
        `const rt = await createRuntime({ rootDir: ${JSON.stringify(t.rootDir)}, shimPath: ${JSON.stringify(t.shimPath)} });`,
        `const id = await rt.runContainer(${JSON.stringify(podSpec({ command: TRAP }, "agent-pod"))});`,
        `process.stdout.write("started " + id + "\\n");`,
        `setInterval(() => {}, 1000);`,
      ].join("\n"),
    );
    const agent = spawn(process.execPath, ["--import", "tsx", script], { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, CISTERN_SPAWNER: t.spawnerPath } });
    let out = "";
    let err = "";
    agent.stdout.on("data", (c: Buffer) => (out += c.toString()));
    agent.stderr.on("data", (c: Buffer) => (err += c.toString()));
    const exited = new Promise((resolve) => agent.on("exit", resolve));
    expect(await eventually(() => /started [0-9a-f]+/.test(out), 60_000), err).toBe(true);
    const id = /started ([0-9a-f]+)/.exec(out)![1];
    agent.kill("SIGKILL");
    await exited;

    const rt = await createRuntime({ rootDir: t.rootDir, shimPath: t.shimPath, log: createLogger("new-agent") });
    const status = await rt.containerStatus(id);
    expect(status.state).toBe("running");
    expect(fs.existsSync(`/proc/${status.pid}`)).toBe(true);
    expect(await eventually(async () => (await readAll(await rt.readLogs(id))).includes("ready"))).toBe(true);
    await rt.killContainer(id, "SIGTERM");
    expect(await rt.waitContainer(id)).toMatchObject({ state: "exited", exitCode: 42, reason: "Error" });
    await rt.removePodSandbox(status.pod.uid);
    expect((await rt.listContainers()).filter((c) => c.pod.uid === status.pod.uid)).toEqual([]);
  });

  it("killing the spawner helper (SIGKILL) leaves containers and shims running; the next call starts a new helper", async () => {
    const id = await t.rt.runContainer(podSpec({ command: ["sleep", "1000"] }));
    const before = t.spawner.helperPid!;
    const state = JSON.parse(fs.readFileSync(path.join(t.rootDir, "containers", id, "state.json"), "utf8")) as { shimPid: number; pid: number };
    process.kill(before, "SIGKILL");
    await expect.poll(() => fs.existsSync(`/proc/${before}`) && !/\) Z /.test(fs.readFileSync(`/proc/${before}/stat`, "utf8"))).toBe(false);
    expect([fs.existsSync(`/proc/${state.shimPid}`), fs.existsSync(`/proc/${state.pid}`)]).toEqual([true, true]);
    expect(await t.rt.containerStatus(id)).toMatchObject({ state: "running", pid: state.pid });
    const other = await t.rt.runContainer(podSpec({ command: ["sleep", "1000"] }));
    expect(t.spawner.helperPid).not.toBe(before);
    expect(t.spawner.stats.directCalls).toBe(0);
    await t.rt.stopContainer(id, 1);
    await t.rt.stopContainer(other, 1);
    expect(await t.rt.containerStatus(id)).toMatchObject({ state: "exited" });
  });

  it("a container whose shim was killed is still seen running through runc, and reported Unknown once gone", async () => {
    const id = await t.rt.runContainer(podSpec({ command: ["sleep", "1000"] }));
    const state = JSON.parse(fs.readFileSync(path.join(t.rootDir, "containers", id, "state.json"), "utf8")) as { shimPid: number };
    process.kill(state.shimPid, "SIGKILL");
    expect(await eventually(async () => !!(await t.rt.containerStatus(id)).message)).toBe(true);
    expect(await t.rt.containerStatus(id)).toMatchObject({ state: "running", message: expect.stringMatching(/shim is gone/) });
    await t.rt.killContainer(id, "SIGKILL");
    expect(await eventually(async () => (await t.rt.containerStatus(id)).state === "exited")).toBe(true);
    expect(await t.rt.containerStatus(id)).toMatchObject({ state: "exited", exitCode: 255, reason: "Unknown" });
  });

  it("a container whose agent died between create and start (failpoint exit) is adopted as abandoned and removed without a trace", async () => {
    const vol = path.join(t.base, "abandoned-volume");
    fs.mkdirSync(vol);
    fs.writeFileSync(path.join(vol, "keep.txt"), "data\n");
    const spec = podSpec({ command: ["sh", "-c", "echo ran > /data/ran.txt"], mounts: [{ containerPath: "/data", hostPath: vol }] }, "died-pod");
    const script = path.join(t.base, "dies-after-create.mts");
    fs.writeFileSync(
      script,
      [
        `import { createRuntime } from ${JSON.stringify(path.join(here, "index.ts"))};`,
        `const rt = await createRuntime({ rootDir: ${JSON.stringify(t.rootDir)}, shimPath: ${JSON.stringify(t.shimPath)} });`,
        `await rt.runContainer(${JSON.stringify(spec)});`,
        `process.stdout.write("started\\n");`,
      ].join("\n"),
    );
    const agent = spawn(process.execPath, ["--import", "tsx", script], {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, CISTERN_SPAWNER: t.spawnerPath, CISTERN_FAILPOINTS: "node.runtime.afterCreate=exit" },
    });
    let out = "";
    let err = "";
    agent.stdout.on("data", (c: Buffer) => (out += c.toString()));
    agent.stderr.on("data", (c: Buffer) => (err += c.toString()));
    const code = await new Promise((resolve) => agent.on("exit", resolve));
    expect({ code, out }, err).toEqual({ code: 137, out: "" });

    const rt = await createRuntime({ rootDir: t.rootDir, shimPath: t.shimPath, log: createLogger("new-agent") });
    const mine = (await rt.listContainers()).filter((c) => c.pod.uid === spec.pod.uid);
    expect(mine.map((c) => [c.kind, c.state])).toEqual(expect.arrayContaining([["sandbox", "running"], ["container", "created"]]));
    const left = mine.find((c) => c.kind === "container")!;
    expect(left).toMatchObject({ abandoned: true, message: expect.stringMatching(/never ran/) });
    const dir = path.join(t.rootDir, "containers", left.id);
    // Its root filesystem and volume are mounted, as create left them.
    expect(mountsAtOrBelow(dir).length).toBeGreaterThanOrEqual(2);
    // A shim that died right after its first write (state "created") with nothing in runc: also abandoned.
    fs.writeFileSync(path.join(dir, "state.json"), JSON.stringify({ version: 1, id: left.id, status: "created", pid: 0, shimPid: process.pid, startedAt: "", finishedAt: "", exitCode: -1, signal: 0, error: "" }));
    expect(await rt.containerStatus(left.id)).toMatchObject({ state: "created", abandoned: true });

    await rt.removeContainer(left.id);
    expect(fs.existsSync(dir)).toBe(false);
    expect(mountsAtOrBelow(dir)).toEqual([]);
    expect(fs.readdirSync(vol)).toEqual(["keep.txt"]); // the volume is intact and the container never ran
    await rt.removePodSandbox(spec.pod.uid);
    expect((await rt.listContainers()).filter((c) => c.pod.uid === spec.pod.uid)).toEqual([]);
  });

  it("a container this process is still creating is created but not abandoned", async () => {
    // The failpoint holds the launch between create and start while the container is looked at.
    setFailpoints("node.runtime.afterCreate=sleep(1500)");
    try {
      const spec = podSpec({ command: ["sleep", "1000"] }, "slow-start");
      const starting = t.rt.runContainer(spec);
      const seen = async () => (await t.rt.listContainers()).find((c) => c.kind === "container" && c.pod.uid === spec.pod.uid);
      expect(await eventually(async () => (await seen())?.state === "created")).toBe(true);
      const during = await seen();
      expect(during?.abandoned).toBeUndefined();
      const again = await createRuntime({ rootDir: t.rootDir, shimPath: t.shimPath, log: createLogger("same-process") });
      expect((await again.containerStatus(during!.id)).abandoned).toBeUndefined();
      const id = await starting;
      expect(id).toBe(during!.id);
      expect(await t.rt.containerStatus(id)).toMatchObject({ state: "running" });
      await t.rt.removePodSandbox(spec.pod.uid);
    } finally {
      setFailpoints(undefined);
    }
  });

  it("a new runtime removes container directories that have no record (a crash before the record was written)", async () => {
    const stray = path.join(t.rootDir, "containers", "0123456789abcdef01234567");
    fs.mkdirSync(path.join(stray, "bundle", "rootfs"), { recursive: true });
    await createRuntime({ rootDir: t.rootDir, shimPath: t.shimPath, log: createLogger("sweeper") });
    expect(fs.existsSync(stray)).toBe(false);
  });
});
