/**
 * The canonical request of AWS Signature Version 4, rebuilt on the receiving side from what arrived on
 * the wire. The rules are those of non-S3 services: the path is normalised (`.`/`..`/empty segments) and
 * each segment is URI-encoded once more on top of the encoding it already has on the wire; the query is
 * decoded, re-encoded RFC 3986-style and sorted by name then value; each signed header is lower-cased,
 * trimmed, inner whitespace runs collapsed, repeated values joined with ",".
 */
import { createHash, createHmac } from "node:crypto";

/** Headers keyed by lower-case name; a header sent several times keeps every value in order. */
export type HeaderValues = Record<string, string[]>;

export interface CanonicalInput {
  method: string;
  /** The path exactly as it appeared in the request line, before any decoding. */
  rawPath: string;
  /** The query string without its leading "?", as sent. */
  rawQuery: string;
  headers: HeaderValues;
  signedHeaders: string[];
  payloadHash: string;
}

/** encodeURIComponent plus the RFC 3986 reserved characters it leaves alone. */
export function uriEscape(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function canonicalPath(rawPath: string): string {
  const out: string[] = [];
  for (const segment of rawPath.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") out.pop();
    else out.push(segment);
  }
  const trailing = out.length > 0 && rawPath.endsWith("/") ? "/" : "";
  return "/" + out.map(uriEscape).join("/") + trailing;
}

function decodeQueryPart(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s; // a stray "%" is signed as the client sent it, encoded once more
  }
}

export function canonicalQuery(rawQuery: string): string {
  if (rawQuery === "") return "";
  const pairs: Array<[string, string]> = [];
  for (const part of rawQuery.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const name = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? "" : part.slice(eq + 1);
    pairs.push([uriEscape(decodeQueryPart(name)), uriEscape(decodeQueryPart(value))]);
  }
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([n, v]) => `${n}=${v}`).join("&");
}

function canonicalHeaderValue(values: string[]): string {
  return values.map((v) => v.trim().replace(/\s+/g, " ")).join(",");
}

export function canonicalRequest(input: CanonicalInput): string {
  const headerLines = input.signedHeaders.map((h) => `${h}:${canonicalHeaderValue(input.headers[h] ?? [])}\n`).join("");
  return [
    input.method,
    canonicalPath(input.rawPath),
    canonicalQuery(input.rawQuery),
    headerLines,
    input.signedHeaders.join(";"),
    input.payloadHash,
  ].join("\n");
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

export const ALGORITHM = "AWS4-HMAC-SHA256";

export function stringToSign(amzDate: string, scope: string, canonical: string): string {
  return `${ALGORITHM}\n${amzDate}\n${scope}\n${sha256Hex(canonical)}`;
}

const keyCache = new Map<string, Buffer>();

/** HMAC chain "AWS4"+secret → date → region → service → "aws4_request", cached per day and scope. */
export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const cacheKey = `${secret}\n${date}\n${region}\n${service}`;
  const hit = keyCache.get(cacheKey);
  if (hit) return hit;
  let key = createHmac("sha256", `AWS4${secret}`).update(date).digest();
  for (const part of [region, service, "aws4_request"]) key = createHmac("sha256", key).update(part).digest();
  if (keyCache.size > 64) keyCache.clear(); // bounded: a handful of live keys per day at most
  keyCache.set(cacheKey, key);
  return key;
}

export function signature(key: Buffer, toSign: string): string {
  return createHmac("sha256", key).update(toSign).digest("hex");
}
