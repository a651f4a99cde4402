/**
 * Label selectors: the string syntax of `?labelSelector=` (upstream labels.Parse: `=`, `==`,
 * `!=`, `in`, `notin`, `gt`/`lt` via `>`/`<`, `key` exists, `!key`) and metav1.LabelSelector
 * objects (matchLabels, matchExpressions), both compiled into one LabelSelector matcher.
 *
 * Matching follows upstream: `!=` and `notin` also match objects without the key; a selector
 * with no requirements matches everything; a null metav1.LabelSelector matches nothing.
 */
import type { FieldError } from "../types.js";
import { aggregateMessage } from "../fields/invalid-error.js";
import { invalid, notSupported } from "../fields/errors.js";
import { isQualifiedName, isValidLabelValue } from "../validation/names.js";

export type LabelOperator = "=" | "==" | "!=" | "in" | "notin" | "exists" | "!" | "gt" | "lt";

export interface LabelRequirement {
  key: string;
  operator: LabelOperator;
  values: string[];
}

export class LabelSelectorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LabelSelectorError";
  }
}

export interface LabelSelector {
  readonly requirements: readonly LabelRequirement[];
  /** False only for the "nothing" selector (from a null metav1.LabelSelector). */
  readonly matchesAnything: boolean;
  matches(labels: Record<string, string> | undefined): boolean;
  /** Upstream's String(): requirements sorted by key, joined with ",". */
  toString(): string;
  isEmpty(): boolean;
}

function requirementMatches(r: LabelRequirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const value = has ? labels[r.key] : undefined;
  switch (r.operator) {
    case "=":
    case "==":
    case "in":
      return has && r.values.includes(value as string);
    case "!=":
    case "notin":
      return !has || !r.values.includes(value as string);
    case "exists":
      return has;
    case "!":
      return !has;
    case "gt":
    case "lt": {
      if (!has || !/^[+-]?\d+$/.test(value as string)) return false;
      const lhs = BigInt(value as string);
      const rhs = BigInt(r.values[0]);
      return r.operator === "gt" ? lhs > rhs : lhs < rhs;
    }
  }
}

function requirementString(r: LabelRequirement): string {
  switch (r.operator) {
    case "exists":
      return r.key;
    case "!":
      return `!${r.key}`;
    case "in":
    case "notin":
      return `${r.key} ${r.operator} (${[...r.values].sort().join(",")})`;
    case "gt":
      return `${r.key}>${r.values[0]}`;
    case "lt":
      return `${r.key}<${r.values[0]}`;
    default:
      return `${r.key}${r.operator}${r.values[0]}`;
  }
}

function makeSelector(requirements: LabelRequirement[], matchesAnything = true): LabelSelector {
  const sorted = [...requirements].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return {
    requirements: sorted,
    matchesAnything,
    matches: (labels) => matchesAnything && sorted.every((r) => requirementMatches(r, labels ?? {})),
    toString: () => sorted.map(requirementString).join(","),
    isEmpty: () => matchesAnything && sorted.length === 0,
  };
}

export const everything = (): LabelSelector => makeSelector([]);
export const nothing = (): LabelSelector => makeSelector([], false);

