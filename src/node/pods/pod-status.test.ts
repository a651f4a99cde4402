import { describe, expect, it } from "vitest";
import { generatePodStatus, type PodStatusInput } from "./pod-status.js";
import { podPhase } from "./phase.js";
import { rc, testPod } from "./test-objects.js";

const NOW = new Date("2024-01-01T00:05:00.500Z");

function status(over: Partial<PodStatusInput>) {
  return generatePodStatus({ pod: testPod(), containers: [], waiting: new Map(), sandboxReady: true, podIsTerminal: false, hostIP: "127.0.0.1", now: NOW, ...over });
}

function condition(s: ReturnType<typeof status>, type: string) {
  return s.conditions?.find((c) => c.type === type);
}

describe("generatePodStatus", () => {
  it("a pod whose container is not created yet is Pending with ContainerCreating", () => {
    const s = status({ sandboxReady: false });
    expect(s.phase).toBe("Pending");
    expect(s.containerStatuses).toEqual([
      { name: "app", state: { waiting: { reason: "ContainerCreating" } }, lastState: {}, ready: false, restartCount: 0, image: "busybox", imageID: "", started: false },
    ]);
    expect(s.conditions?.map((c) => [c.type, c.status, c.reason ?? ""])).toEqual([
      ["PodReadyToStartContainers", "False", ""],
      ["Initialized", "True", ""],
      ["Ready", "False", "ContainersNotReady"],
      ["ContainersReady", "False", "ContainersNotReady"],
      ["PodScheduled", "True", ""],
    ]);
    expect(condition(s, "Ready")?.message).toBe("containers with unready status: [app]");
    expect(s).toMatchObject({ hostIP: "127.0.0.1", podIP: "127.0.0.1", startTime: "2024-01-01T00:05:00Z", qosClass: "BestEffort" });
  });

  it("a created container (being started, or abandoned and about to be made again) waits with ContainerCreating", () => {
    for (const c of [rc("app", 0, "created"), rc("app", 0, "created", { abandoned: true })]) {
      const s = status({ containers: [c] });
      expect(s.phase).toBe("Pending");
      expect(s.containerStatuses?.[0]).toMatchObject({ state: { waiting: { reason: "ContainerCreating" } }, ready: false, started: false, restartCount: 0 });
    }
  });

  it("a running container makes the pod Running and Ready", () => {
    const c = rc("app", 0, "running");
    const s = status({ containers: [c] });
    expect(s.phase).toBe("Running");
    expect(s.containerStatuses?.[0]).toMatchObject({
      state: { running: { startedAt: "2024-01-01T00:01:00Z" } },
      ready: true,
      started: true,
      restartCount: 0,
      containerID: `runc://${c.id}`,
      imageID: "busybox-abc",
    });
    expect(condition(s, "Ready")).toMatchObject({ status: "True", lastTransitionTime: "2024-01-01T00:05:00Z", lastProbeTime: null });
  });

  it("a crash loop shows CrashLoopBackOff with the last termination and the restart count", () => {
    const s = status({
      containers: [rc("app", 0, "exited", { exitCode: 1, reason: "Error" }), rc("app", 1, "exited", { exitCode: 1, reason: "Error" })],
      waiting: new Map([["app", { reason: "CrashLoopBackOff", message: "back-off 10s restarting failed container=app pod=app_default(u-1)" }]]),
    });
    expect(s.phase).toBe("Running");
    expect(s.containerStatuses?.[0]).toMatchObject({
      state: { waiting: { reason: "CrashLoopBackOff" } },
      lastState: { terminated: { exitCode: 1, reason: "Error", finishedAt: "2024-01-01T00:02:00Z" } },
      restartCount: 1,
      ready: false,
    });
  });

  it("restartPolicy Never: exit 0 is Succeeded (Completed), a failure is Failed", () => {
    const ok = status({ pod: testPod({ restartPolicy: "Never" }), containers: [rc("app", 0, "exited")], sandboxReady: false });
    expect(ok.phase).toBe("Succeeded");
    expect(ok.containerStatuses?.[0].state?.terminated).toMatchObject({ exitCode: 0, reason: "Completed" });
    expect(condition(ok, "Ready")).toMatchObject({ status: "False", reason: "PodCompleted" });
    expect(condition(ok, "Initialized")).toMatchObject({ status: "True", reason: "PodCompleted" });
    const bad = status({ pod: testPod({ restartPolicy: "Never" }), containers: [rc("app", 0, "exited", { exitCode: 3, reason: "Error" })] });
    expect(bad.phase).toBe("Failed");
    expect(condition(bad, "ContainersReady")).toMatchObject({ status: "False", reason: "PodFailed" });
  });

  it("init containers: PodInitializing, incomplete status, then Initialized", () => {
    const pod = testPod({ initContainers: [{ name: "init", image: "busybox" }] });
    const s = status({ pod, containers: [rc("init", 0, "running")] });
    expect(s.phase).toBe("Pending");
    expect(s.containerStatuses?.[0].state).toEqual({ waiting: { reason: "PodInitializing" } });
    expect(condition(s, "Initialized")).toMatchObject({ status: "False", reason: "ContainersNotInitialized", message: "containers with incomplete status: [init]" });
    const done = status({ pod, containers: [rc("init", 0, "exited"), rc("app", 0, "running")] });
    expect(done.phase).toBe("Running");
    expect(done.initContainerStatuses?.[0]).toMatchObject({ ready: true, state: { terminated: { reason: "Completed" } } });
    expect(condition(done, "Initialized")?.status).toBe("True");
  });

  it("keeps transition times of unchanged conditions and other components' conditions", () => {
    const pod = testPod({}, {
      phase: "Running",
      conditions: [
        { type: "PodScheduled", status: "True", lastTransitionTime: "2023-12-31T00:00:00Z" },
        { type: "example.com/Gate", status: "True", lastTransitionTime: "2023-12-30T00:00:00Z" },
      ],
    });
    const s = status({ pod, containers: [rc("app", 0, "running")] });
    expect(condition(s, "PodScheduled")?.lastTransitionTime).toBe("2023-12-31T00:00:00Z");
    expect(s.conditions?.[0]).toEqual({ type: "example.com/Gate", status: "True", lastTransitionTime: "2023-12-30T00:00:00Z" });
  });

  it("copies PodScheduled from the API (the scheduler's) and makes one only for a pod that has none True", () => {
    const fromBinding = { type: "PodScheduled", status: "True", lastTransitionTime: "2024-01-01T00:04:59Z" };
    const bound = status({ pod: testPod({}, { conditions: [fromBinding] }), containers: [rc("app", 0, "running")] });
    expect(condition(bound, "PodScheduled")).toEqual(fromBinding);
    expect(bound.conditions?.map((c) => c.type)).toEqual(["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"]);

    const direct = status({ containers: [rc("app", 0, "running")] });
    expect(condition(direct, "PodScheduled")).toEqual({ type: "PodScheduled", status: "True", lastProbeTime: null, lastTransitionTime: "2024-01-01T00:05:00Z" });
    // A stale Unschedulable (the binding's own status write not seen yet) is not copied onto a pod that runs here.
    const stale = status({ pod: testPod({}, { conditions: [{ type: "PodScheduled", status: "False", reason: "Unschedulable", lastTransitionTime: "2024-01-01T00:00:00Z" }] }) });
    expect(condition(stale, "PodScheduled")).toMatchObject({ status: "True", lastTransitionTime: "2024-01-01T00:05:00Z" });
    expect(condition(stale, "PodScheduled")?.reason).toBeUndefined();
  });

  it("is stable: computed again from the status it produced (as the API stored it), it comes out the same", () => {
    const containers = [rc("app", 0, "running"), rc("app", 1, "running")];
    const first = status({ pod: testPod({}, { conditions: [{ type: "PodScheduled", status: "True", lastTransitionTime: "2024-01-01T00:04:59Z" }] }), containers });
    const stored = JSON.parse(JSON.stringify(first, (_k, v: unknown) => (v === null ? undefined : v))) as typeof first;
    const later = status({ pod: testPod({}, stored), containers, now: new Date("2024-01-01T00:09:00.900Z") });
    expect(JSON.stringify(later, (_k, v: unknown) => (v === null ? undefined : v))).toBe(JSON.stringify(stored));
  });

  it("a pod the node failed (activeDeadlineSeconds) is Failed with the reason", () => {
    const s = status({ containers: [rc("app", 0, "exited", { exitCode: 137, reason: "Error" })], podIsTerminal: true, failed: { reason: "DeadlineExceeded", message: "Pod was active on the node longer than the specified deadline" } });
    expect(s).toMatchObject({ phase: "Failed", reason: "DeadlineExceeded", message: "Pod was active on the node longer than the specified deadline" });
  });

  it("never leaves a terminal phase the API already shows", () => {
    const pod = testPod({ restartPolicy: "Always" }, { phase: "Failed" });
    expect(status({ pod, containers: [rc("app", 0, "running")] }).phase).toBe("Failed");
  });

  it("start failures show their reason while the container waits to start", () => {
    const s = status({ waiting: new Map([["app", { reason: "ErrImagePull", message: "image not present" }]]) });
    expect(s.containerStatuses?.[0].state).toEqual({ waiting: { reason: "ErrImagePull", message: "image not present" } });
    expect(s.phase).toBe("Pending");
  });

  it("probes decide started and ready: a running container is not Ready until its readiness probe succeeds", () => {
    const c = rc("app", 0, "running");
    const pod = testPod({ containers: [{ name: "app", image: "busybox", readinessProbe: { exec: { command: ["true"] } }, startupProbe: { exec: { command: ["true"] } } }] });
    const notStarted = status({ pod, containers: [c], probes: () => ({ started: false, ready: false }) });
    expect(notStarted.containerStatuses?.[0]).toMatchObject({ started: false, ready: false, state: { running: {} } });
    expect(notStarted.phase).toBe("Running");
    expect(condition(notStarted, "Ready")).toMatchObject({ status: "False", reason: "ContainersNotReady" });
    const startedOnly = status({ pod, containers: [c], probes: () => ({ started: true, ready: false }) });
    expect(startedOnly.containerStatuses?.[0]).toMatchObject({ started: true, ready: false });
    const ready = status({ pod, containers: [c], probes: (name, id) => (name === "app" && id === c.id ? { started: true, ready: true } : {}) });
    expect(ready.containerStatuses?.[0]).toMatchObject({ started: true, ready: true });
    expect(condition(ready, "Ready")?.status).toBe("True");
  });

  it("sorts regular container statuses by name and keeps init containers in spec order", () => {
    const pod = testPod({ initContainers: [{ name: "z" }, { name: "a" }], containers: [{ name: "b" }, { name: "a2" }] });
    const s = status({ pod });
    expect(s.initContainerStatuses?.map((c) => c.name)).toEqual(["z", "a"]);
    expect(s.containerStatuses?.map((c) => c.name)).toEqual(["a2", "b"]);
  });
});

describe("podPhase", () => {
  it("OnFailure with a failed container still running again is Running; all done successfully is Succeeded", () => {
    const spec = testPod({ restartPolicy: "OnFailure" }).spec!;
    const term = (exitCode: number) => ({ name: "app", ready: false, restartCount: 0, image: "", imageID: "", state: { terminated: { exitCode } } });
    expect(podPhase(spec, [term(1)], false)).toBe("Running");
    expect(podPhase(spec, [term(0)], false)).toBe("Succeeded");
    expect(podPhase(spec, [term(1)], true)).toBe("Failed");
  });
});
