import { describe, it, expect } from "vitest";
import type { KubeObject } from "../types.js";

type Pv = KubeObject & { spec: any; status?: any };
import { guidePersistentVolume } from "../testing/guide-fixtures.js";
import { create, invalidMessage, messages, stored, update } from "../testing/harness.js";

const pv = (mutate: (pv: Pv) => void = () => undefined): Pv => {
  const obj = guidePersistentVolume<Pv>();
  mutate(obj);
  return obj;
};

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

describe("PersistentVolume create validation (upstream messages)", () => {
  it("accepts the guide's EFS volume", () => {
    expect(messages(create(pv()))).toEqual([]);
  });

  const cases: [string, (p: Pv) => void, string[]][] = [
    ["missing access modes", (p) => delete p.spec.accessModes, ["spec.accessModes: Required value"]],
    [
      "unknown access mode",
      (p) => (p.spec.accessModes = ["ReadWriteSometimes"]),
      ['spec.accessModes: Unsupported value: "ReadWriteSometimes": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"'],
    ],
    [
      "ReadWriteOncePod with another mode",
      (p) => (p.spec.accessModes = ["ReadWriteOncePod", "ReadWriteOnce"]),
      ["spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes"],
    ],
    [
      "missing capacity",
      (p) => delete p.spec.capacity,
      ["spec.capacity: Required value", 'spec.capacity: Unsupported value: core.ResourceList(nil): supported values: "storage"'],
    ],
    [
      "a capacity key other than storage",
      (p) => (p.spec.capacity = { storage: "1Gi", memory: "1Gi" }),
      ['spec.capacity: Unsupported value: core.ResourceList{"memory":"1Gi", "storage":"1Gi"}: supported values: "storage"'],
    ],
    ["zero capacity", (p) => (p.spec.capacity = { storage: "0" }), ['spec.capacity[storage]: Invalid value: "0": must be greater than zero']],
    [
      "negative capacity",
      (p) => (p.spec.capacity = { storage: "-1Gi" }),
      ["spec.capacity[storage]: Invalid value: -1073741824: must be a valid resource quantity", 'spec.capacity[storage]: Invalid value: "-1Gi": must be greater than zero'],
    ],
    ["two volume sources", (p) => (p.spec.hostPath = { path: "/data" }), ["spec.csi: Forbidden: may not specify more than 1 volume type"]],
    ["no volume source", (p) => delete p.spec.csi, ["spec: Required value: must specify a volume type"]],
    [
      "CSI source without driver",
      (p) => (p.spec.csi = { volumeHandle: "fs-1" }),
      ["spec.csi.driver: Required value", `spec.csi.driver: Invalid value: "": ${SUBDOMAIN_MSG}`],
    ],
    ["CSI source without volumeHandle", (p) => (p.spec.csi = { driver: "efs.csi.aws.com" }), ["spec.csi.volumeHandle: Required value"]],
    [
      "local volume without node affinity",
      (p) => {
        delete p.spec.csi;
        p.spec.local = { path: "/mnt/disk" };
      },
      ["spec.nodeAffinity: Required value: Local volume requires node affinity"],
    ],
    [
      "unknown reclaim policy",
      (p) => (p.spec.persistentVolumeReclaimPolicy = "Keep"),
      ['spec.persistentVolumeReclaimPolicy: Unsupported value: "Keep": supported values: "Delete", "Recycle", "Retain"'],
    ],
    [
      "Recycle of a hostPath at /",
      (p) => {
        delete p.spec.csi;
        p.spec.hostPath = { path: "//" };
        p.spec.persistentVolumeReclaimPolicy = "Recycle";
      },
      ["spec.persistentVolumeReclaimPolicy: Forbidden: may not be 'recycle' for a hostPath mount of '/'"],
    ],
    ["invalid class name", (p) => (p.spec.storageClassName = "Bad_Class"), [`spec.storageClassName: Invalid value: "Bad_Class": ${SUBDOMAIN_MSG}`]],
    ["unknown volume mode", (p) => (p.spec.volumeMode = "Raw"), ['spec.volumeMode: Unsupported value: "Raw": supported values: "Block", "Filesystem"']],
    [
      "node affinity without terms",
      (p) => (p.spec.nodeAffinity = { required: { nodeSelectorTerms: [] } }),
      ["spec.nodeAffinity.required.nodeSelectorTerms: Required value: must have at least one node selector term"],
    ],
    [
      "hostPath with ..",
      (p) => {
        delete p.spec.csi;
        p.spec.hostPath = { path: "/data/../etc" };
      },
      ['spec.hostPath.path: Invalid value: "/data/../etc": must not contain \'..\''],
    ],
  ];
  for (const [name, mutate, want] of cases) {
    it(`rejects ${name}`, () => {
      expect(messages(create(pv(mutate)))).toEqual(want);
    });
  }

  it("renders a single error without brackets and several with", () => {
    const one = pv((p) => (p.spec.volumeMode = "Raw"));
    expect(invalidMessage(one, create(one))).toBe('PersistentVolume "efs-pv" is invalid: spec.volumeMode: Unsupported value: "Raw": supported values: "Block", "Filesystem"');
    const two = pv((p) => {
      delete p.spec.accessModes;
      p.spec.volumeMode = "Raw";
    });
    expect(invalidMessage(two, create(two))).toBe(
      'PersistentVolume "efs-pv" is invalid: [spec.accessModes: Required value, spec.volumeMode: Unsupported value: "Raw": supported values: "Block", "Filesystem"]',
    );
  });
});

