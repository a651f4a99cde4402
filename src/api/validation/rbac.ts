/**
 * RBAC validation (pkg/apis/rbac/validation): policy rules need verbs and either resources
 * with API groups or non-resource URLs (cluster roles only); bindings reference a Role or
 * ClusterRole in rbac.authorization.k8s.io and never change roleRef.
 */
import type { FieldError } from "../types.js";
import { GoValue, invalid, notSupported, required } from "../fields/errors.js";
import { goStringSlice } from "./common.js";
import { isDNS1123Subdomain, isValidPathSegmentName } from "./names.js";
import { validateLabelSelector } from "./selectors.js";
import type { PolicyRule, RoleRef, Subject } from "../kinds/rbac-types.js";

export const RBAC_GROUP = "rbac.authorization.k8s.io";

export function validatePolicyRule(rule: PolicyRule, namespaced: boolean, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if ((rule.verbs ?? []).length === 0) errs.push(required(`${field}.verbs`, "verbs must contain at least one value"));
  const urls = rule.nonResourceURLs ?? [];
  if (urls.length > 0) {
    if (namespaced) errs.push(invalid(`${field}.nonResourceURLs`, goStringSlice("string", urls), "namespaced rules cannot apply to non-resource URLs"));
    if ((rule.apiGroups ?? []).length > 0 || (rule.resources ?? []).length > 0 || (rule.resourceNames ?? []).length > 0) {
      errs.push(invalid(`${field}.nonResourceURLs`, goStringSlice("string", urls), "rules cannot apply to both regular resources and non-resource URLs"));
    }
    return errs;
  }
  if ((rule.apiGroups ?? []).length === 0) errs.push(required(`${field}.apiGroups`, "resource rules must supply at least one api group"));
  if ((rule.resources ?? []).length === 0) errs.push(required(`${field}.resources`, "resource rules must supply at least one resource"));
  return errs;
}

export function validateRules(rules: PolicyRule[] | undefined, namespaced: boolean): FieldError[] {
  return (rules ?? []).flatMap((r, i) => validatePolicyRule(r ?? {}, namespaced, `rules[${i}]`));
}

export function validateAggregationRule(rule: { clusterRoleSelectors?: unknown[] } | undefined): FieldError[] {
  if (!rule) return [];
  const selectors = rule.clusterRoleSelectors ?? [];
  if (selectors.length === 0) return [required("aggregationRule.clusterRoleSelectors", "at least one clusterRoleSelector required if aggregationRule is non-nil")];
  return selectors.flatMap((s, i) => validateLabelSelector(s as never, `aggregationRule.clusterRoleSelectors[${i}]`));
}

function validateSubject(s: Subject, namespaced: boolean, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!s.name) errs.push(required(`${field}.name`));
  switch (s.kind) {
    case "ServiceAccount":
      if (s.name) for (const m of isDNS1123Subdomain(s.name)) errs.push(invalid(`${field}.name`, s.name, m));
      if (s.apiGroup) errs.push(notSupported(`${field}.apiGroup`, s.apiGroup, [""]));
      if (!namespaced && !s.namespace) errs.push(required(`${field}.namespace`));
      break;
    case "User":
    case "Group":
      if (s.apiGroup !== RBAC_GROUP) errs.push(notSupported(`${field}.apiGroup`, s.apiGroup ?? "", [RBAC_GROUP]));
      break;
    default:
      errs.push(notSupported(`${field}.kind`, s.kind ?? "", ["ServiceAccount", "User", "Group"]));
  }
  return errs;
}

export function validateBinding(roleRef: RoleRef | undefined, subjects: Subject[] | undefined, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const ref = roleRef ?? ({} as RoleRef);
  if (ref.apiGroup !== RBAC_GROUP) errs.push(notSupported("roleRef.apiGroup", ref.apiGroup ?? "", [RBAC_GROUP]));
  const kinds = namespaced ? ["Role", "ClusterRole"] : ["ClusterRole"];
  if (!kinds.includes(ref.kind)) errs.push(notSupported("roleRef.kind", ref.kind ?? "", kinds));
  if (!ref.name) errs.push(required("roleRef.name"));
  else for (const m of isValidPathSegmentName(ref.name)) errs.push(invalid("roleRef.name", ref.name, m));
  (subjects ?? []).forEach((s, i) => errs.push(...validateSubject(s ?? ({} as Subject), namespaced, `subjects[${i}]`)));
  return errs;
}

export function validateRoleRefUnchanged(now: RoleRef | undefined, before: RoleRef | undefined): FieldError[] {
  const a = now ?? ({} as RoleRef);
  const b = before ?? ({} as RoleRef);
  if (a.apiGroup === b.apiGroup && a.kind === b.kind && a.name === b.name) return [];
  const repr = new GoValue(`rbac.RoleRef{APIGroup:${JSON.stringify(a.apiGroup ?? "")}, Kind:${JSON.stringify(a.kind ?? "")}, Name:${JSON.stringify(a.name ?? "")}}`);
  return [invalid("roleRef", repr, "cannot change roleRef")];
}

/** rbac.SubjectsStrings: users, groups and "namespace/name" service accounts. */
export function subjectsStrings(subjects: Subject[] | undefined): { users: string[]; groups: string[]; serviceAccounts: string[] } {
  const out = { users: [] as string[], groups: [] as string[], serviceAccounts: [] as string[] };
  for (const s of subjects ?? []) {
    if (s.kind === "ServiceAccount") out.serviceAccounts.push(`${s.namespace ?? ""}/${s.name}`);
    else if (s.kind === "User") out.users.push(s.name);
    else if (s.kind === "Group") out.groups.push(s.name);
  }
  return out;
}
