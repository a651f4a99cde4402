/**
 * Hostile patches of all three types and server-side apply, each against a fresh object (ConfigMap,
 * PVC or Pod): JSON patches with hostile pointers and operations (including the copy amplification
 * of CVE-2019-1002100), merge patches and strategic merge patches carrying hostile values and
 * directives ($patch, $retainKeys, $setElementOrder, $deleteFromPrimitiveList), apply bodies with
 * hostile content and managers.
 * Properties: 2xx or a clean 4xx; a refused patch leaves the object (and the store) unchanged.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApiTarget, type ApiTarget } from "./support/api-target.js";
import { hostileJson, hostileKey, hostilePiece, hostileString, mutateToText, mutation } from "./support/hostile.js";
import { FUZZ_NS, KINDS } from "./support/kinds.js";
import { probeKube } from "./support/properties.js";
import { Tally, fcParams, timeoutFor } from "./support/runs.js";

let api: ApiTarget;
const tally = new Tally("patches");
let serial = 0;
const TARGETS = ["ConfigMap", "PersistentVolumeClaim", "Pod"].map((k) => KINDS.find((t) => t.kind === k)!);

beforeAll(async () => {
  api = await startApiTarget();
  await api.must("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: FUZZ_NS } });
});

afterAll(async () => {
  tally.report();
  await api?.close();
});

const pointer = fc.oneof(
  fc.constantFrom(
    "", "/", "/metadata", "/metadata/labels", "/metadata/labels/app", "/metadata/labels/a~1b", "/metadata/annotations", "/metadata/name", "/metadata/namespace",
    "/metadata/uid", "/metadata/resourceVersion", "/metadata/__proto__", "/metadata/__proto__/polluted", "/__proto__/admin", "/constructor/prototype/x",
    "/data", "/data/k", "/data/-", "/spec", "/spec/containers", "/spec/containers/0", "/spec/containers/-", "/spec/containers/99999999999999999999",
    "/spec/containers/0/volumeMounts/0/subPath", "/spec/accessModes/0", "/spec/resources/requests/storage", "/status", "/kind", "/apiVersion",
    "/~2", "/~", "metadata", "/spec/containers/-1", "/spec/containers/01",
  ),
  fc.array(hostileKey, { minLength: 1, maxLength: 4 }).map((ks) => "/" + ks.map((k) => k.replace(/~/g, "~0").replace(/\//g, "~1")).join("/")),
);

const jsonPatchOp = fc.record(
  {
    op: fc.oneof(fc.constantFrom("add", "remove", "replace", "move", "copy", "test"), hostileString),
    path: pointer,
    from: pointer,
    value: hostileJson,
  },
  { requiredKeys: ["op", "path"] },
);

/** The copy amplification: each copy doubles the document. */
const amplification = fc.integer({ min: 10, max: 60 }).map((n) =>
  JSON.stringify([
    { op: "add", path: "/metadata/annotations", value: { a: "x".repeat(1024) } },
    ...Array.from({ length: n }, (_, i) => ({ op: "copy", from: "/metadata/annotations", path: `/metadata/annotations/c${i}` })),
  ]),
);

const directive = fc.oneof(
  fc.record({ $patch: fc.oneof(fc.constantFrom("replace", "delete", "merge"), hostileString) }),
  fc.record({ $retainKeys: fc.oneof(fc.array(hostileString, { maxLength: 3 }), hostileJson) }),
  fc.record({ "$setElementOrder/containers": fc.oneof(fc.array(fc.record({ name: hostileString }), { maxLength: 3 }), hostileJson) }),
  fc.record({ "$deleteFromPrimitiveList/finalizers": fc.oneof(fc.array(hostileString, { maxLength: 3 }), hostileJson) }),
  fc.record({ spec: fc.record({ containers: fc.array(fc.record({ name: fc.constantFrom("c", "d"), $patch: fc.constantFrom("delete", "replace", "x") }), { maxLength: 2 }) }) }),
);

type Patch = { type: string; body: string; query: string };

function patchFor(kind: number, name: string): fc.Arbitrary<Patch> {
  const base = TARGETS[kind].make(name);
  return fc.oneof(
    fc.array(jsonPatchOp, { maxLength: 4 }).map((ops) => ({ type: "application/json-patch+json", body: JSON.stringify(ops), query: "" })),
    amplification.map((body) => ({ type: "application/json-patch+json", body, query: "" })),
    fc.oneof(hostileJson, fc.array(mutation, { minLength: 1, maxLength: 3 }).map((ms) => JSON.parse(mutateToText(base, ms.filter((m) => m.op !== "rawNumber"))))).map((doc) => ({
      type: "application/merge-patch+json", body: JSON.stringify(doc), query: "",
    })),
    fc.tuple(fc.array(mutation, { maxLength: 3 }), directive).map(([ms, d]) => ({
      type: "application/strategic-merge-patch+json", body: mutateToText({ ...base, ...d }, ms), query: "",
    })),
    fc.tuple(fc.array(mutation, { minLength: 1, maxLength: 3 }), fc.oneof(fc.constantFrom("fuzz", "kubectl"), hostilePiece), fc.boolean()).map(([ms, manager, force]) => ({
      type: "application/apply-patch+yaml", body: mutateToText(base, ms), query: `?fieldManager=${encodeURIComponent(manager.replace(/[\ud800-\udfff]/g, ""))}${force ? "&force=true" : ""}`,
    })),
  );
}

describe("hostile patches", () => {
  it(
    "json, merge, strategic merge and apply: 2xx or a clean 4xx; refused patches change nothing",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.nat(TARGETS.length - 1).chain((k) => fc.tuple(fc.constant(k), patchFor(k, "pt"))),
          async ([k, p]) => {
            const tpl = TARGETS[k];
            const name = `pt-${++serial}`;
            const created = await api.must("POST", tpl.collection, tpl.make(name));
            // The patch was generated against "pt"; aim it at this run's object.
            const body = p.body.split('"pt"').join(JSON.stringify(name));
            const r = await probeKube(api, tally, () => `${p.type} ${p.query} ${body}`, () => api.request("PATCH", tpl.item(name) + p.query, body, { "Content-Type": p.type }));
            const after = await api.request("GET", tpl.item(name));
            if (r.status >= 400 && after.status === 200) expect(after.json.metadata.resourceVersion, `refused patch changed ${name}`).toBe(created.metadata.resourceVersion);
            await api.request("DELETE", tpl.item(name));
          },
        ),
        fcParams(400),
      );
    },
    timeoutFor(400, 40),
  );
});
