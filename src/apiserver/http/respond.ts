/**
 * Writing responses: JSON bodies, Status errors (the only error shape kubectl understands),
 * gzip when the client accepts it and the body is large enough to benefit.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { gzipSync } from "node:zlib";
import { StatusError, type StatusObject } from "../../api/status.js";

const GZIP_MIN = 128 * 1024;

export function sendJson(req: IncomingMessage, res: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}, contentType = "application/json"): void {
  sendJsonBytes(req, res, code, Buffer.from(JSON.stringify(body)), headers, contentType);
}

/** sendJson for a body that is already serialised. */
export function sendJsonBytes(req: IncomingMessage, res: ServerResponse, code: number, json: Buffer, headers: Record<string, string> = {}, contentType = "application/json"): void {
  let data = json;
  const h: Record<string, string | number> = { "Content-Type": contentType, "Cache-Control": "no-cache, private", ...headers };
  if (data.length >= GZIP_MIN && /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""))) {
    data = gzipSync(data, { level: 1 });
    h["Content-Encoding"] = "gzip";
  }
  h["Content-Length"] = data.length;
  res.writeHead(code, h);
  res.end(req.method === "HEAD" ? undefined : data);
}

export function sendStatus(req: IncomingMessage, res: ServerResponse, err: StatusError): void {
  const status: StatusObject = err.toStatus();
  const headers: Record<string, string> = {};
  if (err.details?.retryAfterSeconds) headers["Retry-After"] = String(err.details.retryAfterSeconds);
  if (res.headersSent) {
    res.end();
    return;
  }
  sendJson(req, res, err.code, status, headers);
}

export function successStatus(details?: Record<string, unknown>): StatusObject {
  const s: StatusObject = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 200 };
  if (details) s.details = details;
  return s;
}

/** RFC 7234 warning headers as kube-apiserver sends them (kubectl prints "Warning: …"). */
/** Warning headers stay small, as upstream's: each message at most 256 characters, 4 KiB in all. */
const MAX_WARNING_CHARS = 256;
const MAX_WARNING_BYTES = 4096;

export function warningHeaders(warnings: string[]): Record<string, string> {
  if (warnings.length === 0) return {};
  const parts: string[] = [];
  let bytes = 0;
  for (const w of warnings) {
    const text = w.length > MAX_WARNING_CHARS ? `${w.slice(0, MAX_WARNING_CHARS)}…` : w;
    // Header values are bytes: send the text as UTF-8 (as Go does) with DEL escaped, or Node throws ERR_INVALID_CHAR after the write.
    const part = `299 - ${JSON.stringify(text).replace(/\x7f/g, "\\u007f")}`;
    const size = Buffer.byteLength(part, "utf8") + 2;
    if (bytes + size > MAX_WARNING_BYTES) break;
    parts.push(part);
    bytes += size;
  }
  return { Warning: Buffer.from(parts.join(", "), "utf8").toString("latin1") };
}
