/** rbac.authorization.k8s.io/v1 Role: namespaced permissions (no non-resource URLs). */
import type { KubeObject } from "../types.js";
import type { PolicyRule } from "./rbac-types.js";
import { registerKind, STANDARD_VERBS, type KindDefinition } from "./kind.js";
import { nameIsPathSegment } from "../validation/names.js";
import { validateRules } from "../validation/rbac.js";
import { roleColumns, roleRow } from "./rbac-shared.js";

export interface Role extends KubeObject {
  rules?: PolicyRule[];
}

export const roles: KindDefinition<Role> = {
  group: "rbac.authorization.k8s.io",
  version: "v1",
  kind: "Role",
  listKind: "RoleList",
  plural: "roles",
  singular: "role",
  shortNames: [],
  namespaced: true,
  categories: [],
  subresources: [],
  verbs: STANDARD_VERBS,
  schemaName: "io.k8s.api.rbac.v1.Role",
  validateName: nameIsPathSegment,
  applyDefaults: () => undefined,
  validateCreate: (r) => validateRules(r.rules, true),
  validateUpdate: (r) => validateRules(r.rules, true),
  tableColumns: roleColumns(),
  tableRow: (r) => roleRow(r.metadata),
  fieldSelectors: {},
};

export const roleKind = registerKind(roles);
