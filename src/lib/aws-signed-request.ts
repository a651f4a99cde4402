/**
 * One SigV4-signed JSON request to an AWS-style REST endpoint (used for Cistern's EFS extension
 * calls, which the AWS SDK does not model). Signing is @smithy/signature-v4, the SDK's own signer.
 */
import https from "node:https";
import http from "node:http";
import { Sha256 } from "@aws-crypto/sha256-js";
import { SignatureV4 } from "@smithy/signature-v4";

export interface SignedRequestOptions {
  endpoint: string;
  region: string;
  service: string;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  method: "GET" | "POST" | "PUT" | "DELETE";
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  /** Extra CA certificates to trust (PEM). */
  ca?: string;
  timeoutMs?: number;
}

export interface SignedResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

export async function signedJsonRequest(o: SignedRequestOptions): Promise<SignedResponse> {
  const url = new URL(o.endpoint);
  const body = o.body === undefined ? undefined : JSON.stringify(o.body);
  const headers: Record<string, string> = { host: url.host };
  if (body !== undefined) headers["content-type"] = "application/json";
  const signer = new SignatureV4({ credentials: o.credentials, region: o.region, service: o.service, sha256: Sha256 });
  const signed = await signer.sign({
    method: o.method, protocol: url.protocol, hostname: url.hostname, port: url.port ? Number(url.port) : undefined,
    path: o.path, query: o.query ?? {}, headers, body,
  });
  const qs = new URLSearchParams(o.query ?? {}).toString();
  const lib = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request({
      host: url.hostname, port: url.port, method: o.method, path: o.path + (qs ? `?${qs}` : ""),
      headers: signed.headers as Record<string, string>, ca: o.ca, timeout: o.timeoutMs ?? 30_000,
    }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (text += d));
      res.on("end", () => {
        let parsed: unknown = text;
        try {
          parsed = text ? JSON.parse(text) : undefined;
        } catch {
          // not JSON: keep the text
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed });
      });
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`request to ${o.endpoint}${o.path} timed out`)));
    req.on("error", reject);
    req.end(body);
  });
}
