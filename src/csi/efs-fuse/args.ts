/**
 * Turns mount options into the daemon's argument vector, validating every field first: the values
 * end up in argv (never a shell) and, for fsName, inside mount(2) options, so they must not be able
 * to smuggle flags or extra options.
 */
import { isAbsolute, normalize } from "node:path";
import type { MountEfsFuseOptions } from "./types.js";

const FS_NAME = /^[A-Za-z0-9:._/-]{1,128}$/;
const MAX_GROUPS = 32;

export class EfsFuseOptionError extends Error {
  override name = "EfsFuseOptionError";
}

function checkId(field: string, v: unknown): number {
  // 2^32-1 is "no change" to the kernel, never a real identity.
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v >= 0xffffffff) {
    throw new EfsFuseOptionError(`${field} must be an integer id in [0, 4294967294], got ${String(v)}`);
  }
  return v;
}

/** An absolute, already-normal path without control characters (they would garble mountinfo). */
export function checkPath(field: string, p: unknown): string {
  if (typeof p !== "string" || p.length === 0 || p.length > 4096) throw new EfsFuseOptionError(`${field} must be a non-empty path`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(p)) throw new EfsFuseOptionError(`${field} contains control characters`);
  if (!isAbsolute(p)) throw new EfsFuseOptionError(`${field} must be absolute: ${p}`);
  if (p.split("/").includes("..")) throw new EfsFuseOptionError(`${field} must not contain "..": ${p}`);
  const n = normalize(p);
  return n.length > 1 && n.endsWith("/") ? n.slice(0, -1) : n;
}

/** Argument vector for efs-fuse (without the program itself). statsFile must already be decided. */
export function buildEfsFuseArgs(o: MountEfsFuseOptions & { statsFile: string }): string[] {
  const args = ["--source", checkPath("source", o.source), "--target", checkPath("target", o.target)];
  if ((o.uid === undefined) !== (o.gid === undefined)) throw new EfsFuseOptionError("uid and gid go together");
  if (o.uid !== undefined && o.gid !== undefined) {
    args.push("--uid", String(checkId("uid", o.uid)), "--gid", String(checkId("gid", o.gid)));
    if (o.groups && o.groups.length > 0) {
      if (o.groups.length > MAX_GROUPS) throw new EfsFuseOptionError(`at most ${MAX_GROUPS} groups`);
      args.push("--groups", o.groups.map((g, i) => checkId(`groups[${i}]`, g)).join(","));
    }
  } else if (o.groups && o.groups.length > 0) {
    throw new EfsFuseOptionError("groups need uid and gid");
  }
  if (o.squashRoot) {
    args.push("--squash-root");
    if (o.squashUid !== undefined) args.push("--squash-uid", String(checkId("squashUid", o.squashUid)));
    if (o.squashGid !== undefined) args.push("--squash-gid", String(checkId("squashGid", o.squashGid)));
  } else if (o.squashUid !== undefined || o.squashGid !== undefined) {
    throw new EfsFuseOptionError("squashUid/squashGid need squashRoot");
  }
  if (o.readOnly) args.push("--ro");
  if (typeof o.fsName !== "string" || !FS_NAME.test(o.fsName)) {
    throw new EfsFuseOptionError(`fsName may only contain letters, digits and : . _ - / (got ${JSON.stringify(o.fsName)})`);
  }
  args.push("--fsname", o.fsName, "--stats", checkPath("statsFile", o.statsFile));
  args.push("--passthrough", o.passthrough === false ? "off" : "auto");
  return args;
}
