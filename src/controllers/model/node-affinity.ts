/**
 * Node selector terms (PV nodeAffinity.required, pod requiredDuringScheduling affinity):
 * terms are ORed, expressions inside a term ANDed; matchFields supports metadata.name only.
 */
import type { Node, NodeSelector, NodeSelectorRequirement } from "./types.js";

function requirementMatches(r: NodeSelectorRequirement, value: string | undefined): boolean {
  const values = r.values ?? [];
  switch (r.operator) {
    case "In":
      return value !== undefined && values.includes(value);
    case "NotIn":
      return value === undefined || !values.includes(value);
    case "Exists":
      return value !== undefined;
    case "DoesNotExist":
      return value === undefined;
    case "Gt":
    case "Lt": {
      if (value === undefined || values.length !== 1) return false;
      const a = Number.parseInt(value, 10);
      const b = Number.parseInt(values[0], 10);
      if (!Number.isInteger(a) || !Number.isInteger(b)) return false;
      return r.operator === "Gt" ? a > b : a < b;
    }
    default:
      return false;
  }
}

/** Whether `node` satisfies `selector`; an empty term list matches nothing (as upstream). */
export function nodeSelectorMatches(selector: NodeSelector | undefined, node: Pick<Node, "metadata">): boolean {
  const terms = selector?.nodeSelectorTerms ?? [];
  const labels = node.metadata.labels ?? {};
  for (const term of terms) {
    const exprs = term.matchExpressions ?? [];
    const fields = term.matchFields ?? [];
    // A term with no requirements selects nothing.
    if (exprs.length === 0 && fields.length === 0) continue;
    const ok =
      exprs.every((r) => requirementMatches(r, Object.prototype.hasOwnProperty.call(labels, r.key) ? labels[r.key] : undefined)) &&
      fields.every((r) => r.key === "metadata.name" && requirementMatches(r, node.metadata.name));
    if (ok) return true;
  }
  return false;
}

/** A PV with no node affinity is reachable from every node (upstream's CheckNodeAffinity). */
export function volumeNodeAffinityMatches(pv: { spec: { nodeAffinity?: { required?: NodeSelector } } }, node: Pick<Node, "metadata">): boolean {
  const required = pv.spec.nodeAffinity?.required;
  if (!required) return true;
  return nodeSelectorMatches(required, node);
}
