/**
 * Pod lifecycle on a real node: init containers in order, restart policies with the kubelet's crash-loop
 * back-off and status shapes, and graceful deletion in upstream's order — Killing event, SIGTERM reaching the
 * process, SIGKILL after the grace period, final status, containers and volumes gone, and only then the pod
 * object deleted.
 */
import * as fs from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Pod } from "../../src/api/index.js";
import { readMountInfo } from "../../src/lib/safe-path/index.js";
import type { NodeAgent } from "../../src/node/index.js";
import { boundClaim, deletePodAndWait, eventsFor, podObj, podWhen, running, startNodeFixture, type NodeFixture } from "./support/fixture.js";

let fx: NodeFixture;
let agent: NodeAgent;

beforeAll(async () => {
  fx = await startNodeFixture();
  agent = await fx.startAgent("node-l");
}, 120_000);

afterAll(async () => {
  await fx?.cleanup();
}, 120_000);

describe("init containers and restart policies", () => {
  it("runs init containers in order before the app container", async () => {
    await fx.pods.create(
      podObj("inits", "node-l", {
        restartPolicy: "Never",
        volumes: [{ name: "w", emptyDir: {} }],
        initContainers: [
          { name: "first", image: "busybox", command: ["sh", "-c", "echo first >> /w/order"], volumeMounts: [{ name: "w", mountPath: "/w" }] },
          { name: "second", image: "busybox", command: ["sh", "-c", "echo second >> /w/order"], volumeMounts: [{ name: "w", mountPath: "/w" }] },
        ],
        containers: [{ name: "app", image: "busybox", command: ["cat", "/w/order"], volumeMounts: [{ name: "w", mountPath: "/w" }] }],
      }),
    );
    const p = await podWhen(fx, "inits", (x) => x.status?.phase === "Succeeded", "Succeeded");
    expect(p.status?.initContainerStatuses?.map((s) => [s.name, s.state?.terminated?.reason, s.ready])).toEqual([
      ["first", "Completed", true],
      ["second", "Completed", true],
    ]);
    expect(p.status?.conditions?.find((c) => c.type === "Initialized")).toMatchObject({ status: "True", reason: "PodCompleted" });
    expect(await fx.pods.getSubresourceText("default", "inits", "log", { query: { container: "app" } })).toBe("first\nsecond\n");
    await deletePodAndWait(fx, "inits");
  }, 60_000);

  it("restartPolicy Never: a failing container fails the pod with its exit code", async () => {
    await fx.pods.create(podObj("fails", "node-l", { restartPolicy: "Never", containers: [{ name: "app", image: "busybox", command: ["sh", "-c", "exit 2"] }] }));
    const p = await podWhen(fx, "fails", (x) => x.status?.phase === "Failed", "Failed");
    expect(p.status?.containerStatuses?.[0]).toMatchObject({ restartCount: 0, ready: false, state: { terminated: { exitCode: 2, reason: "Error" } } });
    expect(p.status?.conditions?.find((c) => c.type === "Ready")).toMatchObject({ status: "False", reason: "PodFailed" });
    await deletePodAndWait(fx, "fails");
  }, 60_000);

  it("restartPolicy OnFailure: retries a failure and completes", async () => {
    fs.mkdirSync(join(fx.fsDir(), "retry"), { mode: 0o777 });
    await boundClaim(fx, "default", "retry", `${fx.fsId}:/retry`);
    await fx.pods.create(
      podObj("retries", "node-l", {
        restartPolicy: "OnFailure",
        volumes: [{ name: "d", persistentVolumeClaim: { claimName: "retry" } }],
        containers: [{ name: "app", image: "busybox", command: ["sh", "-c", "if [ -e /d/once ]; then echo second; exit 0; fi; touch /d/once; echo first; exit 1"], volumeMounts: [{ name: "d", mountPath: "/d" }] }],
      }),
    );
    const p = await podWhen(fx, "retries", (x) => x.status?.phase === "Succeeded", "Succeeded");
    expect(p.status?.containerStatuses?.[0]).toMatchObject({ restartCount: 1, state: { terminated: { exitCode: 0, reason: "Completed" } }, lastState: { terminated: { exitCode: 1, reason: "Error" } } });
    expect(await fx.pods.getSubresourceText("default", "retries", "log", { query: { container: "app", previous: true } })).toBe("first\n");
    await deletePodAndWait(fx, "retries");
  }, 60_000);

  it("restartPolicy Always: a crashing container goes into CrashLoopBackOff with upstream's message", async () => {
    await fx.pods.create(podObj("crash", "node-l", { containers: [{ name: "app", image: "busybox", command: ["sh", "-c", "exit 1"] }] }));
    const p = await podWhen(fx, "crash", (x) => x.status?.containerStatuses?.[0]?.state?.waiting?.reason === "CrashLoopBackOff", "CrashLoopBackOff");
    const s = p.status?.containerStatuses?.[0];
    expect(p.status?.phase).toBe("Running");
    expect(s?.restartCount).toBeGreaterThanOrEqual(1);
    expect(s?.lastState?.terminated).toMatchObject({ exitCode: 1, reason: "Error" });
    expect(s?.state?.waiting?.message).toBe(`back-off 10s restarting failed container=app pod=crash_default(${p.metadata.uid})`);
    const backOff = (await eventsFor(fx, "crash")).find((e) => e.reason === "BackOff");
    expect(backOff).toMatchObject({ type: "Warning", message: `Back-off restarting failed container app in pod crash_default(${p.metadata.uid})` });
    await deletePodAndWait(fx, "crash");
  }, 60_000);
});

