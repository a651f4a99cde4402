import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { conflict } from "../../api/status.js";
import type { KubeObject } from "../../api/types.js";
import { createClient, type KubeClient, type ResourceClient, type ResourceRef } from "../../client/index.js";
import { FakeApiServer } from "../../client/testing/fake-apiserver.js";
import { ensureFinalizer, reconcileFinalizer, removeFinalizer, retryOnConflict } from "./index.js";

const pvs: ResourceRef = { group: "", version: "v1", kind: "PersistentVolume", plural: "persistentvolumes", namespaced: false };
const FIN = "kubernetes.io/pv-protection";

let server: FakeApiServer;
let client: KubeClient;
let api: ResourceClient;

beforeAll(async () => {
  server = await FakeApiServer.start({ resources: [pvs] });
  client = createClient({ server: server.url });
  api = client.resource(pvs);
});

afterAll(async () => {
  client.close();
  await server.close();
});

const pv = (name: string, finalizers?: string[]): KubeObject => ({ apiVersion: "v1", kind: "PersistentVolume", metadata: { name, finalizers }, spec: {} });
const puts = (name: string) => server.requestsTo("PUT", `/api/v1/persistentvolumes/${name}`).length;

describe("finalizer helper", () => {
  it("adds the finalizer to a live object once; repeat calls write nothing", async () => {
    const created = await api.create(pv("live"));
    const r1 = await reconcileFinalizer(api, created, FIN, async () => {
      throw new Error("cleanup must not run for a live object");
    });
    expect(r1.state).toBe("live");
    expect((await api.get(undefined, "live")).metadata.finalizers).toEqual([FIN]);
    const writes = puts("live");
    const r2 = await reconcileFinalizer(api, await api.get(undefined, "live"), FIN, async () => {});
    expect(r2.state).toBe("live");
    expect(puts("live")).toBe(writes);
  });

  it("on conflict re-reads and keeps the other writer's change", async () => {
    const stale = await api.create(pv("contended"));
    await api.patch(undefined, "contended", "merge", { metadata: { labels: { other: "writer" } } });
    const result = await ensureFinalizer(api, stale, FIN, { initialMs: 1 });
    expect(result?.metadata.finalizers).toEqual([FIN]);
    const live = await api.get(undefined, "contended");
    expect(live.metadata.labels).toEqual({ other: "writer" });
    expect(live.metadata.finalizers).toEqual([FIN]);
    expect(puts("contended")).toBe(2); // the stale attempt (409) and the fresh one
  });

  it("on deletion runs the cleanup, then removes the finalizer so the server can delete", async () => {
    await api.create(pv("doomed", [FIN]));
    const deleting = await api.delete(undefined, "doomed");
    expect(deleting?.metadata.deletionTimestamp).toBeTruthy();
    const cleaned: string[] = [];
    const result = await reconcileFinalizer(api, deleting as KubeObject, FIN, async (o) => {
      cleaned.push(o.metadata.name as string);
    });
    expect(cleaned).toEqual(["doomed"]);
    expect(result.state).toBe("finalized");
    await expect(api.get(undefined, "doomed")).rejects.toMatchObject({ code: 404 });
  });

  it("leaves the finalizer in place when cleanup fails", async () => {
    await api.create(pv("stuck", [FIN]));
    const deleting = (await api.delete(undefined, "stuck")) as KubeObject;
    await expect(reconcileFinalizer(api, deleting, FIN, async () => Promise.reject(new Error("backend down")))).rejects.toThrow("backend down");
    expect((await api.get(undefined, "stuck")).metadata.finalizers).toEqual([FIN]);
  });

  it("removes only its own finalizer and reports the object still present", async () => {
    await api.create(pv("shared", ["example.com/other", FIN]));
    const deleting = (await api.delete(undefined, "shared")) as KubeObject;
    const result = await reconcileFinalizer(api, deleting, FIN, async () => {});
    expect(result.state).toBe("finalized");
    expect(result.state === "finalized" && result.object?.metadata.finalizers).toEqual(["example.com/other"]);
  });

  it("does nothing for a deleting object without our finalizer, and reports a vanished object as gone", async () => {
    await api.create(pv("foreign", ["example.com/other"]));
    const deleting = (await api.delete(undefined, "foreign")) as KubeObject;
    const r = await reconcileFinalizer(api, deleting, FIN, async () => {
      throw new Error("not ours");
    });
    expect(r.state).toBe("deleting");

    const ghost = await api.create(pv("ghost"));
    server.remove(pvs, undefined, "ghost");
    expect((await reconcileFinalizer(api, ghost, FIN, async () => {})).state).toBe("gone");
    expect(await removeFinalizer(api, { ...ghost, metadata: { ...ghost.metadata, finalizers: [FIN] } }, FIN, { initialMs: 1 })).toBeUndefined();
  });
});

describe("retryOnConflict", () => {
  it("re-runs on 409 Conflict and returns the first success", async () => {
    const attempts: number[] = [];
    const out = await retryOnConflict(async (attempt) => {
      attempts.push(attempt);
      if (attempt < 2) throw conflict("persistentvolumes", "x");
      return "ok";
    }, { initialMs: 1 });
    expect(out).toBe("ok");
    expect(attempts).toEqual([0, 1, 2]);
  });

  it("throws other errors at once and gives up after the last step", async () => {
    let n = 0;
    await expect(retryOnConflict(async () => {
      n++;
      throw new Error("boom");
    })).rejects.toThrow("boom");
    expect(n).toBe(1);
    n = 0;
    await expect(retryOnConflict(async () => {
      n++;
      throw conflict("persistentvolumes", "x");
    }, { steps: 3, initialMs: 1 })).rejects.toMatchObject({ reason: "Conflict" });
    expect(n).toBe(3);
  });
});
