/**
 * Several API servers on one etcd (three real members): two `cistern apiserver` processes serve the
 * same objects with the same resourceVersions; a watch on one sees every write made through the
 * other, once and in order; the kubeconfig they both wrote lists both, kubectl uses it, and an
 * informer on it survives the death of its API server by moving to the other; ServiceAccount
 * tokens issued by one work on the other and RBAC changes made on one reach the other.
 */
import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KubeObject } from "../../src/api/types.js";
import { createClient, createInformer, isAlreadyExists, loadKubeconfig, type KubeClient, type ResourceRef } from "../../src/client/index.js";
import { eventually, startScaleoutCluster, type ScaleoutCluster } from "./support/scaleout-cluster.js";

const run = promisify(execFile);
const KUBECTL = process.env.CISTERN_TEST_KUBECTL ?? "/usr/bin/kubectl";

const CM: ResourceRef = { group: "", version: "v1", kind: "ConfigMap", plural: "configmaps", namespaced: true };
const NS: ResourceRef = { group: "", version: "v1", kind: "Namespace", plural: "namespaces", namespaced: false };
const SA: ResourceRef = { group: "", version: "v1", kind: "ServiceAccount", plural: "serviceaccounts", namespaced: true };
const ROLE: ResourceRef = { group: "rbac.authorization.k8s.io", version: "v1", kind: "Role", plural: "roles", namespaced: true };
const BINDING: ResourceRef = { group: "rbac.authorization.k8s.io", version: "v1", kind: "RoleBinding", plural: "rolebindings", namespaced: true };

const cm = (ns: string, name: string, data: Record<string, string> = {}): KubeObject & { data: Record<string, string> } => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: ns }, data });

let c: ScaleoutCluster;
let a: KubeClient;
let b: KubeClient;

