/**
 * The audit log: one audit.k8s.io/v1 Event per write (create, update, patch, delete,
 * deletecollection) and per exec/attach, at level Metadata (never request or response bodies:
 * secrets must not leak into the log), appended as JSON lines.
 *
 * Rotated as kube-apiserver's (lumberjack): past `maxSizeBytes` (100 MiB, its default) the file is
 * renamed `audit-<UTC time>-<n>.log` beside it and a new one started. Unlike upstream's default (keep
 * every backup) only the newest `maxBackups` are kept: lease renewals alone write tens of MB a day.
 */
import { createWriteStream, openSync, readdirSync, renameSync, statSync, unlinkSync, type WriteStream } from "node:fs";
import { basename, dirname, extname, join } from "node:path";
import { randomUUID } from "node:crypto";
import type { RequestInfo } from "./request-info.js";
import type { UserInfo } from "../registry/admission.js";

const AUDITED_VERBS = new Set(["create", "update", "patch", "delete", "deletecollection"]);

export interface AuditEntry {
  info: RequestInfo;
  user: UserInfo | undefined;
  code: number;
  uri: string;
  sourceIp: string;
  userAgent: string;
  received: Date;
}

export interface AuditLogOptions {
  maxSizeBytes?: number;
  maxBackups?: number;
}

export class AuditLog {
  private out: WriteStream;
  private size: number;
  private readonly maxSizeBytes: number;
  private readonly maxBackups: number;

  constructor(private readonly path: string, opts: AuditLogOptions = {}) {
    this.maxSizeBytes = opts.maxSizeBytes ?? 100 * 1024 * 1024;
    this.maxBackups = opts.maxBackups ?? 10;
    this.size = sizeOf(path);
    this.out = openAppend(path);
  }

  static shouldAudit(info: RequestInfo): boolean {
    return info.isResourceRequest && (AUDITED_VERBS.has(info.verb) || info.subresource === "exec" || info.subresource === "attach");
  }

  record(e: AuditEntry): void {
    const apiVersion = e.info.group ? `${e.info.group}/${e.info.version}` : e.info.version;
    const event = {
      kind: "Event",
      apiVersion: "audit.k8s.io/v1",
      level: "Metadata",
      auditID: randomUUID(),
      stage: "ResponseComplete",
      requestURI: e.uri,
      verb: e.info.verb,
      user: e.user ? { username: e.user.name, groups: e.user.groups } : { username: "system:anonymous", groups: ["system:unauthenticated"] },
      sourceIPs: [e.sourceIp],
      userAgent: e.userAgent,
      objectRef: {
        resource: e.info.resource, namespace: e.info.namespace || undefined, name: e.info.name || undefined,
        apiGroup: e.info.group || undefined, apiVersion, subresource: e.info.subresource || undefined,
      },
      responseStatus: { metadata: {}, code: e.code },
      requestReceivedTimestamp: e.received.toISOString(),
      stageTimestamp: new Date().toISOString(),
    };
    const line = JSON.stringify(event) + "\n";
    const bytes = Buffer.byteLength(line);
    if (this.size > 0 && this.size + bytes > this.maxSizeBytes) this.rotate();
    this.size += bytes;
    this.out.write(line);
  }

  /** Lines still buffered go to the renamed file: the stream keeps its descriptor. */
  private rotate(): void {
    const ext = extname(this.path);
    const stem = basename(this.path, ext);
    const stamp = new Date().toISOString().replace(/:/g, "-").replace("Z", "");
    // Two rotations within a millisecond must not overwrite the first backup; names sort by age.
    // The counter follows the newest backup of this millisecond, never a freed lower number: a
    // reused number would sort as the oldest backup and be pruned at once.
    const prefix = `${stem}-${stamp}-`;
    const taken = readdirSync(dirname(this.path))
      .filter((f) => f.startsWith(prefix) && f.endsWith(ext))
      .map((f) => Number(f.slice(prefix.length, f.length - ext.length)))
      .filter((n) => Number.isInteger(n));
    const target = join(dirname(this.path), `${prefix}${String(taken.length ? Math.max(...taken) + 1 : 0).padStart(4, "0")}${ext}`);
    try {
      renameSync(this.path, target);
    } catch {
      return; // keep appending to the current file rather than lose lines
    }
    this.out.end();
    this.out = openAppend(this.path);
    this.size = 0;
    const backups = readdirSync(dirname(this.path))
      .filter((f) => f.startsWith(`${stem}-`) && f.endsWith(ext) && /^\d{4}-\d{2}-\d{2}T/.test(f.slice(stem.length + 1)))
      .sort();
    for (const old of backups.slice(0, Math.max(0, backups.length - this.maxBackups))) {
      try {
        unlinkSync(join(dirname(this.path), old));
      } catch {
        // already gone
      }
    }
  }

  close(): Promise<void> {
    return new Promise((r) => this.out.end(r));
  }
}

/** Opened now, not on a later tick, so the file exists as soon as this returns (rotation renames it). */
function openAppend(path: string): WriteStream {
  return createWriteStream(path, { fd: openSync(path, "a", 0o600) });
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
