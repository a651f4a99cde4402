import { describe, expect, it } from "vitest";
import type { Pod, PodCondition, PodStatus } from "../../api/index.js";
import { StatusError } from "../../api/status.js";
import type { ResourceClient } from "../../client/index.js";
import { generatePodStatus } from "./pod-status.js";
import { StatusWriter } from "./status-writer.js";
import { rc, testPod } from "./test-objects.js";

/** Drops null members as the API server does when it stores a status. */
function stored<T>(v: T): T {
  return JSON.parse(JSON.stringify(v, (_k, x: unknown) => (x === null ? undefined : x))) as T;
}

/** An API server holding one pod: merge-patching status with a resourceVersion precondition, as the real one. */
function fakePods(server: { pod: Pod }) {
  const patches: { metadata: { uid: string; resourceVersion: string }; status: PodStatus }[] = [];
  let gets = 0;
  const client = {
    async patch(_ns: string, _name: string, _type: string, body: { metadata: { uid: string; resourceVersion: string }; status: PodStatus }) {
      patches.push(body);
      if (body.metadata.resourceVersion !== server.pod.metadata.resourceVersion) throw new StatusError(409, "Conflict", "the object has been modified");
      const rv = String(Number(server.pod.metadata.resourceVersion) + 1);
      server.pod = { ...server.pod, metadata: { ...server.pod.metadata, resourceVersion: rv }, status: stored(body.status) };
      return server.pod;
    },
    async get() {
      gets++;
      return server.pod;
    },
  };
  return { client: client as unknown as ResourceClient<Pod>, patches, gets: () => gets };
}

function withRv(pod: Pod, rv: string, status?: PodStatus): Pod {
  return { ...pod, metadata: { ...pod.metadata, resourceVersion: rv }, ...(status ? { status } : {}) };
}

const noSleep = { sleep: async () => undefined };
const running = () => ({ phase: "Running" }) as PodStatus;

