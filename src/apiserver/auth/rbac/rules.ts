/**
 * Rule matching and coverage, with upstream's wildcard rules: "*" in verbs, apiGroups,
 * resources; "resource/subresource" and "*\/subresource" forms; nonResourceURLs with a
 * trailing "*" as a prefix match; resourceNames restrict by name.
 */
import type { Attributes, PolicyRule } from "./types.js";

const has = (list: string[] | undefined, v: string) => !!list && (list.includes("*") || list.includes(v));

function resourceMatches(rule: PolicyRule, resource: string, subresource: string): boolean {
  const resources = rule.resources ?? [];
  const combined = subresource ? `${resource}/${subresource}` : resource;
  for (const r of resources) {
    if (r === "*" || r === combined) return true;
    if (subresource && r === `*/${subresource}`) return true;
  }
  return false;
}

export function ruleAllows(rule: PolicyRule, a: Attributes): boolean {
  if (!has(rule.verbs, a.verb)) return false;
  if (!a.resourceRequest) {
    return (rule.nonResourceURLs ?? []).some((u) => u === "*" || u === a.path || (u.endsWith("*") && a.path.startsWith(u.slice(0, -1))));
  }
  if (!has(rule.apiGroups, a.apiGroup)) return false;
  if (!resourceMatches(rule, a.resource, a.subresource)) return false;
  const names = rule.resourceNames ?? [];
  return names.length === 0 || names.includes(a.name);
}

const covers1 = (owned: string[] | undefined, wanted: string[] | undefined) => {
  const o = owned ?? [];
  if (o.includes("*")) return true;
  return (wanted ?? []).every((w) => o.includes(w));
};

/** Does `owned` grant at least what `wanted` grants? (escalation prevention, per rule) */
export function ruleCovers(owned: PolicyRule, wanted: PolicyRule): boolean {
  if (!covers1(owned.verbs, wanted.verbs)) return false;
  if ((wanted.nonResourceURLs ?? []).length > 0) {
    return (wanted.nonResourceURLs ?? []).every((w) =>
      (owned.nonResourceURLs ?? []).some((u) => u === "*" || u === w || (u.endsWith("*") && w.startsWith(u.slice(0, -1)))),
    );
  }
  if (!covers1(owned.apiGroups, wanted.apiGroups)) return false;
  const ownedRes = owned.resources ?? [];
  const resOk = (wanted.resources ?? []).every((w) => ownedRes.includes("*") || ownedRes.includes(w) || (w.includes("/") && ownedRes.includes(`*/${w.split("/")[1]}`)));
  if (!resOk) return false;
  const ownedNames = owned.resourceNames ?? [];
  if (ownedNames.length === 0) return true;
  const wantedNames = wanted.resourceNames ?? [];
  return wantedNames.length > 0 && wantedNames.every((n) => ownedNames.includes(n));
}

export function rulesCover(owned: PolicyRule[], wanted: PolicyRule[]): boolean {
  return wanted.every((w) => owned.some((o) => ruleCovers(o, w)));
}
