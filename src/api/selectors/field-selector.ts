/**
 * Field selectors (`?fieldSelector=`): comma-separated `key=value`, `key==value`, `key!=value`
 * terms with upstream's backslash escaping (`\,` `\=` `\\`). Keys are checked against what a kind
 * serves: metadata.name and metadata.namespace everywhere, plus the kind's `fieldSelectors`.
 */
import type { KubeObject } from "../types.js";

/** The part of a kind's traits field selection reads. */
export interface FieldSelectable<T extends KubeObject = KubeObject> {
  fieldSelectors: Record<string, (obj: T) => string>;
}

export interface FieldRequirement {
  key: string;
  op: "=" | "==" | "!=";
  value: string;
}

export class FieldSelectorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FieldSelectorError";
  }
}

/** Split on unescaped commas (escapes are kept for the value unescaping step). */
function splitTerms(text: string): string[] {
  const terms: string[] = [];
  let start = 0;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (escaped) escaped = false;
    else if (c === "\\") escaped = true;
    else if (c === ",") {
      terms.push(text.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(text.slice(start));
  return terms;
}

function splitTerm(term: string): { lhs: string; op: FieldRequirement["op"]; rhs: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of ["!=", "==", "="] as const) {
      if (term.startsWith(op, i)) return { lhs: term.slice(0, i), op, rhs: term.slice(i + op.length) };
    }
  }
  return undefined;
}

function unescapeValue(s: string): string {
  if (!s.includes("\\") && !s.includes(",") && !s.includes("=")) return s;
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "\\") {
      const n = s[i + 1];
      if (n === "\\" || n === "," || n === "=") {
        out += n;
        i++;
        continue;
      }
      throw new FieldSelectorError(`invalid field selector: invalid escape sequence: \\${n ?? ""}`);
    }
    if (c === "," || c === "=") throw new FieldSelectorError(`invalid field selector: unescaped character in value: ${c}`);
    out += c;
  }
  return out;
}

/** Parse `?fieldSelector=` text; throws FieldSelectorError with upstream-style messages. */
export function parseFieldSelector(text: string): FieldRequirement[] {
  const reqs: FieldRequirement[] = [];
  for (const part of splitTerms(text).sort()) {
    if (part === "") continue;
    const t = splitTerm(part);
    if (!t) throw new FieldSelectorError(`invalid selector: '${text}'; can't understand '${part}'`);
    reqs.push({ key: t.lhs, op: t.op, value: unescapeValue(t.rhs) });
  }
  return reqs;
}

/** The value a kind exposes for a selectable field, or undefined when the field is not served. */
export function fieldValue<T extends KubeObject>(obj: T, field: string, traits: FieldSelectable<T>): string | undefined {
  if (field === "metadata.name") return obj.metadata?.name ?? "";
  if (field === "metadata.namespace") return obj.metadata?.namespace ?? "";
  const extract = traits.fieldSelectors[field];
  return extract ? extract(obj) : undefined;
}

/**
 * Upstream's error for a selector key a kind does not serve ("field label not supported: x"),
 * or undefined when every key is served. The server answers 400 BadRequest with it.
 */
export function unsupportedFieldLabel<T extends KubeObject>(reqs: FieldRequirement[], traits: FieldSelectable<T>): string | undefined {
  for (const r of reqs) {
    if (r.key === "metadata.name" || r.key === "metadata.namespace") continue;
    if (!(r.key in traits.fieldSelectors)) return `field label not supported: ${r.key}`;
  }
  return undefined;
}

export function matchesFieldSelector<T extends KubeObject>(obj: T, reqs: FieldRequirement[], traits: FieldSelectable<T>): boolean {
  return reqs.every((r) => {
    const v = fieldValue(obj, r.key, traits);
    if (v === undefined) return false;
    return r.op === "!=" ? v !== r.value : v === r.value;
  });
}
