/**
 * rbac.authorization.k8s.io/v1 kinds. Field numbers from kubernetes/api rbac/v1/generated.proto.
 * RoleRef's and Subject's identifying strings have no `omitempty`, so they read "" when unset.
 */
import { field, message, repeated } from "../descriptor.js";
import { LabelSelector, ObjectMeta } from "./meta-v1.js";

export const PolicyRule = message("PolicyRule", {
  1: repeated("verbs", "string"),
  2: repeated("apiGroups", "string"),
  3: repeated("resources", "string"),
  4: repeated("resourceNames", "string"),
  5: repeated("nonResourceURLs", "string"),
});

export const AggregationRule = message("AggregationRule", {
  1: repeated("clusterRoleSelectors", LabelSelector),
});

export const Subject = message("Subject", {
  1: field("kind", "string", { required: true }),
  2: field("apiGroup", "string"),
  3: field("name", "string", { required: true }),
  4: field("namespace", "string"),
});

export const RoleRef = message("RoleRef", {
  1: field("apiGroup", "string", { required: true }),
  2: field("kind", "string", { required: true }),
  3: field("name", "string", { required: true }),
});

export const Role = message("Role", {
  1: field("metadata", ObjectMeta),
  2: repeated("rules", PolicyRule),
});

export const ClusterRole = message("ClusterRole", {
  1: field("metadata", ObjectMeta),
  2: repeated("rules", PolicyRule),
  3: field("aggregationRule", AggregationRule),
});

export const RoleBinding = message("RoleBinding", {
  1: field("metadata", ObjectMeta),
  2: repeated("subjects", Subject),
  3: field("roleRef", RoleRef),
});

export const ClusterRoleBinding = message("ClusterRoleBinding", {
  1: field("metadata", ObjectMeta),
  2: repeated("subjects", Subject),
  3: field("roleRef", RoleRef),
});
