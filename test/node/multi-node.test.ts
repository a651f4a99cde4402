/**
 * `cistern up --nodes N` in one process: startNodeAgents gives each node its own name, root dir and CSI driver,
 * and all of them register and run pods; stopping them leaves no mount behind.
 */
import * as fs from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Node } from "../../src/api/index.js";
import { readMountInfo } from "../../src/lib/safe-path/index.js";
import { defaultNodeNames, startNodeAgents, type NodeAgents } from "../../src/node/index.js";
import { R, deletePodAndWait, podObj, podWhen, running, startNodeFixture, type NodeFixture } from "./support/fixture.js";

let fx: NodeFixture;
let nodes: NodeAgents | undefined;

beforeAll(async () => {
  fx = await startNodeFixture();
}, 120_000);

afterAll(async () => {
  await nodes?.stop();
  await fx?.cleanup();
}, 120_000);

describe("startNodeAgents", () => {
  it("names nodes as cistern up does", () => {
    expect(defaultNodeNames(1)).toEqual(["cistern-node"]);
    expect(defaultNodeNames(3)).toEqual(["cistern-node-1", "cistern-node-2", "cistern-node-3"]);
    expect(() => defaultNodeNames(0)).toThrow();
  });

  it("starts two nodes with their own root dirs that both run pods", async () => {
    const dataDir = join(fx.dir, "up");
    nodes = await startNodeAgents({ dataDir, count: 2, client: fx.client, csi: fx.csiConfig(), relistMs: 200 });
    expect(nodes.agents.map((a) => [a.name, a.rootDir])).toEqual([
      ["cistern-node-1", join(dataDir, "nodes", "cistern-node-1")],
      ["cistern-node-2", join(dataDir, "nodes", "cistern-node-2")],
    ]);
    expect(new Set(nodes.agents.map((a) => a.kubeletPort)).size).toBe(2);
    for (const a of nodes.agents) {
      const n = await fx.client.resource<Node>(R.node).get(undefined, a.name);
      expect(n.status?.conditions?.find((c) => c.type === "Ready")?.status).toBe("True");
      await fx.pods.create(podObj(`on-${a.name}`, a.name, { volumes: [{ name: "e", emptyDir: {} }], containers: [{ name: "app", image: "busybox", command: ["sleep", "3600"], volumeMounts: [{ name: "e", mountPath: "/e" }] }] }));
    }
    for (const a of nodes.agents) await podWhen(fx, `on-${a.name}`, running, "running");
    for (const a of nodes.agents) expect(fs.readdirSync(join(a.rootDir, "pods"))).toHaveLength(1);
    for (const a of nodes.agents) await deletePodAndWait(fx, `on-${a.name}`);
    await nodes.stop();
    nodes = undefined;
    expect(readMountInfo().filter((m) => m.mountPoint.startsWith(dataDir + "/"))).toEqual([]);
  }, 120_000);
});