describe("StatusWriter", () => {
  it("writes a changed status once, and not again while the API shows nothing newer", async () => {
    const pod = withRv(testPod(), "5");
    const server = { pod };
    const { client, patches } = fakePods(server);
    const w = new StatusWriter(client, noSleep);
    expect(await w.write(pod, running)).toBe(true);
    expect(await w.write(pod, running)).toBe(false);
    expect(await w.write(server.pod, running)).toBe(false);
    expect(patches).toHaveLength(1);
  });

  it("a conflict re-reads the pod and computes the status again from it; a replaced pod is never written", async () => {
    const stale = withRv(testPod(), "5");
    const server = { pod: withRv(stale, "9", { conditions: [{ type: "example.com/Gate", status: "True" }] }) };
    const { client, patches } = fakePods(server);
    const seen: string[] = [];
    const gen = (base: Pod): PodStatus => {
      seen.push(base.metadata.resourceVersion ?? "");
      return { phase: "Running", conditions: [...(base.status?.conditions ?? []), { type: "Ready", status: "True" }] };
    };
    expect(await new StatusWriter(client, noSleep).write(stale, gen)).toBe(true);
    expect(seen).toEqual(["5", "9"]);
    expect(patches.map((p) => p.metadata.resourceVersion)).toEqual(["5", "9"]);
    // The other component's condition, written after our copy was taken, survives.
    expect(server.pod.status?.conditions?.map((c) => c.type)).toEqual(["example.com/Gate", "Ready"]);

    const replaced = { pod: withRv({ ...stale, metadata: { ...stale.metadata, uid: "other" } }, "12") };
    const f2 = fakePods(replaced);
    expect(await new StatusWriter(f2.client, noSleep).write(stale, () => ({ phase: "Failed" }))).toBe(false);
    expect(replaced.pod.status).toBeUndefined();
  });

  it("a conflict after which the fresh pod already has the status writes nothing", async () => {
    const stale = withRv(testPod(), "5");
    const server = { pod: withRv(stale, "6", running()) };
    const { client, patches } = fakePods(server);
    expect(await new StatusWriter(client, noSleep).write(stale, running)).toBe(false);
    expect(patches).toHaveLength(1);
  });

  it("backs off between conflicts with growing delays and gives up after a few", async () => {
    const pod = withRv(testPod(), "5");
    const server = { pod: withRv(pod, "6") };
    const { client, patches } = fakePods(server);
    // Someone else writes between each of our reads and writes.
    (client as unknown as { get: () => Promise<Pod> }).get = async () => {
      const seen = server.pod;
      server.pod = withRv(server.pod, String(Number(server.pod.metadata.resourceVersion) + 1));
      return seen;
    };
    const delays: number[] = [];
    const w = new StatusWriter(client, { sleep: async (ms) => void delays.push(ms) });
    await expect(w.write(pod, running)).rejects.toMatchObject({ code: 409 });
    expect(patches).toHaveLength(5);
    expect(delays).toHaveLength(4);
    for (let i = 1; i < delays.length; i++) expect(delays[i]).toBeGreaterThan(delays[i - 1] / 2);
    expect(delays[3]).toBeGreaterThan(delays[0]);
    expect(delays.every((d) => d > 0 && d < 1_000)).toBe(true);
  });

  it("computes from its own last write while the informer still shows an older copy", async () => {
    const pod = withRv(testPod(), "5");
    const server = { pod };
    const { client, patches } = fakePods(server);
    const w = new StatusWriter(client, noSleep);
    const bases: string[] = [];
    const gen = (base: Pod): PodStatus => {
      bases.push(base.metadata.resourceVersion ?? "");
      return { phase: base.status?.phase === "Pending" ? "Running" : "Pending" };
    };
    expect(await w.write(pod, gen)).toBe(true);
    expect(await w.write(pod, gen)).toBe(true);
    expect(bases).toEqual(["5", "6"]);
    expect(patches.map((p) => p.metadata.resourceVersion)).toEqual(["5", "6"]);
  });

  it("null and absent are the same: a status the API stored without its nulls is not written again", async () => {
    const cond: PodCondition = { type: "Ready", status: "True", lastProbeTime: null, lastTransitionTime: "2024-01-01T00:00:00Z" };
    const status: PodStatus = { phase: "Running", conditions: [cond] };
    const pod = withRv(testPod(), "7", stored(status));
    const { client, patches } = fakePods({ pod });
    expect(await new StatusWriter(client, noSleep).write(pod, () => status)).toBe(false);
    expect(patches).toHaveLength(0);
  });

  it("clears fields it no longer sets", async () => {
    const pod = withRv(testPod({}, { phase: "Pending", reason: "Old", message: "old" }), "1");
    const { client, patches } = fakePods({ pod });
    await new StatusWriter(client, noSleep).write(pod, running);
    expect(patches[0].status).toMatchObject({ phase: "Running", reason: null, message: null });
  });

  it("does not fight the binding over PodScheduled: a stale informer copy costs one conflict, then nothing", async () => {
    // The binding set PodScheduled (rv 2) after the node read the pod (rv 1); the node's clock is a second later.
    const bound = withRv(testPod(), "1");
    const server = { pod: withRv(bound, "2", { conditions: [{ type: "PodScheduled", status: "True", lastTransitionTime: "2024-01-01T00:00:49Z" }] }) };
    const { client, patches } = fakePods(server);
    const w = new StatusWriter(client, noSleep);
    const containers = [rc("app", 0, "running")];
    const gen = (base: Pod) => generatePodStatus({ pod: base, containers, waiting: new Map(), sandboxReady: true, podIsTerminal: false, hostIP: "127.0.0.1", now: new Date("2024-01-01T00:00:50.200Z") });
    expect(await w.write(bound, gen)).toBe(true);
    // Every copy the informer may deliver afterwards (the binding's, then ours), synced again and again.
    for (let i = 0; i < 5; i++) {
      expect(await w.write(withRv(bound, "2", { conditions: [{ type: "PodScheduled", status: "True", lastTransitionTime: "2024-01-01T00:00:49Z" }] }), gen)).toBe(false);
      expect(await w.write(server.pod, gen)).toBe(false);
    }
    expect(patches.map((p) => p.metadata.resourceVersion)).toEqual(["1", "2"]);
    expect(server.pod.status?.conditions?.find((c) => c.type === "PodScheduled")?.lastTransitionTime).toBe("2024-01-01T00:00:49Z");
  });
});
