/**
 * Client for Cistern's EFS mount extension (not part of AWS's API): the data plane's control call
 * that authorises a client mount against the file system policy and names the local directory to
 * serve. Requests are SigV4-signed for `elasticfilesystem` with the same credentials the SDK client
 * uses. Error replies carry `x-amzn-ErrorType` like every EFS error.
 */
import * as http from "node:http";
import * as https from "node:https";
import { Sha256 } from "@aws-crypto/sha256-js";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";

/** Static credentials or a provider of them (what the SDK client resolves). */
export type SignerCredentials = ConstructorParameters<typeof SignatureV4>[0]["credentials"];

export interface MountRequest {
  FileSystemId: string;
  AccessPointId?: string;
  Path?: string;
  PrincipalArn?: string;
  SecureTransport: boolean;
  ReadOnly?: boolean;
  NodeId?: string;
}

export interface MountReply {
  MountId: string;
  FileSystemId: string;
  AccessPointId?: string;
  HostPath: string;
  ReadOnly: boolean;
  RootSquash: boolean;
  PosixUser?: { Uid: number; Gid: number; SecondaryGids?: number[] };
}

export interface IoReport {
  DataReadIOBytes: number;
  DataWriteIOBytes: number;
  MetadataIOBytes: number;
  DataReadOps: number;
  DataWriteOps: number;
  MetadataOps: number;
}

/** A non-2xx answer from the extension: `code` is the AWS error name (x-amzn-ErrorType). */
export class MountExtensionError extends Error {
  override name = "MountExtensionError";
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface MountExtensionOptions {
  /** The EFS endpoint, e.g. http://127.0.0.1:8443. */
  endpoint: string;
  region: string;
  credentials: SignerCredentials;
  /** Extra CA for an https endpoint with a private certificate. */
  caPem?: string;
  timeoutMs?: number;
}

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export class MountExtensionClient {
  private readonly signer: SignatureV4;
  private readonly base: URL;
  private readonly agent: http.Agent;

  constructor(private readonly opts: MountExtensionOptions) {
    this.base = new URL(opts.endpoint);
    if (this.base.protocol !== "http:" && this.base.protocol !== "https:") throw new Error(`EFS endpoint must be http(s): ${opts.endpoint}`);
    this.signer = new SignatureV4({ credentials: opts.credentials, region: opts.region, service: "elasticfilesystem", sha256: Sha256 });
    this.agent = this.base.protocol === "https:" ? new https.Agent({ keepAlive: true, ca: opts.caPem }) : new http.Agent({ keepAlive: true });
  }

  async mount(req: MountRequest): Promise<MountReply> {
    const r = await this.call("POST", "/cistern/v1/mounts", req);
    return JSON.parse(r.body) as MountReply;
  }

  /** Active mounts, narrowed by file system and/or node. */
  async list(query: { FileSystemId?: string; NodeId?: string }): Promise<{ MountId: string; NodeId?: string }[]> {
    const q = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined)) as Record<string, string>;
    const r = await this.call("GET", "/cistern/v1/mounts", undefined, q);
    return (JSON.parse(r.body) as { Mounts?: { MountId: string; NodeId?: string }[] }).Mounts ?? [];
  }

  /** Release a mount; false if the service no longer knew it (already released). */
  async release(mountId: string): Promise<boolean> {
    try {
      await this.call("DELETE", `/cistern/v1/mounts/${encodeURIComponent(mountId)}`);
      return true;
    } catch (e) {
      if (e instanceof MountExtensionError && e.code === "MountNotFound") return false;
      throw e;
    }
  }

  async reportIo(mountId: string, io: IoReport): Promise<void> {
    await this.call("POST", `/cistern/v1/mounts/${encodeURIComponent(mountId)}/io`, io);
  }

  close(): void {
    this.agent.destroy();
  }

  private async call(method: string, path: string, body?: unknown, query: Record<string, string> = {}): Promise<Reply> {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { host: this.base.host };
    if (text !== undefined) headers["content-type"] = "application/json";
    const signed = await this.signer.sign(
      new HttpRequest({
        method,
        protocol: this.base.protocol,
        hostname: this.base.hostname,
        port: this.base.port ? Number(this.base.port) : undefined,
        path,
        query,
        headers,
        body: text,
      }),
    );
    const qs = new URLSearchParams(query).toString();
    const reply = await this.send(method, qs ? `${path}?${qs}` : path, signed.headers as Record<string, string>, text);
    if (reply.status >= 200 && reply.status < 300) return reply;
    const rawType = reply.headers["x-amzn-errortype"];
    let code = (Array.isArray(rawType) ? rawType[0] : rawType)?.split(":")[0];
    let msg = reply.body;
    try {
      const parsed = JSON.parse(reply.body) as { ErrorCode?: string; Message?: string; message?: string };
      code ??= parsed.ErrorCode;
      msg = parsed.Message ?? parsed.message ?? msg;
    } catch {
      // not JSON: keep the raw text
    }
    throw new MountExtensionError(code ?? `HTTP${reply.status}`, reply.status, msg);
  }

  private send(method: string, path: string, headers: Record<string, string>, body?: string): Promise<Reply> {
    const mod = this.base.protocol === "https:" ? https : http;
    return new Promise((resolve, reject) => {
      const req = mod.request(
        { method, host: this.base.hostname, port: this.base.port || undefined, path, headers, agent: this.agent, timeout: this.opts.timeoutMs ?? 30_000 },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
          res.on("error", reject);
        },
      );
      req.on("timeout", () => req.destroy(new Error(`EFS mount extension ${method} ${path} timed out`)));
      req.on("error", reject);
      req.end(body);
    });
  }
}
