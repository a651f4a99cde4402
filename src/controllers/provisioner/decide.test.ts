import { describe, expect, it } from "vitest";
import { capabilitiesFor, claimProblem, createRequest, decideClaim, decideVolume, provisionedVolume } from "./decide.js";
import { rpcErrorText } from "./errors.js";
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from "./types.js";

const DRIVER = "efs.csi.aws.com";

function claim(over: { annotations?: Record<string, string> } & Partial<PersistentVolumeClaim["spec"]> & { deleting?: boolean } = {}): PersistentVolumeClaim {
  const { annotations, deleting, ...spec } = over;
  return {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: {
      name: "data",
      namespace: "team-a",
      uid: "1111-2222",
      resourceVersion: "42",
      annotations: annotations ?? { "volume.kubernetes.io/storage-provisioner": DRIVER },
      ...(deleting ? { deletionTimestamp: "2026-01-01T00:00:00Z" } : {}),
    },
    spec: { accessModes: ["ReadWriteMany"], resources: { requests: { storage: "5Gi" } }, storageClassName: "efs-sc", ...spec },
  };
}

function sc(over: Partial<StorageClass> = {}): StorageClass {
  return {
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    metadata: { name: "efs-sc" },
    provisioner: DRIVER,
    parameters: { provisioningMode: "efs-ap", fileSystemId: "fs-12345678", "csi.storage.k8s.io/provisioner-secret-name": "s", "csi.storage.k8s.io/fstype": "efs" },
    reclaimPolicy: "Delete",
    volumeBindingMode: "Immediate",
    ...over,
  };
}

function pv(over: { policy?: string; phase?: string; finalizers?: string[]; provisionedBy?: string; deleting?: boolean } = {}): PersistentVolume {
  return {
    apiVersion: "v1",
    kind: "PersistentVolume",
    metadata: {
      name: "pvc-1111-2222",
      uid: "pv-uid",
      annotations: { "pv.kubernetes.io/provisioned-by": over.provisionedBy ?? DRIVER },
      finalizers: over.finalizers ?? ["external-provisioner.volume.kubernetes.io/finalizer"],
      ...(over.deleting ? { deletionTimestamp: "2026-01-01T00:00:00Z" } : {}),
    },
    spec: {
      persistentVolumeReclaimPolicy: over.policy ?? "Delete",
      claimRef: { namespace: "team-a", name: "data", uid: "1111-2222" },
      csi: { driver: DRIVER, volumeHandle: "efs:fs-12345678::fsap-12345678" },
    },
    status: { phase: over.phase ?? "Released" },
  };
}

describe("decideClaim", () => {
  it("provisions a claim handed to this driver with an existing class of ours", () => {
    expect(decideClaim(claim(), sc(), false, DRIVER)).toEqual({ action: "provision", className: "efs-sc" });
    expect(decideClaim(claim({ annotations: { "volume.beta.kubernetes.io/storage-provisioner": DRIVER } }), sc(), false, DRIVER).action).toBe("provision");
  });

  it("is done when the PV pvc-<uid> exists", () => {
    expect(decideClaim(claim(), sc(), true, DRIVER)).toEqual({ action: "done" });
  });

  it("ignores claims that are not (yet) ours", () => {
    const cases: [PersistentVolumeClaim, StorageClass | undefined, RegExp][] = [
      [claim({ volumeName: "pv-1" }), sc(), /names a volume/],
      [claim({ deleting: true }), sc(), /being deleted/],
      [claim({ annotations: {} }), sc(), /not handed/],
      [claim({ annotations: { "volume.kubernetes.io/storage-provisioner": "ebs.csi.aws.com" } }), sc(), /not handed/],
      [claim(), undefined, /not found/],
      [claim(), sc({ provisioner: "ebs.csi.aws.com" }), /belongs to ebs/],
      [claim(), sc({ volumeBindingMode: "WaitForFirstConsumer" }), /select a node/],
    ];
    for (const [c, cls, why] of cases) {
      const d = decideClaim(c, cls, false, DRIVER);
      expect(d.action).toBe("ignore");
      expect(d.action === "ignore" && d.reason).toMatch(why);
    }
  });

  it("provisions a WaitForFirstConsumer claim once the scheduler picked a node", () => {
    const c = claim({ annotations: { "volume.kubernetes.io/storage-provisioner": DRIVER, "volume.kubernetes.io/selected-node": "node-1" } });
    expect(decideClaim(c, sc({ volumeBindingMode: "WaitForFirstConsumer" }), false, DRIVER).action).toBe("provision");
  });

  it("names what the driver cannot do for a claim", () => {
    expect(claimProblem(claim())).toBeUndefined();
    expect(claimProblem(claim({ selector: { matchLabels: { a: "b" } } }))).toBe("claim Selector is not supported");
    expect(claimProblem(claim({ dataSource: { kind: "VolumeSnapshot", name: "snap" } }))).toMatch(/content source VolumeSnapshot "snap" is not supported/);
    expect(claimProblem(claim({ resources: {} }))).toMatch(/no storage request/);
  });
});

