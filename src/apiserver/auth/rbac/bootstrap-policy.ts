/**
 * Upstream's default cluster roles and bindings, reduced to the kinds Cistern serves and with
 * the aggregated roles (admin, edit, view) expanded: view reads everything in a namespace but
 * secrets and never execs; edit may also write and exec; admin may also manage roles and
 * bindings in the namespace; cluster-admin may do anything.
 */
import type { PolicyRule } from "./types.js";

const READ = ["get", "list", "watch"];
const WRITE = ["create", "delete", "deletecollection", "patch", "update"];

const viewRules: PolicyRule[] = [
  { apiGroups: [""], resources: ["configmaps", "events", "persistentvolumeclaims", "persistentvolumeclaims/status", "pods", "pods/log", "pods/status", "serviceaccounts"], verbs: READ },
  { apiGroups: [""], resources: ["namespaces", "namespaces/status"], verbs: READ },
  { apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: READ },
];

const editRules: PolicyRule[] = [
  ...viewRules,
  { apiGroups: [""], resources: ["pods/attach", "pods/exec"], verbs: ["create", "get"] },
  { apiGroups: [""], resources: ["configmaps", "events", "persistentvolumeclaims", "pods", "secrets", "serviceaccounts"], verbs: WRITE },
  { apiGroups: [""], resources: ["secrets"], verbs: READ },
  { apiGroups: [""], resources: ["serviceaccounts/token"], verbs: ["create"] },
  { apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: WRITE },
];

const adminRules: PolicyRule[] = [
  ...editRules,
  { apiGroups: ["rbac.authorization.k8s.io"], resources: ["roles", "rolebindings"], verbs: [...READ, ...WRITE] },
];

export interface BootstrapClusterRole {
  name: string;
  rules: PolicyRule[];
}

export const BOOTSTRAP_CLUSTER_ROLES: BootstrapClusterRole[] = [
  { name: "cluster-admin", rules: [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }, { nonResourceURLs: ["*"], verbs: ["*"] }] },
  { name: "admin", rules: adminRules },
  { name: "edit", rules: editRules },
  { name: "view", rules: viewRules },
  { name: "system:discovery", rules: [{ nonResourceURLs: ["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/readyz", "/openapi", "/openapi/*", "/version", "/version/"], verbs: ["get"] }] },
  { name: "system:public-info-viewer", rules: [{ nonResourceURLs: ["/healthz", "/livez", "/readyz", "/version", "/version/"], verbs: ["get"] }] },
  { name: "system:basic-user", rules: [{ apiGroups: ["authorization.k8s.io"], resources: ["selfsubjectaccessreviews", "selfsubjectrulesreviews"], verbs: ["create"] }] },
];

export const BOOTSTRAP_CLUSTER_ROLE_BINDINGS = [
  { name: "cluster-admin", role: "cluster-admin", subjects: [{ kind: "Group" as const, name: "system:masters", apiGroup: "rbac.authorization.k8s.io" }] },
  { name: "system:discovery", role: "system:discovery", subjects: [{ kind: "Group" as const, name: "system:authenticated", apiGroup: "rbac.authorization.k8s.io" }] },
  { name: "system:basic-user", role: "system:basic-user", subjects: [{ kind: "Group" as const, name: "system:authenticated", apiGroup: "rbac.authorization.k8s.io" }] },
  {
    name: "system:public-info-viewer", role: "system:public-info-viewer",
    subjects: [
      { kind: "Group" as const, name: "system:authenticated", apiGroup: "rbac.authorization.k8s.io" },
      { kind: "Group" as const, name: "system:unauthenticated", apiGroup: "rbac.authorization.k8s.io" },
    ],
  },
];
