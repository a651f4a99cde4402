/**
 * Properties of server-side apply over random sequences of appliers and configurations:
 * ownership never points at fields the object lacks, an apply's values are in the result,
 * re-applying is a no-op, and a lone applier's object is exactly what it applied last.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { StatusError } from "../../../api/status.js";
import type { KubeObject } from "../../../api/types.js";
import { deepEqual, getOwn, isObject, type JsonObject } from "../json.js";
import { decodeFieldsV1 } from "../fieldpath/fieldsv1.js";
import { podCtx } from "../testdata/schemas.js";
import { serverSideApply } from "./server-side-apply.js";
import { updateManagedFields } from "./update-managed-fields.js";

const now = new Date("2026-01-01T00:00:00Z");

const config = fc.record({
  labels: fc.dictionary(fc.constantFrom("a", "b", "c", "d"), fc.constantFrom("1", "2")),
  finalizers: fc.subarray(["f.io/1", "f.io/2", "f.io/3"]),
  containers: fc.uniqueArray(
    fc.record({
      name: fc.constantFrom("c1", "c2", "c3"),
      image: fc.constantFrom("i1", "i2"),
      env: fc.uniqueArray(fc.record({ name: fc.constantFrom("E1", "E2"), value: fc.constantFrom("x", "y") }), { selector: (e) => e.name, maxLength: 2 }),
    }),
    { selector: (c) => c.name, maxLength: 3 },
  ),
});
type Config = typeof config extends fc.Arbitrary<infer T> ? T : never;

function podOf(c: Config): JsonObject {
  const metadata: JsonObject = { name: "p" };
  if (Object.keys(c.labels).length) metadata.labels = c.labels;
  if (c.finalizers.length) metadata.finalizers = c.finalizers;
  const containers = c.containers.map((k) => (k.env.length ? k : { name: k.name, image: k.image }));
  return { apiVersion: "v1", kind: "Pod", metadata, spec: containers.length ? { containers } : {} };
}

function run(live: KubeObject | undefined, applied: JsonObject, manager: string, force = false) {
  return serverSideApply({ live, applied, manager, force, apiVersion: "v1", now, ...podCtx, subresource: "" });
}

/** Follow a FieldsV1 path into the object. */
function resolve(v: unknown, pe: string): unknown {
  const body = pe.slice(2);
  if (pe.startsWith("f:")) return isObject(v) ? getOwn(v, body) : undefined;
  if (!Array.isArray(v)) return undefined;
  if (pe.startsWith("v:")) return v.find((x) => deepEqual(x, JSON.parse(body)));
  const key = JSON.parse(body) as JsonObject;
  return v.find((x) => isObject(x) && Object.entries(key).every(([k, kv]) => deepEqual(x[k], kv)));
}

function danglingOwnership(obj: KubeObject): string[] {
  const out: string[] = [];
  for (const entry of obj.metadata.managedFields ?? []) {
    for (const path of decodeFieldsV1(entry.fieldsV1).paths()) {
      let v: unknown = obj;
      for (const pe of path) v = resolve(v, pe);
      if (v === undefined) out.push(`${entry.manager}: ${path.join(" ")}`);
    }
  }
  return out;
}

function includesConfig(obj: KubeObject, c: Config): boolean {
  const labels = obj.metadata.labels ?? {};
  if (!Object.entries(c.labels).every(([k, v]) => labels[k] === v)) return false;
  if (!c.finalizers.every((f) => obj.metadata.finalizers?.includes(f))) return false;
  const containers = ((obj.spec as JsonObject | undefined)?.containers ?? []) as JsonObject[];
  return c.containers.every((k) => {
    const live = containers.find((x) => x.name === k.name);
    return live !== undefined && live.image === k.image && k.env.every((e) => ((live.env ?? []) as JsonObject[]).some((x) => deepEqual(x, e)));
  });
}

describe("server-side apply properties", () => {
  it("random appliers: no dangling ownership, applied values present, re-apply is a no-op", () => {
    const step = fc.record({ manager: fc.constantFrom("m1", "m2", "m3"), config, force: fc.boolean(), update: fc.option(config, { nil: undefined }) });
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 8 }), (steps) => {
        let live: KubeObject | undefined;
        for (const s of steps) {
          if (s.update && live) {
            // An ordinary write in between (e.g. kubectl edit) replacing labels.
            const next = structuredClone(live);
            next.metadata.labels = s.update.labels;
            if (Object.keys(s.update.labels).length === 0) delete next.metadata.labels;
            live = updateManagedFields({ old: live, updated: next, manager: "editor", apiVersion: "v1", now, ...podCtx, subresource: "" }).object;
            expect(danglingOwnership(live)).toEqual([]);
          }
          let result;
          try {
            result = run(live, podOf(s.config), s.manager, s.force);
          } catch (e) {
            expect(e).toBeInstanceOf(StatusError);
            expect((e as StatusError).code).toBe(409);
            expect(s.force).toBe(false);
            continue;
          }
          live = result.object;
          expect(danglingOwnership(live)).toEqual([]);
          expect(includesConfig(live, s.config)).toBe(true);
          const again = run(live, podOf(s.config), s.manager, s.force);
          expect(again.object).toEqual(live);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("a lone applier's object is exactly its last configuration", () => {
    fc.assert(
      fc.property(fc.array(config, { minLength: 1, maxLength: 6 }), (configs) => {
        let live: KubeObject | undefined;
        for (const c of configs) live = run(live, podOf(c), "solo").object;
        const { managedFields: _m, ...meta } = live!.metadata;
        expect({ ...live, metadata: meta }).toEqual(podOf(configs[configs.length - 1]));
      }),
      { numRuns: 200 },
    );
  });
});
