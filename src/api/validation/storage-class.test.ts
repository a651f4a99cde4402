import { describe, it, expect } from "vitest";
import type { KubeObject } from "../types.js";
import { guideStorageClass } from "../testing/guide-fixtures.js";
import { create, invalidMessage, messages, stored, update } from "../testing/harness.js";

type Sc = KubeObject & Record<string, any>;
const sc = (mutate: (s: Sc) => void = () => undefined): Sc => {
  const obj = guideStorageClass<Sc>();
  mutate(obj);
  return obj;
};

describe("StorageClass validation (upstream messages)", () => {
  it("accepts the guide's class and defaults reclaimPolicy Delete, volumeBindingMode Immediate", () => {
    const s = sc();
    expect(messages(create(s))).toEqual([]);
    expect(s.reclaimPolicy).toBe("Delete");
    expect(s.volumeBindingMode).toBe("Immediate");
  });

  const cases: [string, (s: Sc) => void, string[]][] = [
    ["a missing provisioner", (s) => delete s.provisioner, ["provisioner: Required value"]],
    [
      "a provisioner that is not a qualified name (checked lower-cased)",
      (s) => (s.provisioner = "EFS Driver"),
      [
        "provisioner: Invalid value: \"efs driver\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      ],
    ],
    ["the Recycle reclaim policy", (s) => (s.reclaimPolicy = "Recycle"), ['reclaimPolicy: Unsupported value: "Recycle": supported values: "Delete", "Retain"']],
    [
      "an unknown binding mode",
      (s) => (s.volumeBindingMode = "Later"),
      ['volumeBindingMode: Unsupported value: "Later": supported values: "Immediate", "WaitForFirstConsumer"'],
    ],
    [
      "more than 512 parameters",
      (s) => (s.parameters = Object.fromEntries(Array.from({ length: 513 }, (_, i) => [`k${i}`, "v"]))),
      ["parameters: Too long: may not be more than 512 bytes"],
    ],
    [
      "parameters over 256 KiB",
      (s) => (s.parameters = { big: "x".repeat(256 * 1024) }),
      ["parameters: Too long: may not be more than 262144 bytes"],
    ],
    [
      "duplicate allowed topologies",
      (s) => {
        const term = { matchLabelExpressions: [{ key: "topology.kubernetes.io/zone", values: ["a"] }] };
        s.allowedTopologies = [term, structuredClone(term)];
      },
      ['allowedTopologies[1].matchLabelExpressions: Duplicate value: ""'],
    ],
  ];
  for (const [name, mutate, want] of cases) {
    it(`rejects ${name}`, () => {
      expect(messages(create(sc(mutate)))).toEqual(want);
    });
  }

  it("qualifies the kind with its group in the 422 message", () => {
    const s = sc((s) => (s.reclaimPolicy = "Recycle"));
    expect(invalidMessage(s, create(s))).toBe('StorageClass.storage.k8s.io "efs-sc" is invalid: reclaimPolicy: Unsupported value: "Recycle": supported values: "Delete", "Retain"');
  });
});

describe("StorageClass update validation", () => {
  it("freezes parameters, provisioner, reclaimPolicy and volumeBindingMode", () => {
    const old = stored(sc());
    const next = structuredClone(old);
    next.parameters = { provisioningMode: "efs-ap" };
    next.provisioner = "other.csi.example.com";
    next.reclaimPolicy = "Retain";
    next.volumeBindingMode = "WaitForFirstConsumer";
    expect(messages(update(next, old))).toEqual([
      "parameters: Forbidden: updates to parameters are forbidden.",
      "provisioner: Forbidden: updates to provisioner are forbidden.",
      "reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden.",
      'volumeBindingMode: Invalid value: "WaitForFirstConsumer": field is immutable',
    ]);
  });

  it("lets allowVolumeExpansion, mountOptions and labels change", () => {
    const old = stored(sc());
    const next = structuredClone(old);
    next.allowVolumeExpansion = true;
    next.mountOptions = ["tls"];
    next.metadata.labels = { tier: "gold" };
    expect(messages(update(next, old))).toEqual([]);
  });
});
