/**
 * Pod status writes stay bounded. The storm this guards against: the scheduler's binding sets spec.nodeName and,
 * in a second write, PodScheduled with its own time; a node that picked the pod up in between computed
 * PodScheduled itself (a second later), conflicted, and wrote its stale computation over the fresh pod — then the
 * next informer event (the scheduler's version) made it write the scheduler's time back, forever: one 409 and
 * one 200 per round. The window is made deterministic here: a failpoint holds the node's first container start
 * while the test writes PodScheduled (as the binding does) with a time a second before now. Every request the
 * node sends goes through a recording transport, so writes and conflicts are counted, not guessed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Pod, PodCondition } from "../../src/api/index.js";
import { createClient, nodeTransport, type KubeClient, type Transport } from "../../src/client/index.js";
import { setFailpoints } from "../../src/lib/failpoints.js";
import type { NodeAgent } from "../../src/node/index.js";
import { eventually, podObj, podWhen, running, startNodeFixture, type NodeFixture } from "./support/fixture.js";

interface Sent {
  method: string;
  url: string;
  status: number;
}

let fx: NodeFixture;
let agent: NodeAgent;
let nodeClient: KubeClient;
const sent: Sent[] = [];

/** The node's own client, recording every request and its response code. */
function recordingClient(): KubeClient {
  const inner = nodeTransport({ ca: fx.caPem });
  const transport: Transport & { close(): void } = Object.assign(
    async (req: Parameters<Transport>[0]) => {
      const res = await inner(req);
      sent.push({ method: req.method, url: req.url, status: res.status });
      return res;
    },
    { close: () => inner.close() },
  );
  return createClient({ server: fx.api.url, caData: fx.caPem, token: fx.token, fieldManager: "cistern-node", userAgent: "cistern-node/test", transport });
}

function statusWrites(pod: string): Sent[] {
  return sent.filter((s) => s.method === "PATCH" && new URL(s.url).pathname === `/api/v1/namespaces/default/pods/${pod}/status`);
}

function wholeSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

const scheduled = (p: Pod) => p.status?.conditions?.find((c) => c.type === "PodScheduled");

beforeAll(async () => {
  fx = await startNodeFixture();
  nodeClient = recordingClient();
  agent = await fx.startAgent("node-s", { client: nodeClient });
}, 120_000);

afterAll(async () => {
  setFailpoints(undefined);
  await fx?.cleanup();
  nodeClient?.close();
}, 120_000);

describe("pod status writes", () => {
  it("a PodScheduled time written while the node starts the pod is kept, and the running pod is not rewritten", async () => {
    // Hold the first container between create and start: the node's sync has read the pod and will write its
    // status from that (by then stale) copy.
    setFailpoints("node.runtime.afterCreate=sleep(1500)");
    const created = await fx.pods.create(podObj("app-pod", "node-s"));
    const uid = created.metadata.uid;
    await eventually(async () => ((await agent.runtime.listContainers()).some((c) => c.kind === "container" && c.pod.uid === uid) ? true : undefined), "the container to be created");

    // What the binding's second write does: PodScheduled True with the scheduler's clock, a second ago.
    const schedulerTime = wholeSeconds(Date.now() - 1000);
    const cur = await fx.pods.get("default", "app-pod");
    const conditions: PodCondition[] = [...(cur.status?.conditions ?? []).filter((c) => c.type !== "PodScheduled"), { type: "PodScheduled", status: "True", lastProbeTime: null, lastTransitionTime: schedulerTime }];
    await fx.pods.patch("default", "app-pod", "merge", { metadata: { resourceVersion: cur.metadata.resourceVersion }, status: { conditions } }, { subresource: "status" });
    setFailpoints(undefined);

    const up = await podWhen(fx, "app-pod", (p) => running(p) && !!p.status?.conditions?.find((c) => c.type === "Ready" && c.status === "True"), "Running and Ready");
    expect(scheduled(up)).toMatchObject({ status: "True", lastTransitionTime: schedulerTime });

    // Nothing changes on the node now: over the next 3 s (fifteen relists) nothing may be written.
    const before = statusWrites("app-pod").length;
    await new Promise((r) => setTimeout(r, 3_000));
    const after = await fx.pods.get("default", "app-pod");
    expect(statusWrites("app-pod").length).toBe(before);
    expect(after.metadata.resourceVersion).toBe(up.metadata.resourceVersion);
    expect(scheduled(after)?.lastTransitionTime).toBe(schedulerTime);

    // The whole life so far: ContainerCreating → Running (and perhaps Ready separately), plus at most the one
    // conflict the test provoked.
    const writes = statusWrites("app-pod");
    expect(writes.filter((w) => w.status === 409).length).toBeLessThanOrEqual(1);
    expect(writes.filter((w) => w.status === 200).length).toBeLessThanOrEqual(3);
    expect(writes.length).toBeLessThanOrEqual(4);
  }, 60_000);

  it("a pod bound through the binding subresource keeps the binding's PodScheduled and settles", async () => {
    const spec = podObj("bound-pod", "node-s");
    delete spec.spec?.nodeName;
    await fx.pods.create(spec);
    await fx.pods.postSubresource("default", "bound-pod", "binding", { apiVersion: "v1", kind: "Binding", metadata: { name: "bound-pod", namespace: "default" }, target: { apiVersion: "v1", kind: "Node", name: "node-s" } });
    const bindingTime = scheduled(await fx.pods.get("default", "bound-pod"))?.lastTransitionTime;
    expect(bindingTime).toMatch(/Z$/);
    const up = await podWhen(fx, "bound-pod", (p) => running(p) && !!p.status?.conditions?.find((c) => c.type === "Ready" && c.status === "True"), "Running and Ready");
    expect(scheduled(up)?.lastTransitionTime).toBe(bindingTime);
    const before = statusWrites("bound-pod").length;
    await new Promise((r) => setTimeout(r, 2_000));
    expect(statusWrites("bound-pod").length).toBe(before);
    expect((await fx.pods.get("default", "bound-pod")).metadata.resourceVersion).toBe(up.metadata.resourceVersion);
    expect(before).toBeLessThanOrEqual(4);
  }, 60_000);

  it("a pod bound without a PodScheduled condition gets one from the node, whose time then never moves", async () => {
    await fx.pods.create(podObj("static-pod", "node-s"));
    const up = await podWhen(fx, "static-pod", (p) => running(p) && !!scheduled(p), "Running with PodScheduled");
    const first = scheduled(up)?.lastTransitionTime;
    expect(scheduled(up)).toMatchObject({ status: "True" });
    expect(first).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const before = statusWrites("static-pod").length;
    await new Promise((r) => setTimeout(r, 2_000));
    const after = await fx.pods.get("default", "static-pod");
    expect(statusWrites("static-pod").length).toBe(before);
    expect(scheduled(after)?.lastTransitionTime).toBe(first);
    expect(statusWrites("static-pod").length).toBeLessThanOrEqual(3);
  }, 60_000);
});
