/** The service's transport-neutral request and response: what the route handlers see and return. */
import type { HeaderValues } from "../sigv4/canonical.js";

export interface EfsHttpRequest {
  method: string;
  /** Path as sent (still percent-encoded), without the query. */
  rawPath: string;
  /** Query string as sent, without "?". */
  rawQuery: string;
  query: URLSearchParams;
  /** Lower-case header name → every value received, in order. */
  headers: HeaderValues;
  body: Buffer;
  remoteAddress?: string;
}

export interface EfsHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export function jsonResponse(status: number, value: unknown): EfsHttpResponse {
  return { status, headers: { "content-type": "application/json" }, body: JSON.stringify(value) };
}

export function emptyResponse(status: number): EfsHttpResponse {
  return { status, headers: {}, body: "" };
}