describe("probes", () => {
  const ready = (p: Pod) => p.status?.conditions?.find((c) => c.type === "Ready")?.status === "True";

  it("readiness (exec): Running but not Ready until the probe succeeds", async () => {
    await fx.pods.create(
      podObj("readiness", "node-l", {
        containers: [{ name: "app", image: "busybox", command: ["sh", "-c", "sleep 2; touch /tmp/ready; sleep 3600"], readinessProbe: { exec: { command: ["test", "-e", "/tmp/ready"] }, periodSeconds: 1 } }],
      }),
    );
    const early = await podWhen(fx, "readiness", running, "running");
    expect(early.status?.containerStatuses?.[0]).toMatchObject({ ready: false, started: true });
    expect(ready(early)).toBe(false);
    const later = await podWhen(fx, "readiness", ready, "Ready", 30_000);
    expect(later.status?.containerStatuses?.[0].ready).toBe(true);
    expect((await eventsFor(fx, "readiness")).some((e) => e.reason === "Unhealthy" && /^Readiness probe failed/.test(e.message ?? ""))).toBe(true);
    await deletePodAndWait(fx, "readiness");
  }, 60_000);

  it("liveness (exec): a failing probe kills the container, which restartPolicy restarts", async () => {
    await fx.pods.create(
      podObj("liveness", "node-l", {
        terminationGracePeriodSeconds: 1,
        containers: [{ name: "app", image: "busybox", command: ["sleep", "3600"], livenessProbe: { exec: { command: ["false"] }, periodSeconds: 1, failureThreshold: 2 } }],
      }),
    );
    const p = await podWhen(fx, "liveness", (x) => (x.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1, "restarted by liveness", 30_000);
    expect(p.status?.containerStatuses?.[0].lastState?.terminated?.exitCode).toBe(137);
    const events = await eventsFor(fx, "liveness");
    expect(events.some((e) => e.reason === "Unhealthy" && e.message === "Liveness probe failed: command \"false\" exited with 1")).toBe(true);
    expect(events.some((e) => e.reason === "Killing" && e.message === "Container app failed liveness probe, will be restarted")).toBe(true);
    await deletePodAndWait(fx, "liveness");
  }, 60_000);

  it("readiness (httpGet) and startup (tcpSocket) against a server in the pod", async () => {
    const port = 20000 + Math.floor(Math.random() * 20000);
    await fx.pods.create(
      podObj("web", "node-l", {
        containers: [
          {
            name: "app",
            image: "busybox",
            command: ["sh", "-c", `mkdir -p /www && echo ok > /www/index.html && sleep 1 && httpd -f -p 127.0.0.1:${port} -h /www`],
            ports: [{ name: "http", containerPort: port }],
            startupProbe: { tcpSocket: { port: "http" }, periodSeconds: 1, failureThreshold: 10 },
            readinessProbe: { httpGet: { path: "/index.html", port: "http" }, periodSeconds: 1 },
          },
        ],
      }),
    );
    const p = await podWhen(fx, "web", ready, "Ready", 30_000);
    expect(p.status?.containerStatuses?.[0]).toMatchObject({ started: true, ready: true, restartCount: 0 });
    await deletePodAndWait(fx, "web");
  }, 60_000);
});

describe("lifecycle hooks", () => {
  it("a failing postStart hook kills the container and reports FailedPostStartHook", async () => {
    await fx.pods.create(
      podObj("badhook", "node-l", {
        restartPolicy: "Never",
        terminationGracePeriodSeconds: 1,
        containers: [{ name: "app", image: "busybox", command: ["sleep", "3600"], lifecycle: { postStart: { exec: { command: ["false"] } } } }],
      }),
    );
    const p = await podWhen(fx, "badhook", (x) => x.status?.phase === "Failed", "Failed", 30_000);
    expect(p.status?.containerStatuses?.[0].state?.terminated?.exitCode).toBe(137);
    const events = await eventsFor(fx, "badhook");
    expect(events.find((e) => e.reason === "FailedPostStartHook")).toMatchObject({ type: "Warning", message: "PostStartHook failed" });
    await deletePodAndWait(fx, "badhook");
  }, 60_000);
});

describe("activeDeadlineSeconds", () => {
  it("fails a pod that runs past its deadline, as the kubelet does", async () => {
    await fx.pods.create(podObj("deadline", "node-l", { activeDeadlineSeconds: 2, terminationGracePeriodSeconds: 1, containers: [{ name: "app", image: "busybox", command: ["sleep", "3600"] }] }));
    const p = await podWhen(fx, "deadline", (x) => x.status?.phase === "Failed", "Failed", 30_000);
    expect(p.status).toMatchObject({ reason: "DeadlineExceeded", message: "Pod was active on the node longer than the specified deadline" });
    expect(p.status?.containerStatuses?.[0].state?.terminated?.exitCode).toBe(137);
    expect((await eventsFor(fx, "deadline")).find((e) => e.reason === "DeadlineExceeded")?.type).toBe("Warning");
    await deletePodAndWait(fx, "deadline");
  }, 60_000);
});

describe("graceful deletion", () => {
  async function watchUntilGone(name: string, fromRv: string): Promise<{ before: Pod[]; mountsAtDeletion: string[]; podDirAtDeletion: boolean; uid: string }> {
    const w = await fx.pods.watch("default", { fieldSelector: `metadata.name=${name}`, resourceVersion: fromRv });
    const before: Pod[] = [];
    for await (const ev of w) {
      if (ev.type === "MODIFIED") before.push(ev.object);
      if (ev.type === "DELETED") {
        const uid = ev.object.metadata.uid ?? "";
        const podDir = join(agent.rootDir, "pods", uid);
        const mounts = readMountInfo().map((m) => m.mountPoint).filter((m) => m.startsWith(podDir));
        const dir = fs.existsSync(podDir);
        w.cancel();
        return { before, mountsAtDeletion: mounts, podDirAtDeletion: dir, uid };
      }
    }
    throw new Error("watch ended before the pod was deleted");
  }

  it("SIGTERM reaches the process, then final status, unmount and removal, and only then the pod goes", async () => {
    fs.mkdirSync(join(fx.fsDir(), "order"), { mode: 0o777 });
    await boundClaim(fx, "default", "order", `${fx.fsId}:/order`);
    await fx.pods.create(
      podObj("graceful", "node-l", {
        terminationGracePeriodSeconds: 30,
        volumes: [{ name: "d", persistentVolumeClaim: { claimName: "order" } }],
        containers: [
          {
            name: "app",
            image: "busybox",
            command: ["sh", "-c", "trap 'echo term >> /d/log; sleep 0.5; echo done >> /d/log; exit 0' TERM; echo up >> /d/log; while :; do sleep 0.1; done"],
            volumeMounts: [{ name: "d", mountPath: "/d" }],
            lifecycle: { postStart: { exec: { command: ["sh", "-c", "echo poststart >> /d/hooks"] } }, preStop: { exec: { command: ["sh", "-c", "echo prestop >> /d/log"] } } },
          },
        ],
      }),
    );
    const live = await podWhen(fx, "graceful", running, "running");
    await podWhen(fx, "graceful", () => fs.existsSync(join(fx.fsDir(), "order", "log")), "trap installed");
    const gone = watchUntilGone("graceful", live.metadata.resourceVersion ?? "0");
    await fx.pods.delete("default", "graceful");
    const r = await gone;
    expect(fs.readFileSync(join(fx.fsDir(), "order", "log"), "utf8")).toBe("up\nprestop\nterm\ndone\n");
    expect(fs.readFileSync(join(fx.fsDir(), "order", "hooks"), "utf8")).toBe("poststart\n");
    expect(r.mountsAtDeletion).toEqual([]);
    expect(r.podDirAtDeletion).toBe(false);
    expect(r.before[0].metadata.deletionTimestamp).toBeTruthy();
    const final = r.before.at(-1);
    expect(final?.status?.containerStatuses?.[0].state?.terminated).toMatchObject({ exitCode: 0, reason: "Completed" });
    expect(final?.status?.phase).toBe("Succeeded");
    const killing = (await eventsFor(fx, "graceful")).find((e) => e.reason === "Killing");
    expect(killing).toMatchObject({ type: "Normal", message: "Stopping container app", source: { component: "kubelet" } });
    expect((await agent.runtime.listContainers()).filter((c) => c.pod.uid === r.uid)).toEqual([]);
  }, 90_000);

  it("a process that ignores SIGTERM is killed after the grace period", async () => {
    await fx.pods.create(podObj("stubborn", "node-l", { terminationGracePeriodSeconds: 2, containers: [{ name: "app", image: "busybox", command: ["sh", "-c", "trap '' TERM; while :; do sleep 0.1; done"] }] }));
    const live = await podWhen(fx, "stubborn", running, "running");
    const gone = watchUntilGone("stubborn", live.metadata.resourceVersion ?? "0");
    await fx.pods.delete("default", "stubborn");
    const r = await gone;
    const final = r.before.at(-1);
    expect(final?.status?.containerStatuses?.[0].state?.terminated).toMatchObject({ exitCode: 137, reason: "Error" });
    expect(final?.status?.phase).toBe("Failed");
  }, 60_000);
});
