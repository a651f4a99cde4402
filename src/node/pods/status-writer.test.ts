import { describe, expect, it } from "vitest";
import type { Pod, PodStatus } from "../../api/index.js";
import { StatusError } from "../../api/status.js";
import type { ResourceClient } from "../../client/index.js";
import { StatusWriter } from "./status-writer.js";
import { testPod } from "./test-objects.js";

function fakePods(server: { pod: Pod }) {
  const patches: unknown[] = [];
  const client = {
    async patch(_ns: string, _name: string, _type: string, body: { metadata: { uid: string; resourceVersion: string }; status: PodStatus }) {
      patches.push(body);
      if (body.metadata.resourceVersion !== server.pod.metadata.resourceVersion) throw new StatusError(409, "Conflict", "the object has been modified");
      const rv = String(Number(server.pod.metadata.resourceVersion) + 1);
      server.pod = { ...server.pod, metadata: { ...server.pod.metadata, resourceVersion: rv }, status: body.status };
      return server.pod;
    },
    async get() {
      return server.pod;
    },
  };
  return { client: client as unknown as ResourceClient<Pod>, patches };
}

const running: PodStatus = { phase: "Running" };

describe("StatusWriter", () => {
  it("writes a changed status once, and not again while the API shows nothing newer", async () => {
    const pod = { ...testPod(), metadata: { ...testPod().metadata, resourceVersion: "5" } };
    const server = { pod };
    const { client, patches } = fakePods(server);
    const w = new StatusWriter(client);
    expect(await w.write(pod, running)).toBe(true);
    expect(await w.write(pod, running)).toBe(false);
    expect(await w.write(server.pod, running)).toBe(false);
    expect(patches).toHaveLength(1);
  });

  it("retries a conflict for the same pod and never writes a pod that was replaced", async () => {
    const stale = { ...testPod(), metadata: { ...testPod().metadata, resourceVersion: "5" } };
    const server = { pod: { ...stale, metadata: { ...stale.metadata, resourceVersion: "9" } } };
    const { client, patches } = fakePods(server);
    expect(await new StatusWriter(client).write(stale, running)).toBe(true);
    expect(patches).toHaveLength(2);
    expect(server.pod.status).toEqual(running);

    const replaced = { pod: { ...stale, metadata: { ...stale.metadata, uid: "other", resourceVersion: "12" } } };
    const f2 = fakePods(replaced);
    expect(await new StatusWriter(f2.client).write(stale, { phase: "Failed" })).toBe(false);
    expect(replaced.pod.status).toBeUndefined();
  });

  it("clears fields it no longer sets", async () => {
    const pod = testPod({}, { phase: "Pending", reason: "Old", message: "old" });
    pod.metadata.resourceVersion = "1";
    const { client, patches } = fakePods({ pod });
    await new StatusWriter(client).write(pod, running);
    expect((patches[0] as { status: Record<string, unknown> }).status).toMatchObject({ phase: "Running", reason: null, message: null });
  });
});
