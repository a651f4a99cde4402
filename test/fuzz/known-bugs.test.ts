/**
 * Minimal reproductions of the product bugs the fuzzers found. A bug still open is declared
 * `it.fails` (it passes while the bug is there) and tallied by support/known-bugs.ts; when its owner
 * fixes it, the test starts failing — then it becomes a plain `it` here (a regression test) and its
 * entry leaves support/known-bugs.ts, so the fuzz property covers that input again.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApiTarget, type ApiTarget } from "./support/api-target.js";
import { FUZZ_NS } from "./support/kinds.js";

let api: ApiTarget;

beforeAll(async () => {
  api = await startApiTarget();
  await api.must("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: FUZZ_NS } });
});

afterAll(async () => {
  await api?.close();
});

const json = { "Content-Type": "application/json" };

describe("product bugs found by fuzzing (it.fails while open, regression tests once fixed)", () => {
  it("null-list-element: a null element in a list of objects is refused with 4xx, not 500", async () => {
    const r = await api.request("POST", "/apis/storage.k8s.io/v1/csinodes", JSON.stringify({ apiVersion: "storage.k8s.io/v1", kind: "CSINode", metadata: { name: "n1" }, spec: { drivers: [null] } }), json);
    expect(r.status).toBeLessThan(500);
  });

  it("null-quantity-stored: resources.limits.storage null is not stored as null", async () => {
    const body = `{"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"nullq"},"spec":{"accessModes":["ReadWriteOnce"],"storageClassName":"","resources":{"requests":{"storage":"1Gi"},"limits":{"storage":null}}}}`;
    const r = await api.request("POST", `/api/v1/namespaces/${FUZZ_NS}/persistentvolumeclaims`, body, json);
    if (r.status === 201) expect(r.json.spec.resources.limits.storage).not.toBeNull();
    else expect(r.status).toBe(422);
  });

  it("malformed-percent-escape: a malformed escape in the path is 400, not 500", async () => {
    const r = await api.request("GET", `/api/v1/namespaces/${FUZZ_NS}/configmaps/%zz`);
    expect(r.status).toBe(400);
  });

  it("store-key-refused-as-500: a NUL in a path-segment name is refused with 4xx, not 500", async () => {
    const r = await api.request("POST", `/apis/rbac.authorization.k8s.io/v1/namespaces/${FUZZ_NS}/roles`, JSON.stringify({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: { name: "a\u0000b" }, rules: [] }), json);
    expect(r.status).toBeLessThan(500);
  });

  it("store-key-refused-as-500: a NUL in the name segment of a GET is 4xx, not 500", async () => {
    const r = await api.request("GET", `/api/v1/namespaces/${FUZZ_NS}/configmaps/a%00b`);
    expect(r.status).toBeLessThan(500);
  });

  it("bad-gzip-body: Content-Encoding gzip with a body that is not gzip is 400, not 500", async () => {
    const r = await api.request("POST", `/api/v1/namespaces/${FUZZ_NS}/configmaps`, "not gzip at all", { ...json, "Content-Encoding": "gzip" });
    expect(r.status).toBe(400);
  });

  it("patched-object-not-type-checked: an apply that makes a container's image a number is 4xx, not 500", async () => {
    const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "typed" }, spec: { containers: [{ name: "c", image: "busybox" }] } };
    await api.must("POST", `/api/v1/namespaces/${FUZZ_NS}/pods`, pod);
    const apply = JSON.stringify({ apiVersion: "v1", kind: "Pod", metadata: { name: "typed", namespace: FUZZ_NS }, spec: { containers: [{ name: "d", image: -16 }] } });
    const r = await api.request("PATCH", `/api/v1/namespaces/${FUZZ_NS}/pods/typed?fieldManager=fuzz`, apply, { "Content-Type": "application/apply-patch+yaml" });
    expect(r.status).toBeLessThan(500);
  });

  it("string-of-hostile-object: an apply whose kind is an object with a toString key is 400, not 500", async () => {
    await api.must("POST", `/api/v1/namespaces/${FUZZ_NS}/configmaps`, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "tostring" } });
    const apply = JSON.stringify({ apiVersion: "v1", kind: { toString: null }, metadata: { name: "tostring", namespace: FUZZ_NS } });
    const r = await api.request("PATCH", `/api/v1/namespaces/${FUZZ_NS}/configmaps/tostring?fieldManager=fuzz`, apply, { "Content-Type": "application/apply-patch+yaml" });
    expect(r.status).toBe(400);
  });

  it("resource-version-beyond-2^53: a list or watch at resourceVersion 1e23 is 400, not 500 from the store", async () => {
    const list = await api.request("GET", `/api/v1/namespaces/${FUZZ_NS}/configmaps?resourceVersion=99999999999999999999999&resourceVersionMatch=Exact`);
    expect(list.status).toBe(400);
    const watch = await api.request("GET", `/api/v1/namespaces/${FUZZ_NS}/configmaps?watch=1&timeoutSeconds=1&resourceVersion=99999999999999999999999`);
    expect(watch.status).toBe(400);
  });

  it("unbounded-warning-header: a long unknown field name still gives a response a Node client can parse", async () => {
    // Upstream caps warnings (about 4 KiB in total); here the Warning header grows with the field name and
    // Node's HTTP parser (16 KiB limit), i.e. Cistern's own client, fails on the response of a write that happened.
    const body = JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "longfield" }, ["k".repeat(20_000)]: 1 });
    const r = await api.request("POST", `/api/v1/namespaces/${FUZZ_NS}/configmaps`, body, json);
    expect(r.status).toBe(201);
  });

  it("prototype-field-label: a field selector on __proto__, constructor or toString is 400 field label not supported, not 500", async () => {
    // With an object in the list, so that the selector is applied (the fuzz finding was a TypeError there).
    await api.must("POST", `/api/v1/namespaces/${FUZZ_NS}/configmaps`, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "fieldsel" } });
    for (const key of ["__proto__", "constructor", "toString"]) {
      const r = await api.request("GET", `/api/v1/namespaces/${FUZZ_NS}/configmaps?fieldSelector=${encodeURIComponent(`${key}=x`)}`);
      expect({ key, status: r.status, message: r.json?.message }).toEqual({ key, status: 400, message: expect.stringContaining(`field label not supported: ${key}`) });
    }
  });

  it("long-name-not-addressable: a Role whose name is 30,000 four-byte characters can be read, updated and deleted", async () => {
    // RBAC names are path-segment names (no length limit upstream). Percent-encoded, this name makes a
    // 360 KB request line: over Node's default 16 KiB head limit, within Go's (and now our) 1 MiB.
    const name = "\u{1f4a5}".repeat(30_000);
    const collection = `/apis/rbac.authorization.k8s.io/v1/namespaces/${FUZZ_NS}/roles`;
    const role = { apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: { name }, rules: [] };
    const created = await api.request("POST", collection, JSON.stringify(role), json);
    expect(created.status).toBe(201);
    const item = `${collection}/${encodeURIComponent(name)}`;
    const got = await api.request("GET", item);
    expect(got.status).toBe(200);
    expect(got.json.metadata.name).toBe(name);
    const updated = await api.request("PUT", item, JSON.stringify({ ...got.json, metadata: { ...got.json.metadata, labels: { a: "b" } } }), json);
    expect(updated.status).toBe(200);
    expect(updated.json.metadata.labels).toEqual({ a: "b" });
    const del = await api.request("DELETE", item);
    expect(del.status).toBe(200);
    expect((await api.request("GET", item)).status).toBe(404);
  });

  it("long-name-not-addressable: a request head over 1 MiB is refused with 431 before any handler runs, as Go's server does", async () => {
    const before = await api.revision();
    const r = await api.request("DELETE", `/api/v1/namespaces/${FUZZ_NS}/configmaps/${"a".repeat(1_100_000)}`);
    expect(r.status).toBe(431);
    expect(r.oversizeHead).toBe(true);
    expect(await api.revision()).toBe(before);
  });
});
