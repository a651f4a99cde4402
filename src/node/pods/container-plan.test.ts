import { describe, expect, it } from "vitest";
import { Backoff } from "./backoff.js";
import { planPod } from "./container-plan.js";
import { rc, testPod } from "./test-objects.js";

const NOW = Date.parse("2024-01-01T00:02:01Z");
const fixed = () => new Backoff({ now: () => NOW });

describe("planPod", () => {
  it("starts every regular container of a new pod", () => {
    const pod = testPod({ containers: [{ name: "a" }, { name: "b" }] });
    const p = planPod(pod, [], fixed(), NOW);
    expect(p.start).toEqual([
      { name: "a", init: false, attempt: 0 },
      { name: "b", init: false, attempt: 0 },
    ]);
    expect(p.terminal).toBe(false);
  });

  it("runs init containers one at a time before any regular container", () => {
    const pod = testPod({ initContainers: [{ name: "i1" }, { name: "i2" }], containers: [{ name: "a" }] });
    expect(planPod(pod, [], fixed(), NOW).start).toEqual([{ name: "i1", init: true, attempt: 0 }]);
    expect(planPod(pod, [rc("i1", 0, "running")], fixed(), NOW).start).toEqual([]);
    expect(planPod(pod, [rc("i1", 0, "exited")], fixed(), NOW).start).toEqual([{ name: "i2", init: true, attempt: 0 }]);
    expect(planPod(pod, [rc("i1", 0, "exited"), rc("i2", 0, "exited")], fixed(), NOW).start).toEqual([{ name: "a", init: false, attempt: 0 }]);
  });

  it("a failed init container fails the pod under restartPolicy Never and is retried otherwise", () => {
    const failed = rc("i1", 0, "exited", { exitCode: 1, reason: "Error" });
    const never = testPod({ restartPolicy: "Never", initContainers: [{ name: "i1" }] });
    expect(planPod(never, [failed], fixed(), NOW)).toMatchObject({ terminal: true, start: [] });
    const always = testPod({ initContainers: [{ name: "i1" }] });
    expect(planPod(always, [failed], fixed(), NOW).start).toEqual([{ name: "i1", init: true, attempt: 1 }]);
  });

  it("honours restartPolicy for exited containers", () => {
    const ok = rc("app", 0, "exited");
    const bad = rc("app", 0, "exited", { exitCode: 2, reason: "Error" });
    expect(planPod(testPod({ restartPolicy: "Always" }), [ok], fixed(), NOW).start).toEqual([{ name: "app", init: false, attempt: 1 }]);
    expect(planPod(testPod({ restartPolicy: "OnFailure" }), [ok], fixed(), NOW)).toMatchObject({ start: [], terminal: true });
    expect(planPod(testPod({ restartPolicy: "OnFailure" }), [bad], fixed(), NOW).start).toEqual([{ name: "app", init: false, attempt: 1 }]);
    expect(planPod(testPod({ restartPolicy: "Never" }), [bad], fixed(), NOW)).toMatchObject({ start: [], terminal: true });
  });

  it("restarts at once the first time, then waits out a crash-loop back-off", () => {
    const b = fixed();
    const pod = testPod();
    const first = planPod(pod, [rc("app", 0, "exited", { exitCode: 1 })], b, NOW);
    expect(first.start).toEqual([{ name: "app", init: false, attempt: 1 }]);
    const second = planPod(pod, [rc("app", 0, "exited", { exitCode: 1 }), rc("app", 1, "exited", { exitCode: 1 })], b, NOW);
    expect(second.start).toEqual([]);
    expect(second.backoff).toEqual([
      { name: "app", message: "back-off 10s restarting failed container=app pod=app_default(u-1)", until: Date.parse("2024-01-01T00:02:10Z") },
    ]);
  });

  it("counts a restart for a container the runtime lost but the API shows ran", () => {
    const pod = testPod({}, { containerStatuses: [{ name: "app", ready: true, restartCount: 2, image: "busybox", imageID: "x", containerID: "runc://gone" }] });
    expect(planPod(pod, [], fixed(), NOW).start).toEqual([{ name: "app", init: false, attempt: 3 }]);
  });

  it("leaves running containers alone and garbage-collects attempts older than the previous one", () => {
    const pod = testPod();
    const old = [rc("app", 0, "exited"), rc("app", 1, "exited"), rc("app", 2, "exited"), rc("app", 3, "running")];
    const p = planPod(pod, old, fixed(), NOW);
    expect(p.start).toEqual([]);
    expect(p.remove.sort()).toEqual([old[0].id, old[1].id].sort());
  });
  it("replaces an abandoned created container under the same attempt, at once, whatever restartPolicy says", () => {
    for (const restartPolicy of ["Always", "OnFailure", "Never"]) {
      const abandoned = rc("app", 0, "created", { abandoned: true });
      const b = fixed();
      const p = planPod(testPod({ restartPolicy }), [abandoned], b, NOW);
      expect(p).toMatchObject({ start: [{ name: "app", init: false, attempt: 0 }], remove: [abandoned.id], backoff: [], terminal: false });
      // Not a restart: nothing is recorded in the crash-loop back-off.
      expect(b.get(`u-1/app`)).toBe(0);
    }
  });

  it("an abandoned attempt after earlier runs keeps its attempt number and the previous run", () => {
    const prev = rc("app", 0, "exited", { exitCode: 1, reason: "Error" });
    const abandoned = rc("app", 1, "created", { abandoned: true });
    const p = planPod(testPod(), [prev, abandoned], fixed(), NOW);
    expect(p.start).toEqual([{ name: "app", init: false, attempt: 1 }]);
    expect(p.remove).toEqual([abandoned.id]);
  });

  it("leaves a created container alone while it is still being started", () => {
    const p = planPod(testPod({ restartPolicy: "Never" }), [rc("app", 0, "created")], fixed(), NOW);
    expect(p).toMatchObject({ start: [], remove: [], terminal: false });
  });

  it("replaces an abandoned init container before anything else starts", () => {
    const pod = testPod({ initContainers: [{ name: "i1" }, { name: "i2" }], containers: [{ name: "a" }] });
    const abandoned = rc("i2", 0, "created", { abandoned: true });
    const p = planPod(pod, [rc("i1", 0, "exited"), abandoned], fixed(), NOW);
    expect(p.start).toEqual([{ name: "i2", init: true, attempt: 0 }]);
    expect(p.remove).toEqual([abandoned.id]);
  });
});
