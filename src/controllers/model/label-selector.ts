/** metav1.LabelSelector evaluation (matchLabels AND matchExpressions), as LabelSelectorAsSelector. */
import type { LabelSelector, LabelSelectorRequirement } from "./types.js";

function requirementMatches(r: LabelSelectorRequirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const values = r.values ?? [];
  switch (r.operator) {
    case "In":
      return has && values.includes(labels[r.key]);
    case "NotIn":
      return !has || !values.includes(labels[r.key]);
    case "Exists":
      return has;
    case "DoesNotExist":
      return !has;
    default:
      // An operator the API would have refused: match nothing, as an invalid selector does.
      return false;
  }
}

/** A nil selector matches nothing here; callers treat "no selector" separately, as upstream does. */
export function selectorMatches(selector: LabelSelector, labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (l[k] !== v) return false;
  for (const r of selector.matchExpressions ?? []) if (!requirementMatches(r, l)) return false;
  return true;
}

/** True for a selector with no requirements at all (matches everything). */
export function selectorIsEmpty(selector: LabelSelector | null | undefined): boolean {
  if (!selector) return true;
  return Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
}
