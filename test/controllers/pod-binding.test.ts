/**
 * pods/binding against a real API server: spec.nodeName and the PodScheduled condition arrive in
 * one write (upstream's assignPod), so a watcher — the node agent — never sees a bound pod without
 * the scheduler's condition; a second binding is a 409.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import type { KubeObject } from "../../src/api/types.js";
import type { Pod } from "../../src/controllers/index.js";
import { startTestCluster, type TestCluster } from "./support/cluster.js";
import { R, api, podObj } from "./support/objects.js";

let cluster: TestCluster;

beforeAll(async () => {
  cluster = await startTestCluster();
  await api(cluster.client, R.ns).create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "bind" } });
});

afterAll(async () => {
  await cluster?.stop();
});

it("sets nodeName and PodScheduled in one write; a second binding is a 409", async () => {
  const pods = api<Pod>(cluster.client, R.pod);
  const created = await pods.create(podObj("bind", "p1", []));
  const rv0 = Number(created.metadata.resourceVersion);
  const binding = { apiVersion: "v1", kind: "Binding", metadata: { name: "p1" }, target: { apiVersion: "v1", kind: "Node", name: "node-a" } };
  await cluster.client.resource<Pod & KubeObject>(R.pod).postSubresource("bind", "p1", "binding", binding as never);
  const bound = await pods.get("bind", "p1");
  expect(Number(bound.metadata.resourceVersion)).toBe(rv0 + 1);
  expect(bound.spec.nodeName).toBe("node-a");
  expect(bound.status?.conditions?.find((c) => c.type === "PodScheduled")).toMatchObject({ status: "True" });
  const again = await cluster.client.resource<Pod & KubeObject>(R.pod).postSubresource("bind", "p1", "binding", { ...binding, target: { ...binding.target, name: "node-b" } } as never).then(
    () => 200,
    (e: { code?: number; status?: number }) => e.code ?? e.status,
  );
  expect(again).toBe(409);
  expect((await pods.get("bind", "p1")).spec.nodeName).toBe("node-a");
});
