/** The API resources the node agent reads and writes (REST mappings, so no discovery round trip is needed). */
export const NODE = { group: "", version: "v1", kind: "Node", plural: "nodes", namespaced: false } as const;
export const POD = { group: "", version: "v1", kind: "Pod", plural: "pods", namespaced: true } as const;
export const LEASE = { group: "coordination.k8s.io", version: "v1", kind: "Lease", plural: "leases", namespaced: true } as const;
export const CSI_NODE = { group: "storage.k8s.io", version: "v1", kind: "CSINode", plural: "csinodes", namespaced: false } as const;
export const NODE_LEASE_NAMESPACE = "kube-node-lease";
