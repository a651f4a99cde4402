/**
 * Cistern's EFS service in this process, spoken to over raw HTTP with requests signed by the AWS
 * SDK's own signer — so malformed JSON, odd methods, hostile query strings and path segments reach
 * the service's handlers instead of being stopped by a client library. Also: a snapshot of every
 * resource the service holds and of the data directory, to show a refused request changed nothing.
 */
import http from "node:http";
import { lstatSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Sha256 } from "@aws-crypto/sha256-js";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { startEfsService, type EfsService } from "../../../src/efs/index.js";
import { createLogger } from "../../../src/lib/log.js";
import { sendRaw } from "./raw-request.js";

export const REGION = "us-east-1";

export interface EfsReply {
  status: number;
  /** The request head exceeded Node's limit: the HTTP parser answered (400/431, no body) before the service. */
  oversizeHead?: boolean;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: any;
}

export interface SignOptions {
  /** Sign with this secret instead of the service's. */
  secret?: string;
  signingDate?: Date;
  /** Change the request after signing (tampering). */
  tamper?: (r: { method: string; path: string; query: string; headers: Record<string, string>; body: string }) => void;
}

export interface EfsTarget {
  svc: EfsService;
  dataDir: string;
  /** A signed request; `query` values are sent exactly as the signer canonicalised them. */
  send(method: string, path: string, query: Record<string, string | string[]>, body: string | undefined, o?: SignOptions): Promise<EfsReply>;
  /** Everything the service holds, as one string. */
  snapshot(): string;
  /** The snapshot once no resource is in a transitional state (creating → available happens on a later tick). */
  settledSnapshot(): Promise<string>;
  close(): Promise<void>;
}

/** RFC 3986 encoding, as the SigV4 signer canonicalises query components. */
export function rfc3986(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function tree(dir: string, depth = 0, out: string[] = []): string[] {
  if (depth > 8) return out;
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return out;
  }
  for (const n of names) {
    const p = join(dir, n);
    const st = lstatSync(p);
    out.push(`${p}:${st.isDirectory() ? "d" : st.isSymbolicLink() ? "l" : "f"}:${st.mode.toString(8)}:${st.uid}:${st.gid}`);
    if (st.isDirectory()) tree(p, depth + 1, out);
  }
  return out;
}

export async function startEfsTarget(): Promise<EfsTarget> {
  const dir = mkdtempSync(join(tmpdir(), "cistern-fuzz-efs-"));
  const dataDir = join(dir, "data");
  const svc = await startEfsService({
    dataDir, host: "127.0.0.1", port: 0, region: REGION, accountId: "123456789012", log: createLogger("efs-fuzz"),
    meteringIntervalMs: 3_600_000, preCreateFileSystemIds: ["fs-12345678"],
  });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const base = new URL(svc.url);

  async function send(method: string, path: string, query: Record<string, string | string[]>, body: string | undefined, o: SignOptions = {}): Promise<EfsReply> {
    const signer = new SignatureV4({
      credentials: { accessKeyId: svc.credentials.accessKeyId, secretAccessKey: o.secret ?? svc.credentials.secretAccessKey },
      region: REGION, service: "elasticfilesystem", sha256: Sha256,
    });
    const signed = await signer.sign(
      new HttpRequest({ method, hostname: base.hostname, port: Number(base.port), path, query, headers: { host: base.host, ...(body !== undefined ? { "content-type": "application/json" } : {}) }, body }),
      o.signingDate ? { signingDate: o.signingDate } : undefined,
    );
    const wire = {
      method, path, body: body ?? "", headers: { ...(signed.headers as Record<string, string>) },
      query: Object.entries(query).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => `${rfc3986(k)}=${rfc3986(x)}`)).join("&"),
    };
    o.tamper?.(wire);
    // Always framed: Node sends a GET/OPTIONS body unframed otherwise, and the server reads it as the next request.
    wire.headers["content-length"] = String(Buffer.byteLength(wire.body));
    const options = { host: base.hostname, port: base.port, method: wire.method, path: wire.path + (wire.query ? `?${wire.query}` : ""), headers: wire.headers, agent };
    const answer = await sendRaw(http.request, options, wire.body === "" ? undefined : wire.body, `${method} ${path}`);
    const head = wire.path.length + wire.query.length + Object.entries(wire.headers).reduce((n, [k, v]) => n + k.length + v.length + 4, 100);
    return { ...answer, oversizeHead: head > http.maxHeaderSize };
  }

  function snapshot(): string {
    const m = svc.model;
    const fileSystems = [];
    let marker: string | undefined;
    do {
      const page = m.fileSystems.describe({ marker, maxItems: 100 });
      fileSystems.push(...page.items);
      marker = page.next;
    } while (marker);
    const perFs = fileSystems.map((fs) => {
      const mts = [];
      let mk: string | undefined;
      do {
        const page = m.mountTargets.describe({ fileSystemId: fs.id, marker: mk, maxItems: 100 });
        mts.push(...page.items);
        mk = page.next;
      } while (mk);
      let policy: unknown;
      try {
        policy = m.policies.describe(fs.id);
      } catch {
        policy = null;
      }
      return { accessPoints: m.accessPointsOf(fs.id), mountTargets: mts, policy };
    });
    return JSON.stringify({ fileSystems, perFs, mounts: m.mounts.list(), disk: tree(join(dataDir, "fs")) });
  }

  async function settledSnapshot(): Promise<string> {
    for (let i = 0; i < 200; i++) {
      const snap = snapshot();
      if (!/"state":"(creating|updating|deleting)"/.test(snap)) return snap;
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error("EFS resources stayed in a transitional state for a second");
  }

  await settledSnapshot();
  return {
    svc, dataDir, send, snapshot, settledSnapshot,
    async close() {
      agent.destroy();
      await svc.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
