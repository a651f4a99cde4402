/** rbac.authorization.k8s.io/v1 ClusterRole: cluster-wide permissions, optionally aggregated. */
import type { KubeObject } from "../types.js";
import type { AggregationRule, PolicyRule } from "./rbac-types.js";
import { registerKind, STANDARD_VERBS, type KindDefinition } from "./kind.js";
import { nameIsPathSegment } from "../validation/names.js";
import { validateAggregationRule, validateRules } from "../validation/rbac.js";
import { roleColumns, roleRow } from "./rbac-shared.js";

export interface ClusterRole extends KubeObject {
  rules?: PolicyRule[];
  aggregationRule?: AggregationRule;
}

export const clusterRoles: KindDefinition<ClusterRole> = {
  group: "rbac.authorization.k8s.io",
  version: "v1",
  kind: "ClusterRole",
  listKind: "ClusterRoleList",
  plural: "clusterroles",
  singular: "clusterrole",
  shortNames: [],
  namespaced: false,
  categories: [],
  subresources: [],
  verbs: STANDARD_VERBS,
  schemaName: "io.k8s.api.rbac.v1.ClusterRole",
  validateName: nameIsPathSegment,
  applyDefaults: () => undefined,
  validateCreate: (r) => [...validateRules(r.rules, false), ...validateAggregationRule(r.aggregationRule)],
  validateUpdate: (r) => [...validateRules(r.rules, false), ...validateAggregationRule(r.aggregationRule)],
  tableColumns: roleColumns(),
  tableRow: (r) => roleRow(r.metadata),
  fieldSelectors: {},
};

export const clusterRoleKind = registerKind(clusterRoles);
