/** The kubectl commands `cistern explain` suggests, one helper per usual cause. */
import type { AccessMode, PersistentVolumeClaim } from "../model/types.js";

const q = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;

export const Fix = {
  patchCapacity: (pv: string, size: string) => `kubectl patch pv ${pv} --type merge -p ${q(JSON.stringify({ spec: { capacity: { storage: size } } }))}`,
  patchAccessModes: (pv: string, modes: AccessMode[]) => `kubectl patch pv ${pv} --type merge -p ${q(JSON.stringify({ spec: { accessModes: modes } }))}`,
  patchClass: (pv: string, cls: string) => `kubectl patch pv ${pv} --type merge -p ${q(JSON.stringify({ spec: { storageClassName: cls } }))}`,
  label: (pv: string, labels: Record<string, string>) => `kubectl label pv ${pv} ${Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(" ")}`,
  releaseVolume: (pv: string) => `kubectl patch pv ${pv} --type json -p ${q(JSON.stringify([{ op: "remove", path: "/spec/claimRef" }]))}`,
  recreateClaim: (ns: string, name: string) => [`kubectl get pvc ${name} -n ${ns} -o yaml > ${name}.yaml`, `kubectl replace --force -f ${name}.yaml`],
  describe: (kind: string, ns: string | undefined, name: string) => `kubectl describe ${kind} ${name}${ns ? ` -n ${ns}` : ""}`,
  events: (ns: string, name: string) => `kubectl get events -n ${ns} --field-selector involvedObject.name=${name}`,
  runConsumer: (ns: string, claim: string) =>
    `kubectl run ${claim}-consumer -n ${ns} --image=busybox --restart=Never --overrides=${q(
      JSON.stringify({
        spec: {
          volumes: [{ name: "data", persistentVolumeClaim: { claimName: claim } }],
          containers: [{ name: "c", image: "busybox", command: ["sleep", "3600"], volumeMounts: [{ name: "data", mountPath: "/data" }] }],
        },
      }),
    )}`,
  createVolumeFor: (claim: PersistentVolumeClaim, pvName: string, cls: string) =>
    `kubectl apply -f - <<'EOF'\n${JSON.stringify(
      {
        apiVersion: "v1",
        kind: "PersistentVolume",
        metadata: { name: pvName },
        spec: {
          capacity: { storage: claim.spec.resources?.requests?.storage ?? "1Gi" },
          accessModes: claim.spec.accessModes ?? ["ReadWriteOnce"],
          volumeMode: claim.spec.volumeMode ?? "Filesystem",
          storageClassName: cls,
          persistentVolumeReclaimPolicy: "Retain",
          csi: { driver: "efs.csi.aws.com", volumeHandle: "fs-XXXXXXXX" },
        },
      },
      null,
      2,
    )}\nEOF`,
  createClass: (cls: string) =>
    `kubectl apply -f - <<'EOF'\n${JSON.stringify({ apiVersion: "storage.k8s.io/v1", kind: "StorageClass", metadata: { name: cls }, provisioner: "efs.csi.aws.com", parameters: { provisioningMode: "efs-ap", fileSystemId: "fs-XXXXXXXX" } }, null, 2)}\nEOF`,
};
