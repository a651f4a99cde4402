/**
 * Hostile quantities where the storage stack reads them: a claim's storage request and limit, and a
 * PV's capacity. Values come from the quantity grammar (sign, digits, fraction, exponent, binary and
 * decimal suffixes) pushed to its edges, from hostile text, and as raw JSON numbers (1e400, 40 digits).
 * Properties: a clean answer; refusals change nothing; an accepted value is stored in a form that
 * is itself accepted again and stays the same (canonical form is a fixed point).
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApiTarget, type ApiTarget } from "./support/api-target.js";
import { hostileNumberText, hostileString } from "./support/hostile.js";
import { FUZZ_NS } from "./support/kinds.js";
import { knownBug } from "./support/known-bugs.js";
import { probeKube } from "./support/properties.js";
import { Tally, fcParams, timeoutFor } from "./support/runs.js";

let api: ApiTarget;
const tally = new Tally("quantities");
let serial = 0;

beforeAll(async () => {
  api = await startApiTarget();
  await api.must("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: FUZZ_NS } });
});

afterAll(async () => {
  tally.report();
  await api?.close();
});

const digits = fc.oneof(fc.constantFrom("0", "1", "5", "000", "9".repeat(19), "9".repeat(40), "18446744073709551616"), fc.stringMatching(/^[0-9]{1,25}$/));
const grammar = fc
  .tuple(
    fc.constantFrom("", "+", "-", "--", "+-"),
    digits,
    fc.oneof(fc.constant(""), digits.map((d) => `.${d}`), fc.constant(".")),
    fc.constantFrom("", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "n", "u", "m", "k", "M", "G", "T", "P", "E", "e3", "E3", "e-3", "e18", "e308", "e999", "e", "Zi", "K", "gi", "i", " Gi", "Gi "),
  )
  .map(([s, d, f, u]) => `${s}${d}${f}${u}`);

/** A JSON value for a quantity field, as text: a string from the grammar, hostile text, or a bare number literal. */
const quantityJson = fc.oneof(
  { weight: 4, arbitrary: grammar.map((q) => JSON.stringify(q)) },
  { weight: 1, arbitrary: hostileString.map((q) => JSON.stringify(q)) },
  { weight: 2, arbitrary: hostileNumberText },
  { weight: 1, arbitrary: fc.constantFrom("null", "true", "[]", "{}", '["1Gi"]') },
);

function claimText(name: string, field: "requests" | "limits", q: string): string {
  return `{"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"${name}","namespace":"${FUZZ_NS}"},"spec":{"accessModes":["ReadWriteOnce"],"storageClassName":"","resources":{"${field}":{"storage":${q}}${field === "limits" ? ',"requests":{"storage":"1"}' : ""}}}}`;
}

function volumeText(name: string, q: string): string {
  return `{"apiVersion":"v1","kind":"PersistentVolume","metadata":{"name":"${name}"},"spec":{"capacity":{"storage":${q}},"accessModes":["ReadWriteOnce"],"csi":{"driver":"efs.csi.aws.com","volumeHandle":"fs-12345678"}}}`;
}

describe("hostile quantities", () => {
  it(
    "claim requests/limits and volume capacity: clean answers; accepted values are canonical fixed points",
    async () => {
      await fc.assert(
        fc.asyncProperty(quantityJson, fc.constantFrom("requests", "limits", "capacity"), async (q, where) => {
          const name = `q-${++serial}`;
          const isPv = where === "capacity";
          const collection = isPv ? "/api/v1/persistentvolumes" : `/api/v1/namespaces/${FUZZ_NS}/persistentvolumeclaims`;
          const text = isPv ? volumeText(name, q) : claimText(name, where as "requests" | "limits", q);
          const r = await probeKube(api, tally, () => text, () => api.request("POST", collection, text, { "Content-Type": "application/json" }));
          if (r.status !== 201) return;
          const known = knownBug(r, text);
          if (known) {
            tally.reclassify(201, `known:${known.id}`);
            return;
          }
          const stored = isPv ? r.json.spec.capacity.storage : r.json.spec.resources[where].storage;
          expect(typeof stored, `${q} stored as ${JSON.stringify(stored)}`).toBe("string");
          const again = isPv ? volumeText(`${name}-again`, JSON.stringify(stored)) : claimText(`${name}-again`, where as "requests" | "limits", JSON.stringify(stored));
          const r2 = await api.request("POST", collection, again, { "Content-Type": "application/json" });
          expect(r2.status, `canonical ${stored} (from ${q}) refused: ${r2.text.slice(0, 300)}`).toBe(201);
          const stored2 = isPv ? r2.json.spec.capacity.storage : r2.json.spec.resources[where].storage;
          expect(stored2, `canonical form of ${q}`).toBe(stored);
          for (const n of [name, `${name}-again`]) await api.request("DELETE", `${collection}/${n}`);
        }),
        fcParams(500),
      );
    },
    timeoutFor(500, 30),
  );
});