describe("PersistentVolume update validation", () => {
  it("allows capacity, reclaim policy, class and claimRef to change", () => {
    const old = stored(pv());
    const next = structuredClone(old);
    next.spec.capacity = { storage: "200Gi" };
    next.spec.persistentVolumeReclaimPolicy = "Delete";
    next.spec.claimRef = { namespace: "default", name: "efs-pvc" };
    expect(messages(update(next, old))).toEqual([]);
  });

  it("forbids changing the volume source, with a diff", () => {
    const old = stored(pv());
    const next = structuredClone(old);
    next.spec.csi!.volumeHandle = "fs-99999999";
    const msgs = messages(update(next, old));
    expect(msgs).toHaveLength(1);
    expect(msgs[0]).toMatch(/^spec\.persistentvolumesource: Forbidden: spec\.persistentvolumesource is immutable after creation\n/);
    expect(msgs[0]).toContain('- spec.csi.volumeHandle: "fs-12345678"');
    expect(msgs[0]).toContain('+ spec.csi.volumeHandle: "fs-99999999"');
  });

  it("allows adding controllerExpandSecretRef to a CSI source", () => {
    const old = stored(pv());
    const next = structuredClone(old);
    next.spec.csi!.controllerExpandSecretRef = { name: "s", namespace: "kube-system" };
    expect(messages(update(next, old))).toEqual([]);
  });

  it("forbids changing volumeMode (reported at upstream's path 'volumeMode')", () => {
    const old = stored(pv());
    const next = structuredClone(old);
    next.spec.volumeMode = "Block";
    expect(messages(update(next, old))).toEqual(['volumeMode: Invalid value: "Block": field is immutable']);
  });

  it("allows setting node affinity once, then freezes it", () => {
    const old = stored(pv());
    const next = structuredClone(old);
    const affinity = { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/hostname", operator: "In", values: ["n1"] }] }] } };
    next.spec.nodeAffinity = affinity;
    expect(messages(update(next, old))).toEqual([]);
    const later = structuredClone(next);
    later.metadata.resourceVersion = "2";
    later.spec.nodeAffinity!.required!.nodeSelectorTerms[0].matchExpressions![0].values = ["n2"];
    expect(messages(update(later, next))[0]).toMatch(/^nodeAffinity: Invalid value: .*: field is immutable$/);
  });
});
