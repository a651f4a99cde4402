/**
 * The slice of the EFS API the controller uses, over the real `@aws-sdk/client-efs` client (so the
 * same code talks to Cistern's EFS service or to AWS: endpoint, region and credentials are
 * configuration). Answers are reduced to plain records; AWS errors keep their names so callers can
 * map them to CSI codes with `efsFailure`.
 */
import {
  CreateAccessPointCommand,
  DeleteAccessPointCommand,
  DescribeAccessPointsCommand,
  DescribeFileSystemsCommand,
  type AccessPointDescription,
  type EFSClient,
} from "@aws-sdk/client-efs";
import type { ListedAccessPoint } from "./gid-allocator.js";
import { csiError, type CsiError } from "./spec.js";

export interface CreateAccessPointInput {
  clientToken: string;
  fileSystemId: string;
  uid: number;
  gid: number;
  rootPath: string;
  permissions: string;
  tags: Record<string, string>;
}

export type CreateAccessPointResult = { created: ListedAccessPoint } | { alreadyExists: string | undefined };

/** The AWS error name of a failed call ("AccessPointNotFound"…), or undefined for non-AWS failures. */
export function awsErrorName(e: unknown): string | undefined {
  if (typeof e !== "object" || e === null) return undefined;
  const meta = (e as { $metadata?: unknown }).$metadata;
  const name = (e as { name?: unknown }).name;
  return meta !== undefined && typeof name === "string" ? name : undefined;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Map an EFS failure to the CSI code upstream uses (or a better one for throttling and limits). */
export function efsFailure(e: unknown, what: string): CsiError {
  const name = awsErrorName(e);
  switch (name) {
    case "AccessDeniedException":
      return csiError("Unauthenticated", `Access Denied. Please ensure you have the right AWS permissions: ${message(e)}`);
    case "ThrottlingException":
    case "TooManyRequests":
      return csiError("Unavailable", `${what}: EFS is throttling requests: ${message(e)}`);
    case "AccessPointLimitExceeded":
      return csiError("ResourceExhausted", `${what}: ${message(e)}`);
    case undefined:
      return csiError("Unavailable", `${what}: cannot reach EFS: ${message(e)}`);
    default:
      return csiError("Internal", `${what}: ${name}: ${message(e)}`);
  }
}

function toListed(ap: AccessPointDescription): ListedAccessPoint {
  const tags: Record<string, string> = {};
  for (const t of ap.Tags ?? []) if (t.Key !== undefined) tags[t.Key] = t.Value ?? "";
  return {
    accessPointId: ap.AccessPointId ?? "",
    fileSystemId: ap.FileSystemId ?? "",
    clientToken: ap.ClientToken,
    rootPath: ap.RootDirectory?.Path ?? "/",
    posixUser: ap.PosixUser?.Uid !== undefined && ap.PosixUser.Gid !== undefined ? { uid: ap.PosixUser.Uid, gid: ap.PosixUser.Gid } : undefined,
    tags,
  };
}

export class EfsApi {
  constructor(private readonly client: EFSClient) {}

  /** Every access point of the file system (all pages, 1000 per page as upstream). */
  async listAccessPoints(fileSystemId: string): Promise<ListedAccessPoint[]> {
    const out: ListedAccessPoint[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(new DescribeAccessPointsCommand({ FileSystemId: fileSystemId, MaxResults: 1000, NextToken: token }));
      for (const ap of page.AccessPoints ?? []) out.push(toListed(ap));
      token = page.NextToken;
    } while (token);
    return out;
  }

  /** The access point, or undefined when EFS says it does not exist. */
  async describeAccessPoint(accessPointId: string): Promise<ListedAccessPoint | undefined> {
    try {
      const res = await this.client.send(new DescribeAccessPointsCommand({ AccessPointId: accessPointId }));
      const ap = res.AccessPoints?.[0];
      return ap ? toListed(ap) : undefined;
    } catch (e) {
      if (awsErrorName(e) === "AccessPointNotFound") return undefined;
      throw e;
    }
  }

  /** True if the file system exists. */
  async fileSystemExists(fileSystemId: string): Promise<boolean> {
    try {
      await this.client.send(new DescribeFileSystemsCommand({ FileSystemId: fileSystemId }));
      return true;
    } catch (e) {
      if (awsErrorName(e) === "FileSystemNotFound") return false;
      throw e;
    }
  }

  async createAccessPoint(input: CreateAccessPointInput): Promise<CreateAccessPointResult> {
    try {
      const res = await this.client.send(
        new CreateAccessPointCommand({
          ClientToken: input.clientToken,
          FileSystemId: input.fileSystemId,
          PosixUser: { Uid: input.uid, Gid: input.gid },
          RootDirectory: {
            Path: input.rootPath,
            CreationInfo: { OwnerUid: input.uid, OwnerGid: input.gid, Permissions: input.permissions },
          },
          Tags: Object.entries(input.tags).map(([Key, Value]) => ({ Key, Value })),
        }),
      );
      return { created: toListed(res) };
    } catch (e) {
      if (awsErrorName(e) === "AccessPointAlreadyExists") {
        return { alreadyExists: (e as { AccessPointId?: string }).AccessPointId };
      }
      throw e;
    }
  }

  /** False when the access point was already gone. */
  async deleteAccessPoint(accessPointId: string): Promise<boolean> {
    try {
      await this.client.send(new DeleteAccessPointCommand({ AccessPointId: accessPointId }));
      return true;
    } catch (e) {
      if (awsErrorName(e) === "AccessPointNotFound") return false;
      throw e;
    }
  }
}