describe("createRequest", () => {
  it("names the volume pvc-<uid>, drops reserved parameters, adds the claim's metadata", () => {
    const req = createRequest(claim(), sc({ mountOptions: ["tls", "iam"] }));
    expect(req).toEqual({
      name: "pvc-1111-2222",
      capacityRange: { requiredBytes: 5 * 2 ** 30 },
      volumeCapabilities: [{ mount: { fsType: "efs", mountFlags: ["tls", "iam"] }, accessMode: { mode: "MULTI_NODE_MULTI_WRITER" } }],
      parameters: {
        provisioningMode: "efs-ap",
        fileSystemId: "fs-12345678",
        "csi.storage.k8s.io/pv/name": "pvc-1111-2222",
        "csi.storage.k8s.io/pvc/name": "data",
        "csi.storage.k8s.io/pvc/namespace": "team-a",
      },
    });
  });

  it("maps every access mode and block volume mode to CSI capabilities", () => {
    const caps = capabilitiesFor(claim({ accessModes: ["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"] }), sc());
    expect(caps.map((c) => c.accessMode.mode)).toEqual(["SINGLE_NODE_WRITER", "MULTI_NODE_READER_ONLY", "MULTI_NODE_MULTI_WRITER", "SINGLE_NODE_SINGLE_WRITER"]);
    expect(capabilitiesFor(claim({ volumeMode: "Block" }), sc())[0].block).toEqual({});
  });
});

describe("provisionedVolume", () => {
  const volume = { volumeId: "efs:fs-12345678::fsap-0123456789abcdef0", capacityBytes: 5 * 2 ** 30, volumeContext: {} };

  it("is pre-bound to the claim, carries provisioned-by, the class's policy and options, and our finalizer for Delete", () => {
    const v = provisionedVolume(claim(), sc({ mountOptions: ["tls"] }), volume, DRIVER, "123-4-efs.csi.aws.com");
    expect(v.metadata).toEqual({ name: "pvc-1111-2222", annotations: { "pv.kubernetes.io/provisioned-by": DRIVER }, finalizers: ["external-provisioner.volume.kubernetes.io/finalizer"] });
    expect(v.spec).toEqual({
      capacity: { storage: "5Gi" },
      accessModes: ["ReadWriteMany"],
      persistentVolumeReclaimPolicy: "Delete",
      storageClassName: "efs-sc",
      volumeMode: "Filesystem",
      mountOptions: ["tls"],
      claimRef: { kind: "PersistentVolumeClaim", apiVersion: "v1", namespace: "team-a", name: "data", uid: "1111-2222", resourceVersion: "42" },
      csi: { driver: DRIVER, volumeHandle: volume.volumeId, volumeAttributes: { "storage.kubernetes.io/csiProvisionerIdentity": "123-4-efs.csi.aws.com" } },
    });
  });

  it("has no finalizer under Retain and defaults the policy to Delete", () => {
    expect(provisionedVolume(claim(), sc({ reclaimPolicy: "Retain" }), volume, DRIVER, "i").metadata.finalizers).toBeUndefined();
    expect(provisionedVolume(claim(), sc({ reclaimPolicy: undefined }), volume, DRIVER, "i").spec.persistentVolumeReclaimPolicy).toBe("Delete");
  });
});

describe("decideVolume", () => {
  it("deletes a Released Delete-policy volume we provisioned whose claim is gone", () => {
    expect(decideVolume(pv(), DRIVER, null)).toEqual({ action: "delete" });
    expect(decideVolume(pv({ deleting: true }), DRIVER, null)).toEqual({ action: "delete" });
  });

  it("never deletes under Retain, only drops our finalizer", () => {
    expect(decideVolume(pv({ policy: "Retain" }), DRIVER, null)).toEqual({ action: "drop-finalizer" });
    expect(decideVolume(pv({ policy: "Retain", finalizers: [] }), DRIVER, null).action).toBe("ignore");
  });

  it("leaves volumes that are bound, not ours, or whose claim is in fact still bound to them", () => {
    expect(decideVolume(pv({ phase: "Bound" }), DRIVER, null).action).toBe("ignore");
    expect(decideVolume(pv({ provisionedBy: "other.csi" }), DRIVER, null).action).toBe("ignore");
    expect(decideVolume(pv({ deleting: true, finalizers: [] }), DRIVER, null).action).toBe("ignore");
    const live = claim({ volumeName: "pvc-1111-2222" });
    expect(decideVolume(pv(), DRIVER, live)).toMatchObject({ action: "ignore", reason: /still exists and is bound/ });
    // A new claim with the same name (another uid) does not keep the old volume alive.
    const recreated = { ...live, metadata: { ...live.metadata, uid: "other-uid" } };
    expect(decideVolume(pv(), DRIVER, recreated)).toEqual({ action: "delete" });
  });

  it("renders driver failures as a Go CSI client prints them", () => {
    expect(rpcErrorText({ code: "InvalidArgument", message: "Missing provisioningMode parameter" })).toBe("rpc error: code = InvalidArgument desc = Missing provisioningMode parameter");
    expect(rpcErrorText(new Error("plain"))).toBe("plain");
  });
});
