/** Response helpers for the dashboard's routes: security headers on everything, Status errors as JSON. */
import type { ServerResponse } from "node:http";
import { StatusError, type StatusReason } from "../../api/status.js";

/**
 * Everything the page loads comes from this origin (the bundle has no CDN references), scripts
 * only from files, no framing; the token in sessionStorage is only reachable by our own code.
 */
export const SECURITY_HEADERS: Record<string, string> = {
  "content-security-policy":
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
};

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...SECURITY_HEADERS, "content-type": "application/json", "cache-control": "no-store", "content-length": String(Buffer.byteLength(text)) });
  res.end(text);
}

export function sendError(res: ServerResponse, code: number, reason: StatusReason, message: string): void {
  sendJson(res, code, new StatusError(code, reason, message).toStatus());
}
