/**
 * Bad input gets upstream's 422/400 answers through real kubectl, and nothing is stored.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCistern, type CisternProcess } from "./support/cistern-process.js";

let c: CisternProcess;
beforeAll(async () => {
  c = await startCistern();
});
afterAll(async () => {
  await c?.stop();
  c?.cleanup();
});

const pv = (spec: string, name = "bad-pv") => `apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: ${name}\nspec:\n${spec}`;
const pvc = (spec: string, name = "bad-pvc") => `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: ${name}\nspec:\n${spec}`;
const sc = (body: string, name = "bad-sc") => `apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: ${name}\n${body}`;
const pod = (spec: string, name = "bad-pod") => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n${spec}`;

const csi = "  csi:\n    driver: efs.csi.aws.com\n    volumeHandle: fs-12345678\n";
const okPvSpec = "  capacity:\n    storage: 1Gi\n  accessModes: [ReadWriteMany]\n";
const okClaim = "  accessModes: [ReadWriteMany]\n  resources:\n    requests:\n      storage: 1Gi\n";
const okContainer = "  containers:\n  - name: app\n    image: busybox\n";

/** [description, manifest, kind/name to check is absent, text the error must contain] */
const cases: [string, string, string, string][] = [
  ["PV without accessModes", pv("  capacity:\n    storage: 1Gi\n" + csi), "pv/bad-pv", "spec.accessModes: Required value"],
  ["PV without capacity", pv("  accessModes: [ReadWriteMany]\n" + csi), "pv/bad-pv", "spec.capacity: Required value"],
  ["PV with zero capacity", pv("  capacity:\n    storage: 0\n  accessModes: [ReadWriteMany]\n" + csi), "pv/bad-pv", "must be greater than zero"],
  ["PV with an unknown access mode", pv("  capacity:\n    storage: 1Gi\n  accessModes: [ReadWriteSometimes]\n" + csi), "pv/bad-pv", 'Unsupported value: "ReadWriteSometimes"'],
  ["PV mixing ReadWriteOncePod", pv("  capacity:\n    storage: 1Gi\n  accessModes: [ReadWriteOncePod, ReadWriteMany]\n" + csi), "pv/bad-pv", "may not use ReadWriteOncePod with other access modes"],
  ["PV with no volume source", pv(okPvSpec), "pv/bad-pv", "must specify a volume type"],
  ["PV with two volume sources", pv(okPvSpec + csi + "  hostPath:\n    path: /tmp\n"), "pv/bad-pv", "may not specify more than 1 volume type"],
  ["PV with a bad reclaim policy", pv(okPvSpec + csi + "  persistentVolumeReclaimPolicy: Shred\n"), "pv/bad-pv", 'Unsupported value: "Shred"'],
  ["PV with a CSI source without handle", pv(okPvSpec + "  csi:\n    driver: efs.csi.aws.com\n"), "pv/bad-pv", "spec.csi.volumeHandle: Required value"],
  ["PV capacity other than storage", pv("  capacity:\n    storage: 1Gi\n    cpu: 1\n  accessModes: [ReadWriteMany]\n" + csi), "pv/bad-pv", "spec.capacity"],
  ["PV with an invalid name", pv(okPvSpec + csi, "Bad_Name"), "pv/Bad_Name", "metadata.name: Invalid value"],
  ["PV with a bad volumeMode", pv(okPvSpec + csi + "  volumeMode: Sideways\n"), "pv/bad-pv", 'Unsupported value: "Sideways"'],
  ["local PV without node affinity", pv(okPvSpec + "  local:\n    path: /mnt/disk\n"), "pv/bad-pv", "Local volume requires node affinity"],
  ["PVC without accessModes", pvc("  resources:\n    requests:\n      storage: 1Gi\n"), "pvc/bad-pvc", "at least 1 access mode is required"],
  ["PVC without a storage request", pvc("  accessModes: [ReadWriteMany]\n"), "pvc/bad-pvc", "spec.resources[storage]: Required value"],
  ["PVC with a negative request", pvc("  accessModes: [ReadWriteMany]\n  resources:\n    requests:\n      storage: -1Gi\n"), "pvc/bad-pvc", 'spec.resources[storage]: Invalid value: "-1Gi"'],
  ["PVC with an unparsable quantity", pvc("  accessModes: [ReadWriteMany]\n  resources:\n    requests:\n      storage: lots\n"), "pvc/bad-pvc", "quantities must match the regular expression"],
  ["PVC mixing ReadWriteOncePod", pvc("  accessModes: [ReadWriteOncePod, ReadWriteOnce]\n  resources:\n    requests:\n      storage: 1Gi\n"), "pvc/bad-pvc", "may not use ReadWriteOncePod with other access modes"],
  ["PVC with an invalid class name", pvc(okClaim + "  storageClassName: Not_A_Class\n"), "pvc/bad-pvc", "spec.storageClassName: Invalid value"],
  ["PVC with a bad selector operator", pvc(okClaim + "  selector:\n    matchExpressions:\n    - key: a\n      operator: Near\n      values: [b]\n"), "pvc/bad-pvc", "spec.selector.matchExpressions[0].operator"],
  ["StorageClass without provisioner", sc("reclaimPolicy: Delete\n"), "sc/bad-sc", "provisioner: Required value"],
  ["StorageClass with Recycle", sc("provisioner: efs.csi.aws.com\nreclaimPolicy: Recycle\n"), "sc/bad-sc", 'Unsupported value: "Recycle"'],
  ["StorageClass with a bad binding mode", sc("provisioner: efs.csi.aws.com\nvolumeBindingMode: Eventually\n"), "sc/bad-sc", 'Unsupported value: "Eventually"'],
  ["Pod without containers", pod("  restartPolicy: Never\n"), "pod/bad-pod", "spec.containers: Required value"],
  ["Pod with a container without image", pod("  containers:\n  - name: app\n"), "pod/bad-pod", "spec.containers[0].image: Required value"],
  ["Pod mounting an undeclared volume", pod("  containers:\n  - name: app\n    image: busybox\n    volumeMounts:\n    - name: nope\n      mountPath: /data\n"), "pod/bad-pod", "spec.containers[0].volumeMounts[0].name: Not found"],
  ["Pod with a subPath escaping upwards", pod("  containers:\n  - name: app\n    image: busybox\n    volumeMounts:\n    - name: v\n      mountPath: /data\n      subPath: ../../etc\n  volumes:\n  - name: v\n    emptyDir: {}\n"), "pod/bad-pod", "must not contain '..'"],
  ["Pod with two volumes of one name", pod(okContainer + "  volumes:\n  - name: v\n    emptyDir: {}\n  - name: v\n    emptyDir: {}\n"), "pod/bad-pod", 'spec.volumes[1].name: Duplicate value: "v"'],
  ["Pod volume with two sources", pod(okContainer + "  volumes:\n  - name: v\n    emptyDir: {}\n    persistentVolumeClaim:\n      claimName: c\n"), "pod/bad-pod", "may not specify more than 1 volume type"],
  ["Pod with a bad restartPolicy", pod(okContainer + "  restartPolicy: Sometimes\n"), "pod/bad-pod", 'Unsupported value: "Sometimes"'],
];

describe("invalid objects are refused with upstream's messages and nothing is stored", () => {
  it.each(cases)("%s", async (_desc, manifest, ref, message) => {
    const r = await c.kubectl(["apply", "-f", "-"], { input: manifest });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(message);
    const get = await c.kubectl(["get", ref]);
    expect(get.code).toBe(1);
    expect(get.stderr).toContain("NotFound");
  });

  it("refuses unknown fields with fieldValidation=Strict (kubectl's default)", async () => {
    const r = await c.kubectl(["create", "--validate=false", "-f", "-"], { input: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lenient\nbogus: 1\n" });
    expect(r.code).toBe(0); // --validate=false: unknown fields ignored
    const strict = await c.kubectl(["create", "-f", "-"], { input: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: strict\nbogus: 1\n" });
    expect(strict.code).not.toBe(0);
    expect(strict.stderr).toContain('unknown field "bogus"');
  });

  it("refuses immutable changes to a claim", async () => {
    expect((await c.kubectl(["apply", "-f", "-"], { input: pvc(okClaim, "imm") })).code).toBe(0);
    const r = await c.kubectl(["apply", "-f", "-"], { input: pvc("  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 1Gi\n", "imm") });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("spec is immutable after creation except resources.requests");
  });
});
