/**
 * The kubelet API of a real node agent: only the API server's client certificate (cluster CA, CN
 * cistern:apiserver) gets in; container logs with kubectl's options (tail, timestamps, previous, since, limit,
 * follow) and the kubelet's errors; exec over v5.channel.k8s.io with stdout/stderr, stdin, a tty, and exit codes
 * coming back as Status on channel 3 — directly and through the API server's pods/log and pods/exec.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureClientCert } from "../../src/lib/pki.js";
import type { NodeAgent } from "../../src/node/index.js";
import { execWs } from "./support/exec-client.js";
import { eventually, kubeletGet, podObj, podWhen, running, startNodeFixture, type NodeFixture } from "./support/fixture.js";

let fx: NodeFixture;
let agent: NodeAgent;

beforeAll(async () => {
  fx = await startNodeFixture();
  agent = await fx.startAgent("node-k");
  await fx.pods.create(
    podObj("talker", "node-k", {
      containers: [{ name: "app", image: "busybox", command: ["sh", "-c", "echo one; sleep 0.2; echo two >&2; sleep 0.2; echo three; sleep 3600"] }],
    }),
  );
  await fx.pods.create(
    podObj("crasher", "node-k", {
      containers: [{ name: "app", image: "busybox", command: ["sh", "-c", "echo attempt; exit 3"] }],
    }),
  );
  await podWhen(fx, "talker", running, "running");
}, 120_000);

afterAll(async () => {
  await fx?.cleanup();
}, 120_000);

const logs = (q: string, pod = "talker") => kubeletGet(agent.kubeletUrl, `/containerLogs/default/${pod}/app${q}`, fx.kubeletClient);

describe("authentication", () => {
  it("refuses callers without the API server's client certificate", async () => {
    await expect(kubeletGet(agent.kubeletUrl, "/healthz")).rejects.toThrow();
    const other = await ensureClientCert(`${fx.dir}/pki`, "someone", "system:node:evil");
    const r = await kubeletGet(agent.kubeletUrl, "/healthz", { cert: other.certPem, key: other.keyPem });
    expect(r.status).toBe(403);
    expect(JSON.parse(r.body)).toMatchObject({ kind: "Status", reason: "Forbidden" });
    const ok = await kubeletGet(agent.kubeletUrl, "/healthz", fx.kubeletClient);
    expect([ok.status, ok.body]).toEqual([200, "ok"]);
  });
});

describe("container logs", () => {
  it("serves the log with tailLines, timestamps and limitBytes", async () => {
    await eventually(async () => ((await logs("")).body.includes("three") ? true : undefined), "log output");
    expect((await logs("")).body).toBe("one\ntwo\nthree\n");
    expect((await logs("?tailLines=1")).body).toBe("three\n");
    expect((await logs("?limitBytes=5")).body).toBe("one\nt");
    const ts = (await logs("?timestamps=true")).body.split("\n")[0];
    expect(ts).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z one$/);
    expect((await logs("?sinceSeconds=3600")).body).toBe("one\ntwo\nthree\n");
    expect((await logs("?sinceTime=2999-01-01T00:00:00Z")).body).toBe("");
    const bad = await logs("?tailLines=-2");
    expect(bad.status).toBe(400);
  });

  it("serves --previous of a restarted container and the kubelet's errors", async () => {
    await podWhen(fx, "crasher", (p) => (p.status?.containerStatuses?.[0].restartCount ?? 0) >= 1, "restarted once");
    const prev = await logs("?previous=true", "crasher");
    expect([prev.status, prev.body]).toEqual([200, "attempt\n"]);
    const none = await logs("?previous=true");
    expect(none.status).toBe(400);
    expect(JSON.parse(none.body).message).toBe('previous terminated container "app" in pod "talker" not found');
    const missing = await kubeletGet(agent.kubeletUrl, "/containerLogs/default/talker/nope", fx.kubeletClient);
    expect(JSON.parse(missing.body)).toMatchObject({ code: 400, message: "container nope is not valid for pod talker" });
    const nopod = await kubeletGet(agent.kubeletUrl, "/containerLogs/default/ghost/app", fx.kubeletClient);
    expect(nopod.status).toBe(404);
  });

  it("follows the log until the container exits, through the API server too", async () => {
    await fx.pods.create(podObj("counter", "node-k", { restartPolicy: "Never", containers: [{ name: "app", image: "busybox", command: ["sh", "-c", "for i in 1 2 3; do echo $i; sleep 0.3; done"] }] }));
    await podWhen(fx, "counter", (p) => !!p.status?.containerStatuses?.[0].state?.running || p.status?.phase === "Succeeded", "started");
    const followed = await logs("?follow=true", "counter");
    expect(followed.body).toBe("1\n2\n3\n");
    const viaApi = await fx.pods.getSubresourceText("default", "counter", "log", { query: { container: "app", tailLines: 2 } });
    expect(viaApi).toBe("2\n3\n");
  });

  it("a container that has not started answers 'waiting to start' with its reason", async () => {
    await fx.pods.create(podObj("noimage", "node-k", { containers: [{ name: "app", image: "registry.example/none:1" }] }));
    await podWhen(fx, "noimage", (p) => !!p.status?.containerStatuses?.[0].state?.waiting?.reason?.match(/ErrImagePull|ImagePullBackOff/), "image failure");
    const r = await logs("", "noimage");
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body).message).toMatch(/^container "app" in pod "noimage" is waiting to start: (ErrImagePull|ImagePullBackOff)$/);
  });
});

describe("exec", () => {
  const url = (q: string) => `${agent.kubeletUrl.replace("https", "wss")}/exec/default/talker/app?${q}`;

  it("runs a command with stdout and stderr and returns Success", async () => {
    const r = await execWs({ url: url("command=sh&command=-c&command=echo%20out%3B%20echo%20err%20%3E%262&stdout=true&stderr=true"), ...fx.kubeletClient });
    expect(r).toMatchObject({ stdout: "out\n", stderr: "err\n", exitCode: 0, status: { status: "Success" } });
  });

  it("returns a failing command's exit code as NonZeroExitCode", async () => {
    const r = await execWs({ url: url("command=sh&command=-c&command=exit%207&stdout=true&stderr=true"), ...fx.kubeletClient });
    expect(r.status).toEqual({
      metadata: {},
      status: "Failure",
      message: "command terminated with non-zero exit code: exit status 7",
      reason: "NonZeroExitCode",
      details: { causes: [{ reason: "ExitCode", message: "7" }] },
    });
    expect(r.exitCode).toBe(7);
  });

  it("a command that does not exist fails as an internal error naming the executable (kubectl exits 1)", async () => {
    const r = await execWs({ url: url("command=no-such-binary&stdout=true&stderr=true"), ...fx.kubeletClient });
    expect(r.status).toMatchObject({ status: "Failure", reason: "InternalError" });
    expect(r.status?.message).toBe('error executing command in container: OCI runtime exec failed: exec failed: unable to start container process: exec: "no-such-binary": executable file not found in $PATH: unknown');
    expect(r.stderr).toBe("");
    expect(r.exitCode).toBe(1);
  });

  it("feeds stdin until the v5 close signal", async () => {
    const r = await execWs({ url: url("command=cat&stdin=true&stdout=true&stderr=true"), stdin: "from stdin\n", ...fx.kubeletClient });
    expect(r).toMatchObject({ stdout: "from stdin\n", exitCode: 0 });
  });

  it("gives a tty with the requested size", async () => {
    const r = await execWs({ url: url("command=sh&command=-c&command=stty%20size%3B%20tty&stdout=true&tty=true&stdin=true"), size: { Width: 91, Height: 33 }, stdin: "", ...fx.kubeletClient });
    expect(r.stdout).toMatch(/33 91\r?\n\/dev\/pts\/\d+/);
    expect(r.exitCode).toBe(0);
  });

  it("answers WebSocket pings during a session", async () => {
    const { default: WebSocket } = await import("ws");
    const ws = new WebSocket(url("command=sleep&command=1&stdout=true"), ["v5.channel.k8s.io"], { ...fx.kubeletClient, rejectUnauthorized: false });
    await new Promise((r, j) => {
      ws.once("open", r);
      ws.once("error", j);
    });
    const pong = new Promise<Buffer>((r) => ws.once("pong", r));
    ws.ping(Buffer.from("are-you-there"));
    expect((await pong).toString()).toBe("are-you-there");
    expect(ws.protocol).toBe("v5.channel.k8s.io");
    ws.close();
  });

  it("works through the API server's pods/exec with kubectl's headers", async () => {
    const apiUrl = `${fx.api.url.replace("https", "wss")}/api/v1/namespaces/default/pods/talker/exec?command=sh&command=-c&command=echo%20via-api%3B%20exit%203&container=app&stdout=true&stderr=true`;
    const r = await execWs({ url: apiUrl, headers: { Authorization: `Bearer ${fx.token}` } });
    expect(r).toMatchObject({ stdout: "via-api\n", exitCode: 3 });
  });

  it("refuses exec into a container that is not running and without a command", async () => {
    await expect(execWs({ url: `${agent.kubeletUrl.replace("https", "wss")}/exec/default/noimage/app?command=ls&stdout=true`, ...fx.kubeletClient })).rejects.toMatchObject({ status: 400 });
    await expect(execWs({ url: url("stdout=true"), ...fx.kubeletClient })).rejects.toMatchObject({ status: 400 });
  });
});
