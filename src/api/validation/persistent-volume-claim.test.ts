import { describe, it, expect } from "vitest";
import type { PersistentVolumeClaim } from "../kinds/persistent-volume-claim.js";
import { guidePersistentVolumeClaim } from "../testing/guide-fixtures.js";
import { create, invalidMessage, messages, stored, update } from "../testing/harness.js";
import { invalidError } from "../fields/invalid-error.js";
import { persistentVolumeClaims } from "../kinds/persistent-volume-claim.js";

type Pvc = PersistentVolumeClaim & { spec: Record<string, unknown> };
const pvc = (mutate: (p: Pvc) => void = () => undefined): Pvc => {
  const obj = guidePersistentVolumeClaim<Pvc>();
  mutate(obj);
  return obj;
};

describe("PersistentVolumeClaim create validation (upstream messages)", () => {
  it("accepts the guide's claim", () => {
    expect(messages(create(pvc()))).toEqual([]);
  });

  it("renders the brief's exact 422 message and causes", () => {
    const obj = { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "x", namespace: "default" }, spec: {} } as PersistentVolumeClaim;
    const errs = create(obj);
    const err = invalidError(persistentVolumeClaims, "x", errs);
    expect(err.code).toBe(422);
    expect(err.reason).toBe("Invalid");
    expect(err.message).toBe(
      'PersistentVolumeClaim "x" is invalid: [spec.accessModes: Required value: at least 1 access mode is required, spec.resources[storage]: Required value]',
    );
    expect(err.toStatus()).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: err.message,
      reason: "Invalid",
      code: 422,
      details: {
        name: "x",
        kind: "PersistentVolumeClaim",
        causes: [
          { reason: "FieldValueRequired", message: "Required value: at least 1 access mode is required", field: "spec.accessModes" },
          { reason: "FieldValueRequired", message: "Required value", field: "spec.resources[storage]" },
        ],
      },
    });
  });

  const cases: [string, (p: Pvc) => void, string[]][] = [
    ["a zero request", (p) => (p.spec.resources = { requests: { storage: "0" } }), ['spec.resources[storage]: Invalid value: "0": must be greater than zero']],
    ["a negative request", (p) => (p.spec.resources = { requests: { storage: "-1Gi" } }), ['spec.resources[storage]: Invalid value: "-1Gi": must be greater than zero']],
    [
      "an unparsable request",
      (p) => (p.spec.resources = { requests: { storage: "5 GB" } }),
      ["spec.resources[storage]: Invalid value: \"5 GB\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"],
    ],
    [
      "ReadWriteOncePod with ReadWriteMany",
      (p) => (p.spec.accessModes = ["ReadWriteOncePod", "ReadWriteMany"]),
      ["spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes"],
    ],
    [
      "an unknown access mode",
      (p) => (p.spec.accessModes = ["RWX"]),
      ['spec.accessModes: Unsupported value: "RWX": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"'],
    ],
    [
      "a data source reference of another kind in the core group (mirrored into dataSource)",
      (p) => (p.spec.dataSourceRef = { kind: "Snapshot", name: "s1" }),
      [
        "spec.dataSource: Invalid value: \"Snapshot\": must be 'PersistentVolumeClaim' when referencing the default apiGroup",
        "spec.dataSourceRef: Invalid value: \"Snapshot\": must be 'PersistentVolumeClaim' when referencing the default apiGroup",
      ],
    ],
    [
      "a selector with a bad operator",
      (p) => (p.spec.selector = { matchExpressions: [{ key: "tier", operator: "Equals", values: ["gold"] }] }),
      ['spec.selector.matchExpressions[0].operator: Invalid value: "Equals": not a valid selector operator'],
    ],
    [
      "a selector In without values",
      (p) => (p.spec.selector = { matchExpressions: [{ key: "tier", operator: "In" }] }),
      ["spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"],
    ],
    ["a block/filesystem typo", (p) => (p.spec.volumeMode = "block"), ['spec.volumeMode: Unsupported value: "block": supported values: "Block", "Filesystem"']],
  ];
  for (const [name, mutate, want] of cases) {
    it(`rejects ${name}`, () => {
      expect(messages(create(pvc(mutate)))).toEqual(want);
    });
  }

  it("drops an unsupported dataSource silently on create, as upstream", () => {
    const p = pvc((p) => (p.spec.dataSource = { kind: "Snapshot", name: "s1" }));
    expect(messages(create(p))).toEqual([]);
    expect(p.spec!.dataSource).toBeUndefined();
    expect(p.spec!.dataSourceRef).toBeUndefined();
  });

  it("accepts an empty class (no class) and mirrors dataSource into dataSourceRef", () => {
    const p = pvc((p) => {
      p.spec.storageClassName = "";
      p.spec.dataSource = { kind: "PersistentVolumeClaim", name: "src" };
    });
    expect(messages(create(p))).toEqual([]);
    expect(p.spec!.dataSourceRef).toEqual({ kind: "PersistentVolumeClaim", name: "src" });
  });

  it("the metadata errors come first in the aggregate", () => {
    const p = pvc((p) => {
      p.metadata.name = "Bad_Name";
      delete p.spec.accessModes;
    });
    expect(invalidMessage(p, create(p))).toMatch(/^PersistentVolumeClaim "Bad_Name" is invalid: \[metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain .*, spec\.accessModes: Required value: at least 1 access mode is required\]$/);
  });
});

