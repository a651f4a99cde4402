/**
 * The agent may die at any moment (even SIGKILL): containers keep running under their shims, and a new runtime
 * object over the same rootDir sees them, controls them and still learns their exit codes.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../lib/log.js";
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
});
