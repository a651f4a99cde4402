/**
 * Parsing and validation of a file system policy (an IAM resource-based policy) into a normalised form.
 * Anything AWS would refuse as a policy (bad JSON, missing Effect/Principal/Action, unknown elements or
 * condition operators, malformed principals) is an InvalidPolicyException naming the problem.
 */
import { InvalidPolicyException } from "../../errors.js";

export type Effect = "Allow" | "Deny";

/** "*" matches every caller, anonymous ones included. */
export type Principals = "*" | { aws: string[] };

export interface Condition {
  /** Base operator without IfExists / set qualifier, e.g. "StringLike". */
  operator: string;
  ifExists: boolean;
  qualifier?: "ForAnyValue" | "ForAllValues";
  /** Lower-cased: condition keys are case-insensitive. */
  key: string;
  values: string[];
}

export interface Statement {
  sid?: string;
  effect: Effect;
  principal?: Principals;
  notPrincipal?: Principals;
  action?: string[];
  notAction?: string[];
  resource?: string[];
  notResource?: string[];
  conditions: Condition[];
}

export interface PolicyDocument {
  statements: Statement[];
}

export const OPERATORS = new Set([
  "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike",
  "ArnEquals", "ArnNotEquals", "ArnLike", "ArnNotLike", "Bool", "Null",
  "NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals",
  "DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan", "DateGreaterThanEquals",
  "IpAddress", "NotIpAddress", "BinaryEquals",
]);

const STATEMENT_KEYS = new Set(["Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"]);
const AWS_PRINCIPAL = /^(\*|\d{12}|arn:aws[-a-z]*:(iam|sts)::\d{12}:[\w+=,.@\-/:*]+)$/;
const ACTION = /^(\*|[a-zA-Z0-9-]+:[a-zA-Z0-9*?]+)$/;

function bad(message: string): never {
  throw new InvalidPolicyException(message);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function stringList(v: unknown, what: string): string[] {
  const list = Array.isArray(v) ? v : [v];
  if (list.length === 0 || list.some((x) => typeof x !== "string" || x === "")) bad(`${what} must be a non-empty string or list of strings.`);
  return list as string[];
}

function parsePrincipal(v: unknown, what: string): Principals {
  if (v === "*") return "*";
  if (!isObject(v)) bad(`${what} must be "*" or an object such as {"AWS": "<arn>"}.`);
  const aws: string[] = [];
  for (const [type, value] of Object.entries(v)) {
    const list = stringList(value, `${what}.${type}`);
    if (type === "AWS") {
      for (const p of list) if (!AWS_PRINCIPAL.test(p)) bad(`Invalid principal in policy: "${p}".`);
      aws.push(...list);
    } else if (!["Service", "Federated", "CanonicalUser"].includes(type)) {
      bad(`Unknown principal type "${type}".`);
    }
    // Service/Federated/CanonicalUser principals are valid IAM but never mount NFS clients: they match nothing.
  }
  return { aws };
}

function parseConditions(v: unknown): Condition[] {
  if (v === undefined) return [];
  if (!isObject(v)) bad("Condition must be an object.");
  const out: Condition[] = [];
  for (const [rawOp, block] of Object.entries(v)) {
    let op = rawOp;
    let qualifier: Condition["qualifier"];
    const q = /^(ForAnyValue|ForAllValues):(.+)$/.exec(op);
    if (q) {
      qualifier = q[1] as Condition["qualifier"];
      op = q[2];
    }
    const ifExists = op.endsWith("IfExists") && op !== "IfExists";
    if (ifExists) op = op.slice(0, -"IfExists".length);
    if (!OPERATORS.has(op) || (ifExists && op === "Null")) bad(`Unknown condition operator "${rawOp}".`);
    if (!isObject(block)) bad(`Condition operator "${rawOp}" must map condition keys to values.`);
    for (const [key, value] of Object.entries(block)) {
      const list = Array.isArray(value) ? value : [value];
      if (list.length === 0 || list.some((x) => !["string", "boolean", "number"].includes(typeof x))) {
        bad(`Condition "${rawOp}" key "${key}" must have a string, boolean or number value, or a list of them.`);
      }
      out.push({ operator: op, ifExists, qualifier, key: key.toLowerCase(), values: list.map(String) });
    }
  }
  return out;
}

function parseStatement(v: unknown, index: number): Statement {
  const where = `Statement ${index + 1}`;
  if (!isObject(v)) bad(`${where} must be an object.`);
  for (const k of Object.keys(v)) if (!STATEMENT_KEYS.has(k)) bad(`${where} has an unknown element "${k}".`);
  if (v.Effect !== "Allow" && v.Effect !== "Deny") bad(`${where} must have "Effect": "Allow" or "Deny".`);
  if ((v.Principal === undefined) === (v.NotPrincipal === undefined)) bad(`${where} must have exactly one of Principal or NotPrincipal.`);
  if ((v.Action === undefined) === (v.NotAction === undefined)) bad(`${where} must have exactly one of Action or NotAction.`);
  if (v.Resource !== undefined && v.NotResource !== undefined) bad(`${where} cannot have both Resource and NotResource.`);
  const actions = stringList(v.Action ?? v.NotAction, `${where} Action`);
  for (const a of actions) if (!ACTION.test(a)) bad(`${where} has an invalid action "${a}".`);
  if (v.Sid !== undefined && typeof v.Sid !== "string") bad(`${where} Sid must be a string.`);
  return {
    sid: v.Sid as string | undefined,
    effect: v.Effect,
    principal: v.Principal !== undefined ? parsePrincipal(v.Principal, `${where} Principal`) : undefined,
    notPrincipal: v.NotPrincipal !== undefined ? parsePrincipal(v.NotPrincipal, `${where} NotPrincipal`) : undefined,
    action: v.Action !== undefined ? actions : undefined,
    notAction: v.NotAction !== undefined ? actions : undefined,
    resource: v.Resource !== undefined ? stringList(v.Resource, `${where} Resource`) : undefined,
    notResource: v.NotResource !== undefined ? stringList(v.NotResource, `${where} NotResource`) : undefined,
    conditions: parseConditions(v.Condition),
  };
}

export function parsePolicy(text: string): PolicyDocument {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    bad("Policy is not a valid JSON document.");
  }
  if (!isObject(raw)) bad("Policy must be a JSON object.");
  for (const k of Object.keys(raw)) if (!["Version", "Id", "Statement"].includes(k)) bad(`Policy has an unknown top-level element "${k}".`);
  if (raw.Version !== undefined && raw.Version !== "2012-10-17" && raw.Version !== "2008-10-17") bad(`Unsupported policy Version "${String(raw.Version)}".`);
  const statements = Array.isArray(raw.Statement) ? raw.Statement : raw.Statement === undefined ? [] : [raw.Statement];
  if (statements.length === 0) bad("Policy must contain at least one Statement.");
  return { statements: statements.map(parseStatement) };
}
