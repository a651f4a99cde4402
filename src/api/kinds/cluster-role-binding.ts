/** rbac.authorization.k8s.io/v1 ClusterRoleBinding: grants a ClusterRole cluster-wide. */
import type { KubeObject } from "../types.js";
import type { RoleRef, Subject } from "./rbac-types.js";
import { registerKind, STANDARD_VERBS, type KindDefinition } from "./kind.js";
import { nameIsPathSegment } from "../validation/names.js";
import { validateBinding, validateRoleRefUnchanged } from "../validation/rbac.js";
import { bindingColumns, bindingRow, defaultRoleRef, defaultSubjects } from "./rbac-shared.js";

export interface ClusterRoleBinding extends KubeObject {
  subjects?: Subject[];
  roleRef: RoleRef;
}

export const clusterRoleBindings: KindDefinition<ClusterRoleBinding> = {
  group: "rbac.authorization.k8s.io",
  version: "v1",
  kind: "ClusterRoleBinding",
  listKind: "ClusterRoleBindingList",
  plural: "clusterrolebindings",
  singular: "clusterrolebinding",
  shortNames: [],
  namespaced: false,
  categories: [],
  subresources: [],
  verbs: STANDARD_VERBS,
  schemaName: "io.k8s.api.rbac.v1.ClusterRoleBinding",
  validateName: nameIsPathSegment,
  applyDefaults(b) {
    defaultRoleRef(b.roleRef);
    defaultSubjects(b.subjects);
  },
  validateCreate: (b) => validateBinding(b.roleRef, b.subjects, false),
  validateUpdate: (b, old) => [...validateBinding(b.roleRef, b.subjects, false), ...validateRoleRefUnchanged(b.roleRef, old.roleRef)],
  tableColumns: bindingColumns("clusterRoleBinding"),
  tableRow: (b, now) => bindingRow(b.metadata, b.roleRef, b.subjects, now),
  fieldSelectors: {},
};

export const clusterRoleBindingKind = registerKind(clusterRoleBindings);
