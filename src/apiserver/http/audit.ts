/**
 * The audit log: one audit.k8s.io/v1 Event per write (create, update, patch, delete,
 * deletecollection) and per exec/attach, at level Metadata (never request or response bodies:
 * secrets must not leak into the log), appended as JSON lines.
 */
import { createWriteStream, type WriteStream } from "node:fs";
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

export class AuditLog {
  private out: WriteStream;

  constructor(path: string) {
    this.out = createWriteStream(path, { flags: "a", mode: 0o600 });
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
    this.out.write(JSON.stringify(event) + "\n");
  }

  close(): Promise<void> {
    return new Promise((r) => this.out.end(r));
  }
}
