/**
 * Reading request members: JSON body fields by PascalCase name, query parameters, path labels. Type
 * mismatches and missing required members are ValidationException with AWS's wording (member names in
 * lower camel case, as AWS quotes them); value constraints are the model's business.
 */
import { BadRequest, EfsError, ValidationException } from "../errors.js";
import type { Tag } from "../model/types.js";
import type { EfsHttpRequest } from "../http/types.js";

function memberName(prefix: string, name: string): string {
  const camel = name.charAt(0).toLowerCase() + name.slice(1);
  return prefix ? `${prefix}.${camel}` : camel;
}

function typeError(member: string, expected: string): EfsError {
  return new ValidationException(`1 validation error detected: Value at '${member}' failed to satisfy constraint: Member must be ${expected}`);
}

export function missing(member: string): EfsError {
  return new ValidationException(`1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`);
}

export class Fields {
  constructor(
    private readonly data: Record<string, unknown>,
    private readonly prefix = "",
  ) {}

  private raw(name: string, required: boolean): unknown {
    const v = this.data[name];
    if ((v === undefined || v === null) && required) throw missing(memberName(this.prefix, name));
    return v ?? undefined;
  }

  str(name: string): string | undefined;
  str(name: string, required: true): string;
  str(name: string, required = false): string | undefined {
    const v = this.raw(name, required);
    if (v !== undefined && typeof v !== "string") throw typeError(memberName(this.prefix, name), "a string");
    return v as string | undefined;
  }

  num(name: string): number | undefined;
  num(name: string, required: true): number;
  num(name: string, required = false): number | undefined {
    const v = this.raw(name, required);
    if (v !== undefined && (typeof v !== "number" || !Number.isFinite(v))) throw typeError(memberName(this.prefix, name), "a number");
    return v as number | undefined;
  }

  bool(name: string): boolean | undefined;
  bool(name: string, required: true): boolean;
  bool(name: string, required = false): boolean | undefined {
    const v = this.raw(name, required);
    if (v !== undefined && typeof v !== "boolean") throw typeError(memberName(this.prefix, name), "a boolean");
    return v as boolean | undefined;
  }

  obj(name: string): Fields | undefined {
    const v = this.raw(name, false);
    if (v === undefined) return undefined;
    if (typeof v !== "object" || Array.isArray(v)) throw typeError(memberName(this.prefix, name), "a structure");
    return new Fields(v as Record<string, unknown>, memberName(this.prefix, name));
  }

  list(name: string, required = false): unknown[] | undefined {
    const v = this.raw(name, required);
    if (v !== undefined && !Array.isArray(v)) throw typeError(memberName(this.prefix, name), "a list");
    return v as unknown[] | undefined;
  }

  strList(name: string, required = false): string[] | undefined {
    const list = this.list(name, required);
    if (list?.some((x) => typeof x !== "string")) throw typeError(memberName(this.prefix, name), "a list of strings");
    return list as string[] | undefined;
  }

  numList(name: string): number[] | undefined {
    const list = this.list(name);
    if (list?.some((x) => typeof x !== "number")) throw typeError(memberName(this.prefix, name), "a list of numbers");
    return list as number[] | undefined;
  }

  tags(name = "Tags", required = false): Tag[] | undefined {
    const list = this.list(name, required);
    return list?.map((t, i) => {
      if (typeof t !== "object" || t === null) throw typeError(`${memberName(this.prefix, name)}.${i + 1}.member`, "a structure");
      const f = new Fields(t as Record<string, unknown>, `${memberName(this.prefix, name)}.${i + 1}.member`);
      return { Key: f.str("Key", true), Value: f.str("Value", true) };
    });
  }
}

/** The JSON body as Fields; an empty body is an empty structure. */
export function bodyFields(req: EfsHttpRequest): Fields {
  if (req.body.length === 0) return new Fields({});
  let v: unknown;
  try {
    v = JSON.parse(req.body.toString("utf8"));
  } catch {
    throw new BadRequest("The request body is not valid JSON.");
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new BadRequest("The request body must be a JSON object.");
  return new Fields(v as Record<string, unknown>);
}

export function queryString(req: EfsHttpRequest, name: string): string | undefined {
  const v = req.query.get(name);
  return v === null ? undefined : v;
}

export function queryInt(req: EfsHttpRequest, name: string): number | undefined {
  const v = req.query.get(name);
  if (v === null) return undefined;
  if (!/^-?\d{1,15}$/.test(v)) throw typeError(memberName("", name), "an integer");
  return Number(v);
}
