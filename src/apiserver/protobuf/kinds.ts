/**
 * The kinds we can decode from protobuf, keyed by the envelope's apiVersion and kind: exactly
 * the ones real kubectl sends as protobuf (its typed-client `create` subcommands and `auth can-i`).
 */
import type { MessageDescriptor } from "./descriptor.js";
import { TokenRequest } from "./schemas/authentication-v1.js";
import { LocalSubjectAccessReview, SelfSubjectAccessReview, SelfSubjectRulesReview, SubjectAccessReview } from "./schemas/authorization-v1.js";
import { ConfigMap, Namespace, Secret, ServiceAccount } from "./schemas/core-v1.js";
import { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from "./schemas/rbac-v1.js";

const RBAC = "rbac.authorization.k8s.io/v1";
const AUTHZ = "authorization.k8s.io/v1";

const byGroupVersionKind = new Map<string, MessageDescriptor>([
  ["v1 ConfigMap", ConfigMap],
  ["v1 Secret", Secret],
  ["v1 Namespace", Namespace],
  ["v1 ServiceAccount", ServiceAccount],
  [`${RBAC} Role`, Role],
  [`${RBAC} ClusterRole`, ClusterRole],
  [`${RBAC} RoleBinding`, RoleBinding],
  [`${RBAC} ClusterRoleBinding`, ClusterRoleBinding],
  ["authentication.k8s.io/v1 TokenRequest", TokenRequest],
  [`${AUTHZ} SelfSubjectAccessReview`, SelfSubjectAccessReview],
  [`${AUTHZ} SelfSubjectRulesReview`, SelfSubjectRulesReview],
  [`${AUTHZ} SubjectAccessReview`, SubjectAccessReview],
  [`${AUTHZ} LocalSubjectAccessReview`, LocalSubjectAccessReview],
]);

export function descriptorFor(apiVersion: string, kind: string): MessageDescriptor | undefined {
  return byGroupVersionKind.get(`${apiVersion} ${kind}`);
}

export function supportedKinds(): string[] {
  return [...byGroupVersionKind.keys()].map((k) => k.replace(" ", ", Kind="));
}
