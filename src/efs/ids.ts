/**
 * Resource IDs and ARNs as EFS makes and accepts them. New IDs are the "long" form, prefix + 17
 * lowercase hex (`fs-0123456789abcdef0`); input accepts 8–40 hex digits, which covers the older
 * 8-hex IDs used in guides (`fs-12345678`). Where AWS accepts an ARN in place of an ID, so do we;
 * an ARN naming another region or account resolves to nothing (the caller reports not-found).
 */
import { randomBytes } from "node:crypto";

export const FS_ID = /^fs-[0-9a-f]{8,40}$/;
export const AP_ID = /^fsap-[0-9a-f]{8,40}$/;
export const MT_ID = /^fsmt-[0-9a-f]{8,40}$/;
export const MOUNT_ID = /^mount-[0-9a-f]{17}$/;

/** AWS's patterns for FileSystemId / AccessPointId members, quoted in ValidationException messages. */
export const FS_ID_OR_ARN =
  /^(arn:aws[-a-z]*:elasticfilesystem:[0-9a-z-:]+:file-system\/fs-[0-9a-f]{8,40}|fs-[0-9a-f]{8,40})$/;
export const AP_ID_OR_ARN =
  /^(arn:aws[-a-z]*:elasticfilesystem:[0-9a-z-:]+:access-point\/fsap-[0-9a-f]{8,40}|fsap-[0-9a-f]{8,40})$/;
/** ResourceId of the tagging operations: a file system or access point, by ID or ARN. */
export const RESOURCE_ID_OR_ARN =
  /^(arn:aws[-a-z]*:elasticfilesystem:[0-9a-z-:]+:(file-system\/fs|access-point\/fsap)-[0-9a-f]{8,40}|fs(ap)?-[0-9a-f]{8,40})$/;

export type IdKind = "fs" | "fsap" | "fsmt" | "mount";

/** A fresh long-form ID; `taken` lets the caller retry on the (astronomically unlikely) collision. */
export function newId(kind: IdKind, taken: (id: string) => boolean = () => false): string {
  for (;;) {
    const id = `${kind}-${randomBytes(9).toString("hex").slice(0, 17)}`;
    if (!taken(id)) return id;
  }
}

export interface Scope {
  region: string;
  accountId: string;
}

export function fileSystemArn(scope: Scope, id: string): string {
  return `arn:aws:elasticfilesystem:${scope.region}:${scope.accountId}:file-system/${id}`;
}

export function accessPointArn(scope: Scope, id: string): string {
  return `arn:aws:elasticfilesystem:${scope.region}:${scope.accountId}:access-point/${id}`;
}

/**
 * Reduces an ID-or-ARN (already checked against its pattern) to the bare ID. Returns undefined when an
 * ARN names another partition's region or account, which no resource here can match.
 */
export function bareId(scope: Scope, idOrArn: string): string | undefined {
  if (!idOrArn.startsWith("arn:")) return idOrArn;
  const parts = idOrArn.split(":");
  // arn : partition : service : region : account : type/id
  if (parts.length !== 6) return undefined;
  const [, , , region, account, resource] = parts;
  if (region !== scope.region || account !== scope.accountId) return undefined;
  return resource.slice(resource.indexOf("/") + 1);
}
