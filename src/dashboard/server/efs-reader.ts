/**
 * Reads the EFS service on the dashboard's behalf: the usage report (GET /cistern/v1/usage) and
 * the Prometheus metrics (GET /metrics), each SigV4-signed with the cluster's EFS credentials as
 * every EFS client signs (the signer is the AWS SDK's own). /metrics may instead be guarded by a
 * bearer token (`cistern up` guards it with the admin token); `metricsAuthorization` carries it.
 * Every call has a deadline and a size cap, so a stuck or runaway service cannot hold the sampler.
 */
import https from "node:https";
import http from "node:http";
import { Sha256 } from "@aws-crypto/sha256-js";
import { SignatureV4 } from "@smithy/signature-v4";
import type { EfsUsageReport } from "../model/usage-types.js";
import { checkUsageReport } from "./usage-report-check.js";

export interface EfsAccess {
  /** https://host:port of the EFS API. */
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Extra CA certificate(s) to trust for the endpoint (PEM). */
  ca?: string;
  /** Authorization header value for GET /metrics when the service guards it with a token (e.g. "Bearer …"). */
  metricsAuthorization?: string;
  /** Per-request deadline (default 10 s). */
  timeoutMs?: number;
}

export interface EfsReader {
  usage(): Promise<EfsUsageReport>;
  metricsText(): Promise<string>;
}

const MAX_BODY = 32 * 1024 * 1024;

export function createEfsReader(o: EfsAccess): EfsReader {
  const base = new URL(o.endpoint);
  if (base.protocol !== "https:" && base.protocol !== "http:") throw new Error(`EFS endpoint must be http(s): ${o.endpoint}`);
  const signer = new SignatureV4({ credentials: o.credentials, region: o.region, service: "elasticfilesystem", sha256: Sha256 });
  const lib = base.protocol === "https:" ? https : http;
  const port = base.port ? Number(base.port) : undefined;

  async function get(path: string, bearer?: string): Promise<{ status: number; body: string }> {
    const headers: Record<string, string> = { host: base.host };
    if (bearer) {
      headers.authorization = bearer;
    } else {
      const signed = await signer.sign({ method: "GET", protocol: base.protocol, hostname: base.hostname, port, path, query: {}, headers });
      Object.assign(headers, signed.headers);
    }
    return new Promise((resolve, reject) => {
      const req = lib.request({ host: base.hostname, port, method: "GET", path, headers, ca: o.ca, timeout: o.timeoutMs ?? 10_000 }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (d: Buffer) => {
          size += d.length;
          if (size > MAX_BODY) req.destroy(new Error(`EFS ${path}: response larger than ${MAX_BODY} bytes`));
          else chunks.push(d);
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      });
      req.on("timeout", () => req.destroy(new Error(`EFS ${path}: no answer within ${o.timeoutMs ?? 10_000} ms`)));
      req.on("error", reject);
      req.end();
    });
  }

  const failed = (path: string, r: { status: number; body: string }) => new Error(`EFS ${path} answered ${r.status}: ${r.body.slice(0, 200)}`);

  return {
    async usage() {
      const r = await get("/cistern/v1/usage");
      if (r.status !== 200) throw failed("/cistern/v1/usage", r);
      return checkUsageReport(JSON.parse(r.body));
    },
    async metricsText() {
      const r = await get("/metrics", o.metricsAuthorization);
      if (r.status !== 200) throw failed("/metrics", r);
      return r.body;
    },
  };
}
