/**
 * Validation of selector-shaped fields inside objects: metav1.LabelSelector (PVC selector,
 * ClusterRole aggregation) and core NodeSelector (PV nodeAffinity, pod affinity), with
 * upstream's messages.
 */
import type { FieldError } from "../types.js";
import { forbidden, invalid, required } from "../fields/errors.js";
import type { LabelSelector, NodeSelector, NodeSelectorRequirement, NodeSelectorTerm, TopologySelectorTerm } from "../kinds/core-types.js";
import { validateLabels } from "./object-meta.js";
import { isQualifiedName, isValidLabelValue, isDNS1123Subdomain } from "./names.js";
import { duplicate } from "../fields/errors.js";

export function labelName(key: string, field: string): FieldError[] {
  return isQualifiedName(key).map((m) => invalid(field, key, m));
}

export function validateLabelSelector(sel: LabelSelector | undefined, field: string): FieldError[] {
  if (!sel) return [];
  const errs = validateLabels(sel.matchLabels, `${field}.matchLabels`);
  (sel.matchExpressions ?? []).forEach((expr, i) => {
    const p = `${field}.matchExpressions[${i}]`;
    const values = expr.values ?? [];
    switch (expr.operator) {
      case "In":
      case "NotIn":
        if (values.length === 0) errs.push(required(`${p}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case "Exists":
      case "DoesNotExist":
        if (values.length > 0) errs.push(forbidden(`${p}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      default:
        errs.push(invalid(`${p}.operator`, expr.operator ?? "", "not a valid selector operator"));
    }
    errs.push(...labelName(expr.key ?? "", `${p}.key`));
    values.forEach((v, j) => {
      for (const m of isValidLabelValue(v)) errs.push(invalid(`${p}.values[${j}]`, v, m));
    });
  });
  return errs;
}

function nodeSelectorRequirement(rq: NodeSelectorRequirement, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const values = rq.values ?? [];
  switch (rq.operator) {
    case "In":
    case "NotIn":
      if (values.length === 0) errs.push(required(`${field}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
      break;
    case "Exists":
    case "DoesNotExist":
      if (values.length > 0) errs.push(forbidden(`${field}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      break;
    case "Gt":
    case "Lt":
      if (values.length !== 1) errs.push(required(`${field}.values`, "must be specified single value when `operator` is 'Lt' or 'Gt'"));
      break;
    default:
      errs.push(invalid(`${field}.operator`, rq.operator ?? "", "not a valid selector operator"));
  }
  errs.push(...labelName(rq.key ?? "", `${field}.key`));
  values.forEach((v, j) => {
    for (const m of isValidLabelValue(v)) errs.push(invalid(`${field}.values[${j}]`, v, m));
  });
  return errs;
}

function nodeFieldSelectorRequirement(rq: NodeSelectorRequirement, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (rq.operator === "In" || rq.operator === "NotIn") {
    if ((rq.values ?? []).length !== 1) {
      errs.push(required(`${field}.values`, "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"));
    }
  } else {
    errs.push(invalid(`${field}.operator`, rq.operator ?? "", "not a valid selector operator"));
  }
  if (rq.key !== "metadata.name") {
    errs.push(invalid(`${field}.key`, rq.key ?? "", "not a valid field selector key"));
  } else {
    (rq.values ?? []).forEach((v, i) => {
      for (const m of isDNS1123Subdomain(v)) errs.push(invalid(`${field}.values[${i}]`, v, m));
    });
  }
  return errs;
}

export function validateNodeSelectorTerm(term: NodeSelectorTerm, field: string): FieldError[] {
  const errs: FieldError[] = [];
  (term.matchExpressions ?? []).forEach((rq, j) => errs.push(...nodeSelectorRequirement(rq, `${field}.matchExpressions[${j}]`)));
  (term.matchFields ?? []).forEach((rq, j) => errs.push(...nodeFieldSelectorRequirement(rq, `${field}.matchFields[${j}]`)));
  return errs;
}

export function validateNodeSelector(sel: NodeSelector, field: string): FieldError[] {
  const terms = sel.nodeSelectorTerms ?? [];
  if (terms.length === 0) return [required(`${field}.nodeSelectorTerms`, "must have at least one node selector term")];
  return terms.flatMap((t, i) => validateNodeSelectorTerm(t, `${field}.nodeSelectorTerms[${i}]`));
}

/** StorageClass allowedTopologies (ValidateTopologySelectorTerm + duplicate terms). */
export function validateAllowedTopologies(terms: TopologySelectorTerm[] | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen: string[] = [];
  (terms ?? []).forEach((term, i) => {
    const p = `${field}[${i}]`;
    const exprs = new Map<string, string[]>();
    (term.matchLabelExpressions ?? []).forEach((rq, j) => {
      const ep = `${p}.matchLabelExpressions[${j}]`;
      const values = rq.values ?? [];
      if (values.length === 0) errs.push(required(`${ep}.values`));
      const set = new Set<string>();
      values.forEach((v, k) => {
        if (set.has(v)) errs.push(duplicate(`${ep}.values[${k}]`, v));
        set.add(v);
      });
      errs.push(...labelName(rq.key ?? "", `${ep}.key`));
      if (exprs.has(rq.key)) errs.push(duplicate(`${ep}.key`, rq.key));
      exprs.set(rq.key, [...set].sort());
    });
    const canonical = JSON.stringify([...exprs.entries()].sort());
    if (seen.includes(canonical)) errs.push(duplicate(`${p}.matchLabelExpressions`, ""));
    seen.push(canonical);
  });
  return errs;
}
