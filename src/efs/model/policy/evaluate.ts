/**
 * Evaluation of a parsed resource policy for one request, by IAM's rules: a statement applies when its
 * principal, action, resource and every condition match; any applicable Deny wins; otherwise any
 * applicable Allow allows; otherwise the request is implicitly denied.
 *
 * Simplifications (a real EFS would also…): identity-based policies of the caller are not modelled, so
 * a named principal gets only what this policy grants it; an account principal ("123456789012" or
 * ":root") stands for every principal of that account; policy variables are not expanded; only string
 * context keys exist, so numeric, date and address operators always see a missing key.
 */
import { arnMatch, globMatch } from "./glob.js";
import type { Condition, PolicyDocument, Principals, Statement } from "./document.js";

export type Decision = "Allow" | "Deny" | "ImplicitDeny";

export interface RequestContext {
  /** The caller's IAM ARN; undefined for an anonymous caller. */
  principalArn?: string;
  action: string;
  resource: string;
  /** Condition keys (lower-case) → value. */
  keys: Record<string, string>;
}

function accountOf(arn: string): string | undefined {
  return arn.split(":")[4];
}

/** arn:aws:sts::123:assumed-role/Name/session → arn:aws:iam::123:role/Name (path unknown, so name only). */
function roleOfSession(arn: string): { account: string; name: string } | undefined {
  const m = /^arn:aws[-a-z]*:sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(arn);
  return m ? { account: m[1], name: m[2] } : undefined;
}

function principalMatches(spec: Principals, caller: string | undefined): boolean {
  if (spec === "*") return true;
  for (const p of spec.aws) {
    if (p === "*") return true;
    if (caller === undefined) continue;
    if (/^\d{12}$/.test(p) || /:root$/.test(p)) {
      if (accountOf(caller) === (/^\d{12}$/.test(p) ? p : accountOf(p))) return true;
      continue;
    }
    if (p === caller) return true;
    const session = roleOfSession(caller);
    const role = /^arn:aws[-a-z]*:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(p);
    if (session && role && session.account === role[1] && session.name === role[2]) return true;
  }
  return false;
}

const NEGATED = new Set(["StringNotEquals", "StringNotEqualsIgnoreCase", "StringNotLike", "ArnNotEquals", "ArnNotLike", "NumericNotEquals", "DateNotEquals", "NotIpAddress"]);

function valueMatches(operator: string, expected: string, actual: string): boolean {
  switch (operator) {
    case "StringEquals":
    case "StringNotEquals":
      return expected === actual;
    case "StringEqualsIgnoreCase":
    case "StringNotEqualsIgnoreCase":
      return expected.toLowerCase() === actual.toLowerCase();
    case "StringLike":
    case "StringNotLike":
      return globMatch(expected, actual);
    case "ArnEquals":
    case "ArnNotEquals":
    case "ArnLike":
    case "ArnNotLike":
      return arnMatch(expected, actual);
    case "Bool":
      return expected.toLowerCase() === actual.toLowerCase();
    default:
      return false; // numeric/date/address keys never exist in this service's context
  }
}

function conditionHolds(c: Condition, keys: Record<string, string>): boolean {
  const actual = keys[c.key];
  if (c.operator === "Null") {
    const wantsAbsent = c.values.some((v) => v.toLowerCase() === "true");
    return wantsAbsent === (actual === undefined);
  }
  const negated = NEGATED.has(c.operator);
  if (actual === undefined) {
    if (c.ifExists) return true;
    if (c.qualifier === "ForAllValues") return true; // vacuously true over an empty set
    return negated;
  }
  const anyMatch = c.values.some((v) => valueMatches(c.operator, v, actual));
  return negated ? !anyMatch : anyMatch;
}

function statementApplies(s: Statement, ctx: RequestContext): boolean {
  if (s.principal && !principalMatches(s.principal, ctx.principalArn)) return false;
  if (s.notPrincipal && principalMatches(s.notPrincipal, ctx.principalArn)) return false;
  if (s.action && !s.action.some((a) => globMatch(a, ctx.action, true))) return false;
  if (s.notAction && s.notAction.some((a) => globMatch(a, ctx.action, true))) return false;
  if (s.resource && !s.resource.some((r) => globMatch(r, ctx.resource))) return false;
  if (s.notResource && s.notResource.some((r) => globMatch(r, ctx.resource))) return false;
  return s.conditions.every((c) => conditionHolds(c, ctx.keys));
}

export function evaluatePolicy(policy: PolicyDocument, ctx: RequestContext): Decision {
  let allowed = false;
  for (const s of policy.statements) {
    if (!statementApplies(s, ctx)) continue;
    if (s.effect === "Deny") return "Deny";
    allowed = true;
  }
  return allowed ? "Allow" : "ImplicitDeny";
}
