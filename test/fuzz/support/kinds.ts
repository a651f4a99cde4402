/**
 * One valid object per served kind, with the path of its collection: the starting points that
 * mutations turn hostile (a valid base reaches validation and admission, not just the decoder).
 */
export const FUZZ_NS = "fuzz";

export interface KindTemplate {
  kind: string;
  collection: string;
  /** The path of one object of the collection. */
  item(name: string): string;
  make(name: string): Record<string, unknown>;
}

function t(group: string, version: string, plural: string, namespaced: boolean, make: (name: string) => Record<string, unknown>): KindTemplate {
  const root = group === "" ? `/api/${version}` : `/apis/${group}/${version}`;
  const collection = namespaced ? `${root}/namespaces/${FUZZ_NS}/${plural}` : `${root}/${plural}`;
  const kind = String(make("x").kind);
  return { kind, collection, item: (name) => `${collection}/${encodeURIComponent(name)}`, make };
}

const meta = (name: string, namespaced = true) => (namespaced ? { name, namespace: FUZZ_NS, labels: { app: "fuzz" } } : { name, labels: { app: "fuzz" } });
const pvcSpec = { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } }, storageClassName: "" };

export const KINDS: KindTemplate[] = [
  t("", "v1", "configmaps", true, (n) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: meta(n), data: { k: "v" } })),
  t("", "v1", "secrets", true, (n) => ({ apiVersion: "v1", kind: "Secret", metadata: meta(n), type: "Opaque", data: { k: "dg==" }, stringData: { s: "v" } })),
  t("", "v1", "serviceaccounts", true, (n) => ({ apiVersion: "v1", kind: "ServiceAccount", metadata: meta(n) })),
  t("", "v1", "events", true, (n) => ({
    apiVersion: "v1", kind: "Event", metadata: meta(n), reason: "Fuzz", message: "m", type: "Normal",
    involvedObject: { kind: "Pod", namespace: FUZZ_NS, name: "p" }, source: { component: "fuzz" }, count: 1,
  })),
  t("", "v1", "persistentvolumeclaims", true, (n) => ({ apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: meta(n), spec: pvcSpec })),
  t("", "v1", "pods", true, (n) => ({
    apiVersion: "v1", kind: "Pod", metadata: meta(n),
    spec: {
      containers: [{ name: "c", image: "busybox", command: ["sh", "-c", "true"], volumeMounts: [{ name: "v", mountPath: "/data", subPath: "sub/dir" }] }],
      volumes: [{ name: "v", persistentVolumeClaim: { claimName: "claim" } }],
    },
  })),
  t("", "v1", "persistentvolumes", false, (n) => ({
    apiVersion: "v1", kind: "PersistentVolume", metadata: meta(n, false),
    spec: { capacity: { storage: "1Gi" }, accessModes: ["ReadWriteMany"], persistentVolumeReclaimPolicy: "Retain", mountOptions: ["tls"], csi: { driver: "efs.csi.aws.com", volumeHandle: "fs-12345678::fsap-0123456789abcdef0", volumeAttributes: { encryptInTransit: "true" } } },
  })),
  t("", "v1", "namespaces", false, (n) => ({ apiVersion: "v1", kind: "Namespace", metadata: meta(n, false) })),
  t("", "v1", "nodes", false, (n) => ({ apiVersion: "v1", kind: "Node", metadata: meta(n, false), spec: { taints: [{ key: "k", value: "v", effect: "NoSchedule" }] } })),
  t("storage.k8s.io", "v1", "storageclasses", false, (n) => ({
    apiVersion: "storage.k8s.io/v1", kind: "StorageClass", metadata: meta(n, false), provisioner: "efs.csi.aws.com", reclaimPolicy: "Delete",
    parameters: { provisioningMode: "efs-ap", fileSystemId: "fs-12345678", basePath: "/dynamic", subPathPattern: "${.PVC.namespace}/${.PVC.name}" }, mountOptions: ["tls"],
  })),
  t("storage.k8s.io", "v1", "csidrivers", false, (n) => ({ apiVersion: "storage.k8s.io/v1", kind: "CSIDriver", metadata: meta(n, false), spec: { attachRequired: false, volumeLifecycleModes: ["Persistent"] } })),
  t("storage.k8s.io", "v1", "csinodes", false, (n) => ({ apiVersion: "storage.k8s.io/v1", kind: "CSINode", metadata: meta(n, false), spec: { drivers: [{ name: "efs.csi.aws.com", nodeID: "node-1" }] } })),
  t("coordination.k8s.io", "v1", "leases", true, (n) => ({ apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: meta(n), spec: { holderIdentity: "h", leaseDurationSeconds: 15 } })),
  t("rbac.authorization.k8s.io", "v1", "roles", true, (n) => ({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: meta(n), rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["get"] }] })),
  t("rbac.authorization.k8s.io", "v1", "rolebindings", true, (n) => ({
    apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", metadata: meta(n),
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" }, subjects: [{ kind: "ServiceAccount", name: "default", namespace: FUZZ_NS }],
  })),
  t("rbac.authorization.k8s.io", "v1", "clusterroles", false, (n) => ({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: meta(n, false), rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["get"] }] })),
  t("rbac.authorization.k8s.io", "v1", "clusterrolebindings", false, (n) => ({
    apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRoleBinding", metadata: meta(n, false),
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" }, subjects: [{ kind: "User", name: "someone", apiGroup: "rbac.authorization.k8s.io" }],
  })),
];

/** Every served kind must have a template here (checked against discovery by the manifests target). */
export const KIND_NAMES = KINDS.map((k) => k.kind).sort();
