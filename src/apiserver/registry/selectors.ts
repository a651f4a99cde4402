/**
 * List/watch filtering by label and field selectors. Every kind supports metadata.name and
 * metadata.namespace; other field keys come from the kind's traits, anything else is refused
 * as upstream does ("field label not supported").
 */
import type { KubeObject, ResourceTraits } from "../../api/types.js";
import { badRequest } from "../../api/status.js";
import { parseFieldSelector, parseLabelSelector } from "./deps.js";

export type ObjectFilter = (obj: KubeObject) => boolean;

export interface FieldRequirement {
  key: string;
  op: "=" | "==" | "!=";
  value: string;
}

export function buildFilter(t: ResourceTraits, labelSelector: string | null, fieldSelector: string | null): ObjectFilter | undefined {
  const filters: ObjectFilter[] = [];
  if (labelSelector && labelSelector.trim() !== "") {
    let sel: { matches(labels: Record<string, string>): boolean };
    try {
      sel = parseLabelSelector(labelSelector);
    } catch (e) {
      throw badRequest((e as Error).message);
    }
    filters.push((o) => sel.matches(o.metadata.labels ?? {}));
  }
  if (fieldSelector && fieldSelector.trim() !== "") {
    let reqs: FieldRequirement[];
    try {
      reqs = parseFieldSelector(fieldSelector) as FieldRequirement[];
    } catch (e) {
      throw badRequest((e as Error).message);
    }
    for (const r of reqs) {
      const extract = fieldExtractor(t, r.key);
      const neg = r.op === "!=";
      filters.push((o) => (extract(o) === r.value) !== neg);
    }
  }
  if (filters.length === 0) return undefined;
  return (o) => filters.every((f) => f(o));
}

function fieldExtractor(t: ResourceTraits, key: string): (o: KubeObject) => string {
  if (key === "metadata.name") return (o) => o.metadata.name ?? "";
  if (key === "metadata.namespace") return (o) => o.metadata.namespace ?? "";
  // Own keys only: "__proto__" or "constructor" would otherwise find Object.prototype's members (a 500).
  const f = Object.hasOwn(t.fieldSelectors, key) ? t.fieldSelectors[key] : undefined;
  if (!f) throw badRequest(`field label not supported: ${key}`);
  return f as (o: KubeObject) => string;
}
