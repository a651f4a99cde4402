/** rbac.authorization.k8s.io/v1 and coordination.k8s.io/v1 schemas. */
import type { SchemaRegistry } from "../types.js";
import { arrOf, atomic, atomicStruct, int32, kindSchema, listSchema, obj, ref, str, strings } from "./dsl.js";
import { META } from "./schemas-meta.js";

export const RBAC = "io.k8s.api.rbac.v1.";
export const COORDINATION = "io.k8s.api.coordination.v1.";
const G = "rbac.authorization.k8s.io";

const roleRef = (what: string) => ref(RBAC + "RoleRef", `The ${what} granted; cannot change.`, { default: {} });
const subjects = arrOf(RBAC + "Subject", "Users, groups and service accounts the role is granted to.", atomic);

export const rbacSchemas: SchemaRegistry = {
  [RBAC + "PolicyRule"]: obj(
    "Actions allowed on resources or non-resource URLs.",
    {
      apiGroups: strings('API groups of the resources ("" is core, "*" all).', atomic),
      nonResourceURLs: strings("URL paths such as /healthz (cluster roles only).", atomic),
      resourceNames: strings("Names of allowed objects; empty means all.", atomic),
      resources: strings('Resources, e.g. pods or pods/log ("*" all).', atomic),
      verbs: strings("Allowed verbs, e.g. get, list, watch ('*' all).", atomic),
    },
    ["verbs"],
  ),
  [RBAC + "RoleRef"]: obj(
    "A reference to a Role or ClusterRole.",
    { apiGroup: str("Always rbac.authorization.k8s.io.", { default: "" }), kind: str("Role or ClusterRole.", { default: "" }), name: str("Name of the role.", { default: "" }) },
    ["apiGroup", "kind", "name"],
    atomicStruct,
  ),
  [RBAC + "Subject"]: obj(
    "Someone a role is granted to.",
    {
      apiGroup: str('"" for ServiceAccount, rbac.authorization.k8s.io for User and Group.'),
      kind: str("User, Group or ServiceAccount.", { default: "" }),
      name: str("Name of the subject.", { default: "" }),
      namespace: str("Namespace of a ServiceAccount."),
    },
    ["kind", "name"],
    atomicStruct,
  ),
  [RBAC + "AggregationRule"]: obj("Builds a ClusterRole from other ClusterRoles selected by label.", {
    clusterRoleSelectors: arrOf(META + "LabelSelector", "Selectors of the aggregated roles.", atomic),
  }),
  [RBAC + "Role"]: kindSchema("Namespaced permissions.", G, "v1", "Role", { rules: arrOf(RBAC + "PolicyRule", "The permissions.", atomic) }),
  [RBAC + "RoleList"]: listSchema("A list of Roles.", G, "v1", "Role", RBAC + "Role"),
  [RBAC + "ClusterRole"]: kindSchema("Cluster-wide permissions.", G, "v1", "ClusterRole", {
    aggregationRule: ref(RBAC + "AggregationRule", "Compose this role from others."),
    rules: arrOf(RBAC + "PolicyRule", "The permissions.", atomic),
  }),
  [RBAC + "ClusterRoleList"]: listSchema("A list of ClusterRoles.", G, "v1", "ClusterRole", RBAC + "ClusterRole"),
  [RBAC + "RoleBinding"]: kindSchema("Grants a role within a namespace.", G, "v1", "RoleBinding", { roleRef: roleRef("Role or ClusterRole"), subjects }, ["roleRef"]),
  [RBAC + "RoleBindingList"]: listSchema("A list of RoleBindings.", G, "v1", "RoleBinding", RBAC + "RoleBinding"),
  [RBAC + "ClusterRoleBinding"]: kindSchema("Grants a ClusterRole cluster-wide.", G, "v1", "ClusterRoleBinding", { roleRef: roleRef("ClusterRole"), subjects }, ["roleRef"]),
  [RBAC + "ClusterRoleBindingList"]: listSchema("A list of ClusterRoleBindings.", G, "v1", "ClusterRoleBinding", RBAC + "ClusterRoleBinding"),

  [COORDINATION + "Lease"]: kindSchema("A lease, for leader election and heartbeats.", "coordination.k8s.io", "v1", "Lease", {
    spec: ref(COORDINATION + "LeaseSpec", "The current holder and timing.", { default: {} }),
  }),
  [COORDINATION + "LeaseList"]: listSchema("A list of Leases.", "coordination.k8s.io", "v1", "Lease", COORDINATION + "Lease"),
  [COORDINATION + "LeaseSpec"]: obj("Holder and timing of a lease.", {
    acquireTime: ref(META + "MicroTime", "When the current holder acquired the lease."),
    holderIdentity: str("Identity of the current holder."),
    leaseDurationSeconds: int32("Seconds candidates wait after renewTime before taking over."),
    leaseTransitions: int32("How many times the holder changed."),
    preferredHolder: str("Holder that should take over (coordinated election)."),
    renewTime: ref(META + "MicroTime", "When the holder last renewed."),
    strategy: str("Election strategy (coordinated election)."),
  }),
};
