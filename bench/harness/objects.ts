/** The objects the scenarios create, as a user's manifests would spell them, and their REST paths. */

export const paths = {
  pvs: "/api/v1/persistentvolumes",
  pv: (name: string) => `/api/v1/persistentvolumes/${name}`,
  pvcs: (ns: string) => `/api/v1/namespaces/${ns}/persistentvolumeclaims`,
  pvc: (ns: string, name: string) => `/api/v1/namespaces/${ns}/persistentvolumeclaims/${name}`,
  pods: (ns: string) => `/api/v1/namespaces/${ns}/pods`,
  namespaces: "/api/v1/namespaces",
  storageClasses: "/apis/storage.k8s.io/v1/storageclasses",
  configMaps: (ns: string) => `/api/v1/namespaces/${ns}/configmaps`,
  configMap: (ns: string, name: string) => `/api/v1/namespaces/${ns}/configmaps/${name}`,
  nodes: "/api/v1/nodes",
};

/** A static EFS volume (the guide's shape): 5Gi, RWX, Retain, CSI handle on a file system. */
export function staticPv(name: string, o: { storageClassName: string; fileSystemId?: string }): object {
  return {
    apiVersion: "v1",
    kind: "PersistentVolume",
    metadata: { name },
    spec: {
      capacity: { storage: "5Gi" },
      volumeMode: "Filesystem",
      accessModes: ["ReadWriteMany"],
      persistentVolumeReclaimPolicy: "Retain",
      storageClassName: o.storageClassName,
      csi: { driver: "efs.csi.aws.com", volumeHandle: `${o.fileSystemId ?? "fs-12345678"}::${name}` },
    },
  };
}

/** A claim for 5Gi RWX of a class; `volumeName` pre-binds it to one volume. */
export function claim(ns: string, name: string, o: { storageClassName: string; volumeName?: string; labels?: Record<string, string> }): object {
  return {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: { name, namespace: ns, ...(o.labels ? { labels: o.labels } : {}) },
    spec: {
      accessModes: ["ReadWriteMany"],
      storageClassName: o.storageClassName,
      resources: { requests: { storage: "5Gi" } },
      ...(o.volumeName ? { volumeName: o.volumeName } : {}),
    },
  };
}

export function namespace(name: string): object {
  return { apiVersion: "v1", kind: "Namespace", metadata: { name } };
}

/** A class for static volumes: no provisioner acts on it, so claims only bind to existing PVs. */
export function staticClass(name: string): object {
  return { apiVersion: "storage.k8s.io/v1", kind: "StorageClass", metadata: { name }, provisioner: "kubernetes.io/no-provisioner", volumeBindingMode: "Immediate" };
}

/** The guide's dynamic class: one access point per claim on `fileSystemId`. */
export function efsApClass(name: string, fileSystemId: string): object {
  return {
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    metadata: { name },
    provisioner: "efs.csi.aws.com",
    volumeBindingMode: "Immediate",
    reclaimPolicy: "Delete",
    parameters: { provisioningMode: "efs-ap", fileSystemId, directoryPerms: "700", basePath: "/bench" },
  };
}

export function configMap(ns: string, name: string, data: Record<string, string>): object {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: ns }, data };
}

/** A busybox pod mounting `claimName` at /data and running `command`. */
export function podWithClaim(ns: string, name: string, claimName: string, command: string[]): object {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: ns },
    spec: {
      restartPolicy: "Never",
      terminationGracePeriodSeconds: 1,
      containers: [{ name: "app", image: "busybox", command, volumeMounts: [{ name: "data", mountPath: "/data" }] }],
      volumes: [{ name: "data", persistentVolumeClaim: { claimName } }],
    },
  };
}
