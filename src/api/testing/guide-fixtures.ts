/**
 * The example manifests of the PV/PVC/EFS guide (shared/seed/kubernetes-pv-pvc-efs-guide.md),
 * verbatim, as valid fixtures for tests. Each call returns fresh objects.
 */
import { parse } from "yaml";
import type { KubeObject } from "../types.js";

const STORAGE_CLASS = `
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: efs-sc
provisioner: efs.csi.aws.com
`;

const PERSISTENT_VOLUME = `
apiVersion: v1
kind: PersistentVolume
metadata:
  name: efs-pv
spec:
  capacity:
    storage: 100Gi
  accessModes:
    - ReadWriteMany
  persistentVolumeReclaimPolicy: Retain
  storageClassName: efs-sc
  csi:
    driver: efs.csi.aws.com
    volumeHandle: fs-12345678  # Your EFS ID
`;

const PERSISTENT_VOLUME_CLAIM = `
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: efs-pvc
spec:
  accessModes:
    - ReadWriteMany
  storageClassName: efs-sc
  resources:
    requests:
      storage: 5Gi
`;

const POD = `
apiVersion: v1
kind: Pod
metadata:
  name: app-pod
spec:
  containers:
  - name: app
    image: busybox
    command: ["sh", "-c", "echo Hello from EFS > /data/msg.txt && sleep 3600"]
    volumeMounts:
    - mountPath: /data
      name: efs-vol
  volumes:
  - name: efs-vol
    persistentVolumeClaim:
      claimName: efs-pvc
`;

function load<T>(text: string, namespace?: string): T {
  const obj = parse(text) as KubeObject;
  if (namespace) obj.metadata.namespace = namespace;
  return obj as unknown as T;
}

export const guideStorageClass = <T = KubeObject>() => load<T>(STORAGE_CLASS);
export const guidePersistentVolume = <T = KubeObject>() => load<T>(PERSISTENT_VOLUME);
export const guidePersistentVolumeClaim = <T = KubeObject>() => load<T>(PERSISTENT_VOLUME_CLAIM, "default");
export const guidePod = <T = KubeObject>() => load<T>(POD, "default");