describe("PersistentVolumeClaim update validation", () => {
  const IMMUTABLE = /^spec: Forbidden: spec is immutable after creation except resources\.requests and volumeAttributesClassName for bound claims\n/;

  it("forbids spec changes of an unbound claim, naming the change", () => {
    const old = stored(pvc());
    const next = structuredClone(old);
    next.spec!.accessModes = ["ReadWriteOnce"];
    const msgs = messages(update(next, old));
    expect(msgs).toHaveLength(1);
    expect(msgs[0]).toMatch(IMMUTABLE);
    expect(msgs[0]).toContain('- spec.accessModes[0]: "ReadWriteMany"');
  });

  it("forbids growing the request while Pending", () => {
    const old = stored(pvc());
    const next = structuredClone(old);
    next.spec!.resources!.requests!.storage = "10Gi";
    expect(messages(update(next, old))[0]).toMatch(IMMUTABLE);
  });

  it("allows volumeName to be set once, then never changed", () => {
    const old = stored(pvc());
    const bound = structuredClone(old);
    bound.spec!.volumeName = "efs-pv";
    expect(messages(update(bound, old))).toEqual([]);
    const again = structuredClone(bound);
    again.spec!.volumeName = "other";
    expect(messages(update(again, bound))[0]).toMatch(IMMUTABLE);
  });

  it("allows a bound claim to grow, and to shrink only above status.capacity", () => {
    const old = stored(pvc());
    old.spec!.volumeName = "efs-pv";
    old.status = { phase: "Bound", capacity: { storage: "5Gi" } };
    const grown = structuredClone(old);
    grown.spec!.resources!.requests!.storage = "10Gi";
    expect(messages(update(grown, old))).toEqual([]);

    const shrunk = structuredClone(grown);
    shrunk.spec!.resources!.requests!.storage = "5Gi";
    expect(messages(update(shrunk, grown))).toEqual(["spec.resources.requests.storage: Forbidden: field can not be less than status.capacity"]);

    const recovered = structuredClone(grown);
    recovered.spec!.resources!.requests!.storage = "7Gi";
    expect(messages(update(recovered, grown))).toEqual([]);
  });

  it("allows a nil class to be set later (retroactive default class)", () => {
    const old = stored(pvc((p) => delete p.spec.storageClassName));
    const next = structuredClone(old);
    next.spec!.storageClassName = "efs-sc";
    expect(messages(update(next, old))).toEqual([]);
  });

  it("forbids changing volumeMode at upstream's path", () => {
    const old = stored(pvc());
    const next = structuredClone(old);
    next.spec!.volumeMode = "Block";
    const msgs = messages(update(next, old));
    expect(msgs[0]).toMatch(IMMUTABLE);
    expect(msgs[1]).toBe('volumeMode: Invalid value: "Block": field is immutable');
  });

  it("status updates need access modes in the (kept) spec and valid capacities", () => {
    const old = stored(pvc());
    const next = structuredClone(old);
    next.status = { phase: "Bound", capacity: { storage: "100Gi" }, accessModes: ["ReadWriteMany"] };
    expect(messages(update(next, old, "status"))).toEqual([]);
    const bad = structuredClone(old);
    bad.status = { phase: "Bound", capacity: { storage: "lots" } };
    expect(messages(update(bad, old, "status"))[0]).toMatch(/^status\.capacity\[storage\]: Invalid value: "lots": quantities must match/);
  });
});
