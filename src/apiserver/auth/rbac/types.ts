/** RBAC as upstream's rbac.authorization.k8s.io/v1: rules, roles, bindings, request attributes. */
export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export interface Subject {
  kind: "User" | "Group" | "ServiceAccount";
  name: string;
  namespace?: string;
  apiGroup?: string;
}

export interface RoleRef {
  apiGroup: string;
  kind: "Role" | "ClusterRole";
  name: string;
}

/** What a request asks to do, as upstream's authorizer.Attributes. */
export interface Attributes {
  user: { name: string; groups: string[] };
  verb: string;
  resourceRequest: boolean;
  /** For non-resource requests. */
  path: string;
  apiGroup: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
}
