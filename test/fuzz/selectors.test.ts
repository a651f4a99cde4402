/**
 * Hostile list and watch queries: label selectors and field selectors both from their grammar (so
 * they reach deep into the parsers) and as raw hostile text, together with hostile limit, continue,
 * resourceVersion, resourceVersionMatch and timeoutSeconds values.
 * Properties: 200 (a list, or a watch that ends by its timeout) or a clean 4xx; never a 5xx or a hang;
 * reads change nothing.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApiTarget, type ApiTarget } from "./support/api-target.js";
import { hostilePiece, hostileString } from "./support/hostile.js";
import { FUZZ_NS } from "./support/kinds.js";
import { probeKube } from "./support/properties.js";
import { Tally, fcParams, fuzzRuns, timeoutFor } from "./support/runs.js";

let api: ApiTarget;
const tally = new Tally("selectors");

beforeAll(async () => {
  api = await startApiTarget();
  await api.must("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: FUZZ_NS } });
  for (let i = 0; i < 5; i++) {
    await api.must("POST", `/api/v1/namespaces/${FUZZ_NS}/configmaps`, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: `cm-${i}`, labels: { app: "fuzz", tier: `t${i % 2}`, "example.com/x": String(i) } } });
  }
});

afterAll(async () => {
  tally.report();
  await api?.close();
});

const word = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom("app", "tier", "fuzz", "t0", "t1", "0", "example.com/x", "a.b/c", "metadata.name", "metadata.namespace", "cm-1", "x") },
  { weight: 1, arbitrary: hostilePiece },
);
const op = fc.oneof({ weight: 5, arbitrary: fc.constantFrom("=", "==", "!=", " in ", " notin ") }, { weight: 1, arbitrary: fc.constantFrom("", "!", ">", "<", "=!", "in", " in") });
const values = fc.array(word, { maxLength: 3 }).map((vs) => `(${vs.join(",")})`);
const requirement = fc.oneof(
  fc.tuple(word, op, fc.oneof(word, values)).map(([k, o, v]) => `${k}${o}${v}`),
  word.map((k) => k),
  word.map((k) => `!${k}`),
);
const selector = fc.oneof(
  { weight: 3, arbitrary: fc.array(requirement, { minLength: 1, maxLength: 4 }).map((rs) => rs.join(",")) },
  { weight: 1, arbitrary: hostileString },
);

const fieldKey = fc.oneof({ weight: 5, arbitrary: fc.constantFrom("metadata.name", "metadata.namespace") }, { weight: 1, arbitrary: fc.oneof(fc.constantFrom("status.phase", "spec.nodeName", "data.k"), hostilePiece) });
const fieldSelector = fc.oneof(
  { weight: 3, arbitrary: fc.array(fc.tuple(fieldKey, fc.constantFrom("=", "==", "!=", "", " in "), word).map(([k, o, v]) => `${k}${o}${v}`), { minLength: 1, maxLength: 3 }).map((rs) => rs.join(",")) },
  { weight: 1, arbitrary: hostileString },
);

const otherParams = fc.record(
  {
    limit: fc.oneof(fc.constantFrom("-1", "0", "1", "1e3", "99999999999999999999", "x", ""), hostilePiece),
    continue: fc.oneof(fc.constantFrom("eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6MSwic3RhcnQiOiJ4In0", "%%%", "=", ""), hostilePiece),
    resourceVersion: fc.oneof(fc.constantFrom("0", "1", "-1", "999999999999", "99999999999999999999999", "abc", ""), hostilePiece),
    resourceVersionMatch: fc.oneof(fc.constantFrom("NotOlderThan", "Exact", "", "x"), hostilePiece),
  },
  { requiredKeys: [] },
);

function query(params: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.append(k, v);
  return q.toString();
}

describe("hostile selectors and list parameters", () => {
  it(
    "lists: 200 or a clean 4xx",
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.option(selector), fc.option(fieldSelector, { freq: 2 }), fc.oneof({ weight: 2, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: otherParams }), fc.boolean(), async (labels, fields, other, clusterWide) => {
          const qs = query({ labelSelector: labels ?? undefined, fieldSelector: fields ?? undefined, ...other });
          const path = `${clusterWide ? "/api/v1/configmaps" : `/api/v1/namespaces/${FUZZ_NS}/configmaps`}?${qs}`;
          const r = await probeKube(api, tally, () => path, () => api.request("GET", path));
          if (r.status === 200) expect(Array.isArray(r.json?.items), path).toBe(true);
        }),
        fcParams(500),
      );
    },
    timeoutFor(500),
  );

  it(
    "watches: a stream that ends at its timeout, or a clean 4xx",
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.option(selector), fc.option(fieldSelector, { freq: 2 }), fc.oneof(fc.constantFrom("0", "1", "-5", "abc", "99999999999999999999", ""), hostilePiece), async (labels, fields, rv) => {
          // timeoutSeconds=1 comes first: a watch the server accepts must end by itself.
          const path = `/api/v1/namespaces/${FUZZ_NS}/configmaps?timeoutSeconds=1&watch=1&${query({ labelSelector: labels ?? undefined, fieldSelector: fields ?? undefined, resourceVersion: rv })}`;
          const r = await probeKube(api, tally, () => path, () => api.request("GET", path));
          if (r.status === 200) for (const line of r.text.split("\n").filter(Boolean)) expect(["ADDED", "MODIFIED", "DELETED", "BOOKMARK", "ERROR"], line).toContain(JSON.parse(line).type);
        }),
        // An accepted watch lasts its one-second timeout: a fiftieth of the target's runs (at least 60).
        { ...fcParams(60), numRuns: Math.max(60, Math.floor(fuzzRuns(60) / 50)) },
      );
    },
    Math.max(120_000, Math.floor(fuzzRuns(60) / 50) * 1500),
  );
});
