/**
 * Hostile YAML where the API server accepts YAML: application/yaml creates and apply patches.
 * Alias bombs ("billion laughs", CVE-2019-11253), deep flow and block nesting, tags, merge keys,
 * duplicate keys, `__proto__` keys, 1e400, multi-document streams, and mutated valid manifests.
 * Properties: a clean answer, within the hang limit; refusals change nothing; no prototype pollution.
 */
import fc from "fast-check";
import { stringify } from "yaml";
import { afterAll, beforeAll, describe, it } from "vitest";
import { startApiTarget, type ApiTarget } from "./support/api-target.js";
import { hostileYaml, mutateToText, mutation } from "./support/hostile.js";
import { FUZZ_NS, KINDS } from "./support/kinds.js";
import { probeKube } from "./support/properties.js";
import { Tally, fcParams, timeoutFor } from "./support/runs.js";

let api: ApiTarget;
const tally = new Tally("yaml");
let serial = 0;
const cms = KINDS.find((k) => k.kind === "ConfigMap")!;

beforeAll(async () => {
  api = await startApiTarget();
  await api.must("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: FUZZ_NS } });
  await api.must("POST", cms.collection, cms.make("apply-target"));
});

afterAll(async () => {
  tally.report();
  await api?.close();
});

/** A valid manifest of any kind, mutated, then written as block YAML (so the YAML parser, not JSON.parse, reads it). */
const mutatedYaml = fc.tuple(fc.nat(KINDS.length - 1), fc.array(mutation, { maxLength: 3 })).map(([k, ms]) => {
  const doc = JSON.parse(mutateToText(KINDS[k].make(`y-${k}`), ms.filter((m) => m.op !== "rawNumber"))) as unknown;
  return { collection: KINDS[k].collection, text: stringify(doc) };
});

describe("hostile YAML", () => {
  it(
    "application/yaml creates and apply patches: clean answers, refusals change nothing",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof({ weight: 2, arbitrary: hostileYaml.map((text) => ({ collection: cms.collection, text })) }, { weight: 1, arbitrary: mutatedYaml }),
          fc.constantFrom("create", "apply"),
          async (doc, how) => {
            const n = ++serial;
            if (how === "create") {
              const r = await probeKube(api, tally, () => doc.text, () => api.request("POST", doc.collection, doc.text, { "Content-Type": "application/yaml" }));
              if (r.status === 201) await api.request("DELETE", `${doc.collection}/${encodeURIComponent(r.json.metadata.name)}`);
            } else {
              const path = `${cms.item("apply-target")}?fieldManager=fuzz-${n % 3}`;
              await probeKube(api, tally, () => doc.text, () => api.request("PATCH", path, doc.text, { "Content-Type": "application/apply-patch+yaml" }));
            }
          },
        ),
        fcParams(300),
      );
    },
    timeoutFor(300, 50),
  );
});
