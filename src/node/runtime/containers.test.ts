import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setFailpoints } from "../../lib/failpoints.js";
import { mountsAtOrBelow } from "../../lib/safe-path/index.js";
import { isRuntimeError } from "./errors.js";
import { eventually, makeTestRuntime, podSpec, readAll, type TestRuntime } from "./test-support.js";

let t: TestRuntime;
beforeAll(async () => {
  t = await makeTestRuntime("runtime-containers-");
});
afterAll(async () => {
  await t?.cleanup();
});

async function runToExit(spec: Parameters<TestRuntime["rt"]["runContainer"]>[0]) {
  const id = await t.rt.runContainer(spec);
  const status = await t.rt.waitContainer(id);
  const log = await readAll(await t.rt.readLogs(id));
  return { id, status, log };
}

describe("containers", () => {
  it("reports runc's known vulnerabilities loudly", async () => {
    const v = await t.rt.runcVersion();
    if (v.major === 1 && v.minor === 1) {
      expect(v.vulnerabilities.map((x) => x.id)).toEqual(expect.arrayContaining(["CVE-2025-31133", "CVE-2025-52565", "CVE-2025-52881"]));
      expect(t.rt.warnings.join(" ")).toMatch(/CVE-2025-31133.*CVE-2025-52565.*CVE-2025-52881/);
    }
    expect(v.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("writes stdout and stderr to a CRI-format log and records the exit code", async () => {
    const { id, status, log } = await runToExit(podSpec({ command: ["sh", "-c", "echo hello; echo oops >&2; printf 'no newline'; exit 3"] }));
    expect(status).toMatchObject({ state: "exited", exitCode: 3, reason: "Error" });
    expect(Date.parse(status.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(status.startedAt!));
    const raw = fs.readFileSync(status.logPath, "utf8").trim().split("\n");
    for (const line of raw) expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z (stdout|stderr) [FP] /);
    expect(raw.map((l) => l.replace(/^\S+ /, ""))).toEqual(expect.arrayContaining(["stdout F hello", "stderr F oops", "stdout F no newline"]));
    expect(log.split("\n").sort()).toEqual(["", "hello", "no newline", "oops"]);
    const stdoutOnly = await readAll(await t.rt.readLogs(id, { stream: "stdout", timestamps: true }));
    expect(stdoutOnly).toMatch(/^\S+Z hello\n\S+Z no newline\n$/);
  });

  it("splits very long lines into partial records and joins them again when reading", async () => {
    const { status, log } = await runToExit(podSpec({ command: ["sh", "-c", "head -c 40000 /dev/zero | tr '\\0' x; echo; echo after"] }));
    expect(status.exitCode).toBe(0);
    const raw = fs.readFileSync(status.logPath, "utf8").trim().split("\n");
    expect(raw.filter((l) => / stdout P /.test(l)).length).toBe(2);
    expect(log).toBe("x".repeat(40000) + "\nafter\n");
  });

  it("reads logs with tailLines, limitBytes and sinceTime", async () => {
    const { id } = await runToExit(podSpec({ command: ["sh", "-c", "for i in 1 2 3 4 5; do echo line$i; done"] }));
    expect(await readAll(await t.rt.readLogs(id, { tailLines: 2 }))).toBe("line4\nline5\n");
    expect(await readAll(await t.rt.readLogs(id, { tailLines: 0 }))).toBe("");
    expect(await readAll(await t.rt.readLogs(id, { limitBytes: 8 }))).toBe("line1\nli");
    expect(await readAll(await t.rt.readLogs(id, { sinceTime: new Date(Date.now() + 60_000) }))).toBe("");
    expect(await readAll(await t.rt.readLogs(id, { sinceTime: "2000-01-01T00:00:00Z" }))).toContain("line1");
  });

  it("follows a running container's log until it exits", async () => {
    const id = await t.rt.runContainer(podSpec({ command: ["sh", "-c", "echo first; sleep 1; echo second; exit 0"] }));
    const text = await readAll(await t.rt.readLogs(id, { follow: true }));
    expect(text).toBe("first\nsecond\n");
    expect((await t.rt.containerStatus(id)).state).toBe("exited");
  });

  it("a follower that stops reading early releases the log file", async () => {
    const id = await t.rt.runContainer(podSpec({ command: ["sh", "-c", "while :; do echo tick; sleep 0.05; done"] }));
    const fds = () => fs.readdirSync("/proc/self/fd").length;
    const before = fds();
    const stream = await t.rt.readLogs(id, { follow: true });
    for await (const chunk of stream) {
      expect(String(chunk)).toMatch(/^tick\n/);
      break; // destroys the stream
    }
    expect(await eventually(() => fds() <= before)).toBe(true);
    await t.rt.removeContainer(id);
  });

  it("starts one sandbox for concurrent first containers of a pod", async () => {
    const spec = podSpec({ command: ["sleep", "1000"] }, "concurrent");
    const ids = await Promise.all([t.rt.runContainer(spec), t.rt.runContainer({ ...spec, name: "b" }), t.rt.runContainer({ ...spec, name: "c" })]);
    const all = (await t.rt.listContainers()).filter((c) => c.pod.uid === spec.pod.uid);
    expect(all.filter((c) => c.kind === "sandbox")).toHaveLength(1);
    expect(all.filter((c) => c.kind === "container").map((c) => c.id).sort()).toEqual([...ids].sort());
    await t.rt.removePodSandbox(spec.pod.uid);
  });

  it("applies args/command rules, env, working directory and user", async () => {
    const spec = podSpec(
      {
        command: ["sh", "-c"],
        args: ['echo "$0|$GREETING|$HOSTNAME|$(pwd)|$(id -u):$(id -g)|$(id -G)|$(hostname)"'],
        env: [{ name: "GREETING", value: "hi there" }],
        workingDir: "/tmp",
        securityContext: { runAsUser: 1234, runAsGroup: 5678, fsGroup: 2000, supplementalGroups: [3000] },
      },
      "web-1",
    );
    const { status, log } = await runToExit(spec);
    expect(status.exitCode).toBe(0);
    expect(log.trim()).toBe("sh|hi there|web-1|/tmp|1234:5678|5678 2000 3000|web-1");
  });

  it("uses the image Cmd when no command is given, and reports a missing image as ErrImagePull", async () => {
    const { log } = await runToExit(podSpec({ args: undefined, command: undefined, env: [], image: "busybox:1.36", workingDir: "/" }));
    expect(log).toBe(""); // "sh" with stdin at /dev/null exits at once
    const err = await t.rt.runContainer(podSpec({ image: "nginx:latest", command: ["true"] })).catch((e: unknown) => e);
    expect(isRuntimeError(err, "ImageNotFound")).toBe(true);
  });

  it("refuses invalid specs before creating anything", async () => {
    const before = fs.readdirSync(path.join(t.rootDir, "containers")).length;
    for (const bad of [
      podSpec({ command: ["true"], workingDir: "relative" }),
      podSpec({ command: ["true"], workingDir: "/proc/self/fd/7" }),
      podSpec({ command: ["true"], securityContext: { privileged: true } }),
      podSpec({ command: ["true"], securityContext: { runAsNonRoot: true } }),
      podSpec({ command: ["a\0b"] }),
      podSpec({ command: ["true"], mounts: [{ containerPath: "/data", hostPath: t.base, subPath: "../x" }] }),
      { ...podSpec({ command: ["true"] }), name: "Bad_Name" },
    ]) {
      const err = await t.rt.runContainer(bad).catch((e: unknown) => e);
      expect(isRuntimeError(err)).toBe(true);
      expect((err as { kubeReason: string }).kubeReason).toBe("CreateContainerConfigError");
    }
    // only sandboxes of earlier pods may exist; no half-created container
    expect(fs.readdirSync(path.join(t.rootDir, "containers")).length).toBe(before);
  });

  it("a container that cannot start is a RuncFailed error with runc's reason, and leaves nothing behind", async () => {
    const dir = path.join(t.rootDir, "containers");
    const before = new Set(fs.readdirSync(dir));
    const err = await t.rt.runContainer(podSpec({ command: ["/no/such/binary"] })).catch((e: unknown) => e);
    expect(isRuntimeError(err, "RuncFailed")).toBe(true);
    expect((err as Error).message).toMatch(/no such file/i);
    // only the new pod's sandbox remains (the agent removes pods); the failed container is gone
    const added = fs.readdirSync(dir).filter((n) => !before.has(n));
    expect(added).toHaveLength(1);
    expect(added[0]).toMatch(/^sb/);
  });

  it("isolates containers on overlayfs: the image and other containers never see a container's writes", async () => {
    const a = await runToExit(podSpec({ command: ["sh", "-c", "echo changed > /etc/passwd; rm /bin/ls; echo ok > /tmp/mine; cat /etc/passwd"] }));
    expect(a.log).toBe("changed\n");
    const img = await t.rt.ensureImage("busybox");
    expect(fs.readFileSync(path.join(img.rootfs, "etc/passwd"), "utf8")).toMatch(/^root:/);
    expect(fs.existsSync(path.join(img.rootfs, "bin/ls"))).toBe(true);
    const b = await runToExit(podSpec({ command: ["sh", "-c", "head -c 5 /etc/passwd; ls /bin/ls; test -e /tmp/mine && echo leaked || echo clean"] }));
    expect(b.log).toBe("root:/bin/ls\nclean\n");
  });

  it("a read-only root filesystem cannot be written", async () => {
    const { status, log } = await runToExit(podSpec({ command: ["sh", "-c", "touch /x 2>&1; echo rc=$?"], securityContext: { readOnlyRootFilesystem: true } }));
    expect(status.exitCode).toBe(0);
    expect(log).toMatch(/Read-only file system[\s\S]*rc=1/);
  });

  it("masks and protects /proc paths and drops capabilities like a container runtime", async () => {
    const { log } = await runToExit(
      podSpec({
        command: [
          "sh",
          "-c",
          "wc -c < /proc/timer_list; ls /sys/firmware | wc -l; (echo x > /proc/sys/kernel/domainname) 2>/dev/null; echo w=$?; grep CapBnd /proc/self/status",
        ],
      }),
    );
    expect(fs.statSync("/proc/timer_list").isFile()).toBe(true); // exists on the host, so masking is what hides it
    expect(log.trim().split("\n")).toEqual(["0", "0", "w=1", "CapBnd:\t00000000a80425fb"]); // containerd's default 14 capabilities
  });

  it("kills a running container with a signal and removes it completely", async () => {
    const id = await t.rt.runContainer(podSpec({ command: ["sleep", "1000"] }));
    const running = await t.rt.containerStatus(id);
    expect(running.state).toBe("running");
    expect(fs.existsSync(`/proc/${running.pid}`)).toBe(true);
    await t.rt.killContainer(id, "SIGKILL");
    const done = await t.rt.waitContainer(id);
    expect(done).toMatchObject({ state: "exited", exitCode: 137, signal: 9 });
    await t.rt.killContainer(id, "SIGTERM"); // not running: a no-op
    await t.rt.removeContainer(id);
    expect(fs.existsSync(path.join(t.rootDir, "containers", id))).toBe(false);
    await t.rt.removeContainer(id); // idempotent
    const err = await t.rt.containerStatus(id).catch((e: unknown) => e);
    expect(isRuntimeError(err, "ContainerNotFound")).toBe(true);
  });

  it("stopContainer escalates to SIGKILL after the grace period; removing a running container kills it", async () => {
    const id = await t.rt.runContainer(podSpec({ command: ["sh", "-c", "trap '' TERM; echo ready; while :; do sleep 1; done"] }));
    const stopped = await t.rt.stopContainer(id, 1);
    expect(stopped).toMatchObject({ state: "exited", exitCode: 137 });
    const id2 = await t.rt.runContainer(podSpec({ command: ["sleep", "1000"] }));
    const pid = (await t.rt.containerStatus(id2)).pid!;
    await t.rt.removeContainer(id2);
    expect(fs.existsSync(`/proc/${pid}/status`) && !/State:\s+Z/.test(fs.readFileSync(`/proc/${pid}/status`, "utf8"))).toBe(false);
  });

  it("containers of one pod share IPC and UTS (hostname) but not pid namespaces, and the host network", async () => {
    const spec = podSpec({ command: ["sleep", "1000"] }, "shared-pod");
    const a = await t.rt.runContainer(spec);
    const b = await t.rt.runContainer({ ...spec, name: "second", command: ["sleep", "1000"] });
    const [sa, sb] = [await t.rt.containerStatus(a), await t.rt.containerStatus(b)];
    const ns = (pid: number, t2: string) => fs.readlinkSync(`/proc/${pid}/ns/${t2}`);
    expect(ns(sa.pid!, "ipc")).toBe(ns(sb.pid!, "ipc"));
    expect(ns(sa.pid!, "uts")).toBe(ns(sb.pid!, "uts"));
    expect(ns(sa.pid!, "pid")).not.toBe(ns(sb.pid!, "pid"));
    expect(ns(sa.pid!, "net")).toBe(fs.readlinkSync("/proc/self/ns/net"));
    expect(ns(sa.pid!, "uts")).not.toBe(fs.readlinkSync("/proc/self/ns/uts"));
    const sandbox = (await t.rt.listContainers()).find((c) => c.kind === "sandbox" && c.pod.uid === spec.pod.uid);
    expect(sandbox?.state).toBe("running");
    await t.rt.removePodSandbox(spec.pod.uid);
    const left = (await t.rt.listContainers()).filter((c) => c.pod.uid === spec.pod.uid);
    expect(left).toEqual([]);
  });

  it("reads the previous attempt's log", async () => {
    const spec = podSpec({ command: ["sh", "-c", "echo attempt0"] }, "restarts");
    const first = await runToExit(spec);
    const second = await runToExit({ ...spec, attempt: 1, command: ["sh", "-c", "echo attempt1"] });
    expect(second.log).toBe("attempt1\n");
    expect(await readAll(await t.rt.readLogs(second.id, { previous: true }))).toBe("attempt0\n");
    const err = await t.rt.readLogs(first.id, { previous: true }).catch((e: unknown) => e);
    expect(isRuntimeError(err, "ContainerNotFound")).toBe(true);
  });
});

describe("pod sandboxes", () => {
  it("ensurePodSandbox starts the sandbox alone, once for concurrent callers, and containers join it", async () => {
    const spec = podSpec({ command: ["hostname"] }, "early-sandbox");
    const [a, b] = await Promise.all([t.rt.ensurePodSandbox(spec.pod), t.rt.ensurePodSandbox(spec.pod)]);
    expect(a).toEqual(b);
    const pods = (await t.rt.listContainers()).filter((c) => c.pod.uid === spec.pod.uid);
    expect(pods.map((c) => [c.kind, c.state])).toEqual([["sandbox", "running"]]);
    const id = await t.rt.runContainer(spec);
    expect(await t.rt.waitContainer(id)).toMatchObject({ exitCode: 0 });
    expect(await t.rt.ensurePodSandbox(spec.pod)).toEqual(a); // still the same one
    expect(await readAll(await t.rt.readLogs(id))).toBe("early-sandbox\n");
    await t.rt.removePodSandbox(spec.pod.uid);
  });

  it("a container prepared while its sandbox fails to start is removed again, mounts and all", async () => {
    const vol = path.join(t.base, "prep-vol");
    fs.mkdirSync(vol, { recursive: true });
    const spec = podSpec({ command: ["true"], mounts: [{ containerPath: "/v", hostPath: vol }] }, "sandbox-fails");
    const mountsBefore = mountsAtOrBelow(path.join(t.rootDir, "containers")).length;
    setFailpoints("runtime.sandbox.create=throw");
    try {
      await expect(t.rt.runContainer(spec)).rejects.toThrow(/failpoint runtime.sandbox.create/);
    } finally {
      setFailpoints(undefined);
    }
    expect((await t.rt.listContainers()).filter((c) => c.pod.uid === spec.pod.uid)).toEqual([]);
    expect(mountsAtOrBelow(path.join(t.rootDir, "containers")).length).toBe(mountsBefore);
    // With a sandbox that starts slowly the container still joins it.
    setFailpoints("runtime.sandbox.create=sleep(300)");
    try {
      const id = await t.rt.runContainer({ ...spec, command: ["hostname"] });
      expect(await t.rt.waitContainer(id)).toMatchObject({ exitCode: 0 });
      expect(await readAll(await t.rt.readLogs(id))).toBe("sandbox-fails\n");
    } finally {
      setFailpoints(undefined);
    }
    await t.rt.removePodSandbox(spec.pod.uid);
  });

  it("ensurePodSandbox refuses a pod reference that could reach a path, and re-creates a dead sandbox", async () => {
    await expect(t.rt.ensurePodSandbox({ uid: "../x", name: "p", namespace: "default" })).rejects.toMatchObject({ code: "InvalidSpec" });
    await expect(t.rt.ensurePodSandbox({ uid: "u1", name: "Bad_Name", namespace: "default" })).rejects.toMatchObject({ code: "InvalidSpec" });
    const pod = podSpec({}, "sandbox-again").pod;
    const first = await t.rt.ensurePodSandbox(pod);
    await t.rt.killContainer(first.id, "SIGKILL");
    expect(await eventually(async () => (await t.rt.containerStatus(first.id)).state === "exited")).toBe(true);
    const second = await t.rt.ensurePodSandbox(pod);
    expect(second.id).toBe(first.id);
    expect(second.pid).not.toBe(first.pid);
    await t.rt.removePodSandbox(pod.uid);
  });
});
