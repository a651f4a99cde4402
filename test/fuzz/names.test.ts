/**
 * Hostile names, where they arrive: metadata.name, generateName and metadata.namespace in bodies,
 * and namespace and name segments of request paths (percent-encoded bytes, NUL, "..", "%2F", empty
 * segments, very long segments) for every verb.
 * Properties: a clean answer; refusals change nothing; a name the server accepts is usable as a path
 * segment and a store key (not "." or "..", no "/" or "%", not empty), a generated name is at most
 * 63 characters, and the object can be read back under it.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApiTarget, type ApiTarget } from "./support/api-target.js";
import { hostilePiece, hostileString } from "./support/hostile.js";
import { FUZZ_NS, KINDS } from "./support/kinds.js";
import { probeKube } from "./support/properties.js";
import { Tally, fcParams, timeoutFor } from "./support/runs.js";

let api: ApiTarget;
const tally = new Tally("names");

beforeAll(async () => {
  api = await startApiTarget();
  await api.must("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: FUZZ_NS } });
  await api.must("POST", `/api/v1/namespaces/${FUZZ_NS}/configmaps`, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "present" } });
});

afterAll(async () => {
  tally.report();
  await api?.close();
});

const name = fc.oneof(
  { weight: 3, arbitrary: hostileString },
  { weight: 2, arbitrary: fc.stringMatching(/^[a-z0-9]([-a-z0-9.]{0,20}[a-z0-9])?$/) },
  { weight: 1, arbitrary: fc.constantFrom(".", "..", "a..b", "a.-b", "A", "a_b", "-a", "a-", "1", "x".repeat(253), "x".repeat(254), "x".repeat(63), "x".repeat(64), "a/b", "a%2Fb", "%", "a b", "ä") },
);

/** Path-segment names (RBAC, events) have no length limit upstream either; DNS names are checked by the kinds. */
function usableName(n: unknown): boolean {
  return typeof n === "string" && n !== "" && n !== "." && n !== ".." && !n.includes("/") && !n.includes("%");
}

/** A path segment: encoded properly, raw (so "..", "%00" and "/" reach the router), or double-encoded. */
const segment = fc.oneof(
  name.map((n) => encodeURIComponent(n.replace(/[\ud800-\udfff]/g, ""))),
  fc.constantFrom("..", ".", "", "%2e%2e", "%2E%2E", "%2F", "a%2Fb", "%00", "a%00b", "%ff", "%", "%zz", "%252e%252e", "//", "present", FUZZ_NS, "default", "x".repeat(5000)),
  hostilePiece.map((p) => encodeURIComponent(p.replace(/[\ud800-\udfff]/g, ""))),
);

describe("hostile names", () => {
  it(
    "names in bodies: accepted names are usable path segments; refusals change nothing",
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.nat(KINDS.length - 1), name, fc.constantFrom("name", "generateName", "namespace"), async (k, n, field) => {
          const tpl = KINDS[k];
          const obj = tpl.make("placeholder") as { metadata: Record<string, unknown> };
          if (field === "generateName") delete obj.metadata.name;
          obj.metadata[field] = n;
          const text = JSON.stringify(obj);
          const r = await probeKube(api, tally, () => text, () => api.request("POST", tpl.collection, text, { "Content-Type": "application/json" }));
          if (r.status !== 201) return;
          const stored = r.json.metadata.name;
          expect(usableName(stored), `accepted ${tpl.kind} name ${JSON.stringify(stored)}`).toBe(true);
          if (field === "generateName") expect(stored.length, `generated name ${stored}`).toBeLessThanOrEqual(63);
          // A name longer than the request head allows can only be reached by a list (the HTTP limit, not the API's).
          if (tpl.item(stored).length < 8000) expect((await api.request("GET", tpl.item(stored))).status, `${tpl.kind} ${stored} cannot be read back`).toBe(200);
          await api.request("DELETE", tpl.item(stored));
        }),
        fcParams(400),
      );
    },
    timeoutFor(400),
  );

  it(
    "names in paths, for every verb: clean answers; refusals change nothing",
    async () => {
      await fc.assert(
        fc.asyncProperty(segment, segment, fc.constantFrom("GET", "PUT", "PATCH", "DELETE", "POST"), fc.constantFrom("configmaps", "persistentvolumeclaims", "secrets"), async (ns, nm, method, plural) => {
          const path = `/api/v1/namespaces/${ns}/${plural}/${nm}`;
          const body = method === "GET" || method === "DELETE" ? undefined : JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: decodeURIComponentSafe(nm), namespace: decodeURIComponentSafe(ns) } });
          const type = method === "PATCH" ? "application/merge-patch+json" : "application/json";
          await probeKube(api, tally, () => `${method} ${path} ${body ?? ""}`, () => api.request(method, path, body, { "Content-Type": type }));
        }),
        fcParams(400),
      );
    },
    timeoutFor(400),
  );
});

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