/** Upstream's NewRequirement checks; returns the field errors (empty when valid). */
export function validateRequirement(r: LabelRequirement): FieldError[] {
  const errs: FieldError[] = [];
  const keyErrs = isQualifiedName(r.key);
  if (keyErrs.length > 0) errs.push(invalid("key", r.key, keyErrs.join("; ")));
  switch (r.operator) {
    case "in":
    case "notin":
      if (r.values.length === 0) errs.push(invalid("values", r.values, "for 'in', 'notin' operators, values set can't be empty"));
      break;
    case "=":
    case "==":
    case "!=":
      if (r.values.length !== 1) errs.push(invalid("values", r.values, "exact-match compatibility requires one single value"));
      break;
    case "exists":
    case "!":
      if (r.values.length !== 0) errs.push(invalid("values", r.values, "values set must be empty for exists and does not exist"));
      break;
    case "gt":
    case "lt":
      if (r.values.length !== 1) errs.push(invalid("values", r.values, "for 'Gt', 'Lt' operators, exactly one value is required"));
      r.values.forEach((v, i) => {
        if (!/^[+-]?\d+$/.test(v)) errs.push(invalid(`values[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"));
      });
      break;
    default:
      errs.push(notSupported("operator", r.operator, ["in", "notin", "=", "==", "!=", "gt", "lt", "exists", "!"]));
  }
  r.values.forEach((v, i) => {
    const valErrs = isValidLabelValue(v);
    if (valErrs.length > 0) errs.push(invalid(`values[${i}][${r.key}]`, v, valErrs.join("; ")));
  });
  return errs;
}

function checked(r: LabelRequirement): LabelRequirement {
  const errs = validateRequirement(r);
  if (errs.length > 0) throw new LabelSelectorError(`unable to parse requirement: ${aggregateMessage(errs)}`);
  return r;
}

// ---- string syntax -------------------------------------------------------------------------

type TokenKind = "id" | "in" | "notin" | "(" | ")" | "," | "=" | "==" | "!=" | "!" | ">" | "<" | "end";
interface Token {
  kind: TokenKind;
  text: string;
}

const SPECIAL = new Set([" ", "\t", "\n", "\r", ",", "=", "!", "(", ")", "<", ">"]);

function lex(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
      continue;
    }
    const two = input.slice(i, i + 2);
    if (two === "==" || two === "!=") {
      tokens.push({ kind: two, text: two });
      i += 2;
      continue;
    }
    if (c === "=" || c === "!" || c === "(" || c === ")" || c === "," || c === ">" || c === "<") {
      tokens.push({ kind: c, text: c });
      i++;
      continue;
    }
    let j = i;
    while (j < input.length && !SPECIAL.has(input[j])) j++;
    const word = input.slice(i, j);
    tokens.push({ kind: word === "in" ? "in" : word === "notin" ? "notin" : "id", text: word });
    i = j;
  }
  tokens.push({ kind: "end", text: "" });
  return tokens;
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.pos];
  }
  private next(): Token {
    return this.tokens[this.pos++];
  }
  private fail(found: Token, expected: string): never {
    throw new LabelSelectorError(`unable to parse requirement: found '${found.text}', expected: ${expected}`);
  }

  parse(): LabelRequirement[] {
    const reqs: LabelRequirement[] = [];
    if (this.peek().kind === "end") return reqs;
    for (;;) {
      reqs.push(this.requirement());
      const t = this.next();
      if (t.kind === "end") return reqs;
      if (t.kind !== ",") this.fail(t, "',' or 'end of string'");
      if (this.peek().kind === "end") this.fail(this.peek(), "identifier after ','");
    }
  }

  private requirement(): LabelRequirement {
    let t = this.next();
    if (t.kind === "!") {
      t = this.next();
      if (t.kind !== "id") this.fail(t, "identifier");
      return checked({ key: t.text, operator: "!", values: [] });
    }
    if (t.kind !== "id") this.fail(t, "!, identifier, or 'end of string'");
    const key = t.text;
    const op = this.peek();
    if (op.kind === "," || op.kind === "end") return checked({ key, operator: "exists", values: [] });
    this.next();
    switch (op.kind) {
      case "=":
      case "==":
      case "!=":
      case ">":
      case "<": {
        const v = this.peek();
        // An empty value ("a=") is allowed: it selects the empty label value.
        const value = v.kind === "id" ? (this.next(), v.text) : "";
        if (v.kind !== "id" && v.kind !== "," && v.kind !== "end") this.fail(v, "identifier");
        const operator: LabelOperator = op.kind === ">" ? "gt" : op.kind === "<" ? "lt" : op.kind;
        return checked({ key, operator, values: [value] });
      }
      case "in":
      case "notin":
        return checked({ key, operator: op.kind, values: this.valueSet() });
      default:
        return this.fail(op, "in, notin, =, ==, !=, gt, lt");
    }
  }

  private valueSet(): string[] {
    const open = this.next();
    if (open.kind !== "(") this.fail(open, "'('");
    const values: string[] = [];
    for (;;) {
      const t = this.next();
      if (t.kind === "id" || t.kind === "in" || t.kind === "notin") {
        values.push(t.text);
        const sep = this.next();
        if (sep.kind === ")") return values;
        if (sep.kind !== ",") this.fail(sep, "',' or ')'");
      } else if (t.kind === ",") {
        values.push("");
      } else if (t.kind === ")") {
        // "()" and a trailing "," stand for the empty value, as upstream parses them.
        if (values.length === 0 || this.tokens[this.pos - 2]?.kind === ",") values.push("");
        return values;
      } else {
        this.fail(t, "',', ')' or identifier");
      }
    }
  }
}

/** Parse `?labelSelector=` text. Throws LabelSelectorError with a message naming the problem. */
export function parseLabelSelector(text: string): LabelSelector {
  return makeSelector(new Parser(lex(text)).parse());
}

/** metav1.LabelSelector as JSON. */
export interface LabelSelectorObject {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

const EXPRESSION_OPERATORS: Record<string, LabelOperator> = { In: "in", NotIn: "notin", Exists: "exists", DoesNotExist: "!" };

/**
 * Upstream's LabelSelectorAsSelector: null → nothing, empty → everything. Throws
 * LabelSelectorError for an unknown operator or invalid keys/values.
 */
export function labelSelectorFromObject(sel: LabelSelectorObject | null | undefined): LabelSelector {
  if (sel === null || sel === undefined) return nothing();
  const reqs: LabelRequirement[] = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) reqs.push(checked({ key: k, operator: "=", values: [v] }));
  for (const expr of sel.matchExpressions ?? []) {
    const op = EXPRESSION_OPERATORS[expr.operator];
    if (!op) throw new LabelSelectorError(`${JSON.stringify(expr.operator)} is not a valid label selector operator`);
    reqs.push(checked({ key: expr.key, operator: op, values: [...(expr.values ?? [])] }));
  }
  return makeSelector(reqs);
}
