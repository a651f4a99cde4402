/** rbac.authorization.k8s.io/v1 RoleBinding: grants a Role or ClusterRole within a namespace. */
import type { KubeObject } from "../types.js";
import type { RoleRef, Subject } from "./rbac-types.js";
import { registerKind, STANDARD_VERBS, type KindDefinition } from "./kind.js";
import { nameIsPathSegment } from "../validation/names.js";
import { validateBinding, validateRoleRefUnchanged } from "../validation/rbac.js";
import { bindingColumns, bindingRow, defaultRoleRef, defaultSubjects } from "./rbac-shared.js";

export interface RoleBinding extends KubeObject {
  subjects?: Subject[];
  roleRef: RoleRef;
}

export const roleBindings: KindDefinition<RoleBinding> = {
  group: "rbac.authorization.k8s.io",
  version: "v1",
  kind: "RoleBinding",
  listKind: "RoleBindingList",
  plural: "rolebindings",
  singular: "rolebinding",
  shortNames: [],
  namespaced: true,
  categories: [],
  subresources: [],
  verbs: STANDARD_VERBS,
  schemaName: "io.k8s.api.rbac.v1.RoleBinding",
  validateName: nameIsPathSegment,
  applyDefaults(b) {
    defaultRoleRef(b.roleRef);
    defaultSubjects(b.subjects);
  },
  validateCreate: (b) => validateBinding(b.roleRef, b.subjects, true),
  validateUpdate: (b, old) => [...validateBinding(b.roleRef, b.subjects, true), ...validateRoleRefUnchanged(b.roleRef, old.roleRef)],
  tableColumns: bindingColumns("roleBinding"),
  tableRow: (b, now) => bindingRow(b.metadata, b.roleRef, b.subjects, now),
  fieldSelectors: {},
};

export const roleBindingKind = registerKind(roleBindings);