beforeAll(async () => {
  c = await startScaleoutCluster({ members: 3, apiservers: 2, efs: false });
  a = c.clientOf(0);
  b = c.clientOf(1);
  for (const ns of ["same", "watch", "informer", "rbac"]) await a.resource(NS).create({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
}, 180_000);

afterAll(async () => {
  await c?.stop();
}, 120_000);

describe("two API servers on one etcd", () => {
  it("serve the same objects with the same resourceVersions, and consistent reads on either", async () => {
    const made = await a.resource(CM).create(cm("same", "one", { v: "1" }));
    const seen = await b.resource(CM).get("same", "one");
    expect(seen.metadata.uid).toBe(made.metadata.uid);
    expect(seen.metadata.resourceVersion).toBe(made.metadata.resourceVersion);
    // A write through B is at once visible through A (reads are linearizable in etcd).
    const changed = await b.resource(CM).update({ ...seen, data: { v: "2" } } as KubeObject);
    expect(Number(changed.metadata.resourceVersion)).toBeGreaterThan(Number(made.metadata.resourceVersion));
    expect((await a.resource(CM).get("same", "one")).metadata.resourceVersion).toBe(changed.metadata.resourceVersion);
    // Optimistic concurrency holds across servers: an update carrying the old version fails on either.
    await expect(a.resource(CM).update({ ...made, data: { v: "stale" } } as KubeObject)).rejects.toMatchObject({ code: 409 });
    // Lists: the same items, and each list's resourceVersion is at least that of the last write.
    const [la, lb] = [await a.resource(CM).list("same"), await b.resource(CM).list("same")];
    expect(la.items.map((i) => [i.metadata.name, i.metadata.resourceVersion])).toEqual(lb.items.map((i) => [i.metadata.name, i.metadata.resourceVersion]));
    expect(Number(la.metadata.resourceVersion)).toBeGreaterThanOrEqual(Number(changed.metadata.resourceVersion));
    expect(Number(lb.metadata.resourceVersion)).toBeGreaterThanOrEqual(Number(changed.metadata.resourceVersion));
    // Creating the same name through both: exactly one wins.
    const both = await Promise.allSettled([a.resource(CM).create(cm("same", "race")), b.resource(CM).create(cm("same", "race"))]);
    expect(both.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(both.filter((r) => r.status === "rejected" && isAlreadyExists(r.reason))).toHaveLength(1);
  });

  it("a watch on one sees every write made through the other, once, in order", async () => {
    const from = (await b.resource(CM).list("watch")).metadata.resourceVersion;
    const watch = await b.resource(CM).watch("watch", { resourceVersion: from });
    const events: { type: string; name: string; rv: string }[] = [];
    const reading = (async () => {
      for await (const e of watch) {
        if (e.type === "BOOKMARK" || e.type === "ERROR") continue;
        events.push({ type: e.type, name: e.object.metadata.name ?? "", rv: e.object.metadata.resourceVersion ?? "" });
        if (e.type === "DELETED" && e.object.metadata.name === "w-last") return;
      }
    })();
    const written: { type: string; name: string; rv: string }[] = [];
    const record = (type: string, o: KubeObject | undefined) => written.push({ type, name: o?.metadata.name ?? "", rv: o?.metadata.resourceVersion ?? "" });
    // Writes through both servers, concurrently per key; the watch must show them all, in revision order.
    await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        const via = i % 2 ? a : b;
        const made = await via.resource(CM).create(cm("watch", `w-${i}`, { n: "0" }));
        record("ADDED", made);
        const upd = await (i % 3 ? a : b).resource(CM).update({ ...made, data: { n: "1" } } as KubeObject);
        record("MODIFIED", upd);
        const gone = await a.resource(CM).delete("watch", `w-${i}`);
        // A delete's answer is the object as it was; the watch shows it at the deletion's revision.
        written.push({ type: "DELETED", name: `w-${i}`, rv: "" });
        expect(gone?.metadata.name).toBe(`w-${i}`);
      }),
    );
    const last = await a.resource(CM).create(cm("watch", "w-last"));
    record("ADDED", last);
    await a.resource(CM).delete("watch", "w-last");
    written.push({ type: "DELETED", name: "w-last", rv: "" });
    await Promise.race([reading, new Promise((_, rej) => setTimeout(() => rej(new Error(`watch saw ${events.length} of ${written.length} events`)), 30_000))]);
    watch.cancel();
    expect(events).toHaveLength(written.length);
    const revs = events.map((e) => Number(e.rv));
    expect(revs).toEqual([...revs].sort((x, y) => x - y));
    expect(new Set(revs).size).toBe(revs.length);
    for (const w of written) {
      const match = events.filter((e) => e.name === w.name && e.type === w.type && (w.rv === "" || e.rv === w.rv));
      expect(match, `${w.type} ${w.name}@${w.rv}`).toHaveLength(1);
    }
  });

  it("writes one kubeconfig listing both servers, which kubectl uses as is", async () => {
    const cfg = loadKubeconfig(c.kubeconfig);
    expect(cfg.servers).toEqual([c.url(0), c.url(1)]);
    const home = mkdtempSync(join(tmpdir(), "cistern-kubectl-"));
    const env = { PATH: process.env.PATH ?? "", HOME: home, KUBECONFIG: c.kubeconfig };
    const got = await run(KUBECTL, ["get", "configmap", "one", "-n", "same", "-o", "jsonpath={.data.v}"], { env });
    expect(got.stdout).toBe("2");
    // Any listed server answers the same (kubectl --server picks one explicitly).
    const viaSecond = await run(KUBECTL, ["--server", c.url(1), "get", "configmap", "one", "-n", "same", "-o", "jsonpath={.metadata.resourceVersion}"], { env });
    expect(viaSecond.stdout).toBe((await a.resource(CM).get("same", "one")).metadata.resourceVersion);
  });

  it("issues a ServiceAccount token on one that the other accepts, and RBAC changes on one reach the other", async () => {
    await a.resource(SA).create({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "reader", namespace: "rbac" } });
    const req = await a.resource(SA).postSubresource<{ status: { token: string } }>("rbac", "reader", "token", { apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest", spec: { expirationSeconds: 3600 } });
    const cfg = loadKubeconfig(c.kubeconfig);
    const asReader = (url: string) => createClient({ server: url, caData: cfg.caData, token: req.status.token, timeoutMs: 10_000 });
    const [ra, rb] = [asReader(c.url(0)), asReader(c.url(1))];
    try {
      await expect(rb.resource(CM).list("rbac")).rejects.toMatchObject({ code: 403 });
      await a.resource(ROLE).create({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: { name: "read-cm", namespace: "rbac" }, rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list"] }] } as KubeObject);
      await a.resource(BINDING).create({
        apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", metadata: { name: "read-cm", namespace: "rbac" },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "read-cm" },
        subjects: [{ kind: "ServiceAccount", name: "reader", namespace: "rbac" }],
      } as KubeObject);
      // The grant made through A is honoured by B once its RBAC snapshot refreshes (≤ 5 s).
      await eventually(() => rb.resource(CM).list("rbac").then(() => true), "B honours the new RoleBinding", 30_000, 250);
      await eventually(() => ra.resource(CM).list("rbac").then(() => true), "A honours the new RoleBinding", 30_000, 250);
      // Revoked through B: A stops honouring it.
      await b.resource(BINDING).delete("rbac", "read-cm");
      await eventually(() => ra.resource(CM).list("rbac").then(() => undefined, (e: { code?: number }) => (e.code === 403 ? true : undefined)), "A refuses after the revoke", 30_000, 250);
      await eventually(() => rb.resource(CM).list("rbac").then(() => undefined, (e: { code?: number }) => (e.code === 403 ? true : undefined)), "B refuses after the revoke", 30_000, 250);
    } finally {
      ra.close();
      rb.close();
    }
  });

  it("an informer survives the death of its API server by moving to the other one in its kubeconfig", async () => {
    const client = c.client("informer-test");
    expect(client.http.server).toBe(c.url(0));
    const informer = createInformer(client.resource<KubeObject>(CM), { namespace: "informer", backoff: { initialMs: 100, maxMs: 1000 } });
    const adds = new Map<string, number>();
    informer.onAdd((o) => adds.set(o.metadata.name ?? "", (adds.get(o.metadata.name ?? "") ?? 0) + 1));
    informer.start();
    try {
      await informer.waitForSync();
      for (let i = 0; i < 5; i++) await a.resource(CM).create(cm("informer", `before-${i}`));
      await eventually(() => (adds.size === 5 ? true : undefined), "informer sees the first writes");
      await c.apiservers[0].kill9();
      for (let i = 0; i < 5; i++) await b.resource(CM).create(cm("informer", `after-${i}`));
      await eventually(() => (adds.size === 10 ? true : undefined), "informer sees writes made while its first server is dead", 60_000);
      expect(client.http.server).toBe(c.url(1));
      expect([...adds.values()].every((n) => n === 1)).toBe(true);
      expect(informer.list().map((o) => o.metadata.name).sort()).toEqual([...Array.from({ length: 5 }, (_, i) => `after-${i}`), ...Array.from({ length: 5 }, (_, i) => `before-${i}`)].sort());
    } finally {
      await informer.stop();
      await c.restartApiserver(0);
    }
    // The restarted server serves what was written while it was away.
    expect((await c.clientOf(0).resource(CM).list("informer")).items).toHaveLength(10);
  });
});
