/**
 * Value constraints from the EFS API model (lengths, patterns, ranges), checked by the model so in-process
 * callers get the same protection as wire clients. Violations are ValidationException with AWS's
 * wording ("1 validation error detected: Value 'x' at 'member' failed to satisfy constraint: …"); member
 * names are the lower-camel paths AWS uses in these messages.
 */
import { BadRequest, EfsError, ValidationException } from "../errors.js";
import type { Tag } from "./types.js";

export const UINT32_MAX = 4294967295;

export const ROOT_PATH = /^(\/|(\/(?!\.)+[^$#<>;`|&?{}^*/\n]+){1,4})$/;
export const PERMISSIONS = /^[0-7]{3,4}$/;
export const SUBNET_ID = /^subnet-[0-9a-f]{8,40}$/;
export const SECURITY_GROUP_ID = /^sg-[0-9a-f]{8,40}$/;
export const IPV4 = /^[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}$/;
export const KMS_KEY_ID =
  /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32}|alias\/[a-zA-Z0-9/_-]+|(arn:aws[-a-z]*:kms:[a-z0-9-]+:\d{12}:((key\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})|(key\/mrk-[0-9a-f]{32})|(alias\/[a-zA-Z0-9/_-]+))))$/;
const TAG_KEY = /^(?![aA][wW][sS]:)([\p{L}\p{Z}\p{N}_.:/=+\-@]+)$/u;
const TAG_VALUE = /^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$/u;

function invalid(value: unknown, member: string, constraint: string): EfsError {
  const shown = typeof value === "string" ? value : JSON.stringify(value);
  return new ValidationException(`1 validation error detected: Value '${shown}' at '${member}' failed to satisfy constraint: ${constraint}`);
}

export function checkPattern(value: string, member: string, pattern: RegExp): void {
  if (!pattern.test(value)) throw invalid(value, member, `Member must satisfy regular expression pattern: ${pattern.source}`);
}

export function checkLength(value: string, member: string, min: number, max: number): void {
  if (value.length < min) throw invalid(value, member, `Member must have length greater than or equal to ${min}`);
  if (value.length > max) throw invalid(value, member, `Member must have length less than or equal to ${max}`);
}

export function checkRange(value: number, member: string, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min) throw invalid(value, member, `Member must have value greater than or equal to ${min}`);
  if (value > max) throw invalid(value, member, `Member must have value less than or equal to ${max}`);
}

export function checkToken(value: string, member: string): void {
  checkLength(value, member, 1, 64);
  if (!/^[\x20-\x7e]+$/.test(value)) throw invalid(value, member, "Member must be printable ASCII");
}

export function checkTags(tags: Tag[], member = "tags", limit?: number): void {
  tags.forEach((t, i) => {
    checkLength(t.Key, `${member}.${i + 1}.member.key`, 1, 128);
    checkPattern(t.Key, `${member}.${i + 1}.member.key`, TAG_KEY);
    checkLength(t.Value, `${member}.${i + 1}.member.value`, 0, 256);
    checkPattern(t.Value, `${member}.${i + 1}.member.value`, TAG_VALUE);
  });
  const keys = new Set(tags.map((t) => t.Key));
  if (keys.size !== tags.length) throw new BadRequest("Tag keys must be unique within one request.");
  if (limit !== undefined && tags.length > limit) throw new BadRequest(`A resource can have at most ${limit} tags; the request would give it ${tags.length}.`);
}

/** RootDirectory.Path: AWS's pattern (≤4 levels, no component starting with "."), ≤100 characters, no NUL. */
export function checkRootPath(path: string): void {
  checkLength(path, "rootDirectory.path", 1, 100);
  checkPattern(path, "rootDirectory.path", ROOT_PATH);
  if (path.includes("\0") || path.split("/").some((c) => c === ".." || c === ".")) throw invalid(path, "rootDirectory.path", "Member must not contain '.' or '..' components");
}

/** Splits a validated absolute path into its components ("/" → []). */
export function pathComponents(path: string): string[] {
  return path.split("/").filter((c) => c !== "");
}

/** Name tag value, as EFS reports it in the Name field. */
export function nameOf(tags: Tag[]): string | undefined {
  return tags.find((t) => t.Key === "Name")?.Value;
}
