/**
 * Server-side verification of AWS Signature Version 4 (header form; presigned query strings are not
 * accepted). Generic over the service name, so any Cistern endpoint speaking an AWS protocol can use it.
 *
 * Strictness: algorithm must be AWS4-HMAC-SHA256; the Authorization header must carry exactly one each
 * of Credential, SignedHeaders and Signature; `host`, the date header and every `x-amz-*` header that
 * was sent must be signed; the credential scope's date, region and service must be ours and its date
 * must be the request date's; the request time must be within ±15 minutes of ours; the body hash is
 * computed from the bytes received (a differing x-amz-content-sha256 is refused); the final compare is
 * constant-time. Replays inside the window are possible by design (AWS's too); creates are made safe
 * by idempotency tokens.
 */
import { timingSafeEqual } from "node:crypto";
import {
  ALGORITHM,
  type HeaderValues,
  canonicalRequest,
  sha256Hex,
  signature as computeSignature,
  signingKey,
  stringToSign,
} from "./canonical.js";

export type { HeaderValues } from "./canonical.js";

export interface SigV4Request {
  method: string;
  rawPath: string;
  rawQuery: string;
  headers: HeaderValues;
  body: Uint8Array;
}

export interface SigV4Options {
  service: string;
  region: string;
  /** The secret for an access key id, or undefined if the key (or its session token) is unknown. */
  lookupSecret(accessKeyId: string, sessionToken: string | undefined): string | undefined;
  now?: () => Date;
  maxSkewMs?: number;
}

/** Failure kinds map one-to-one onto AWS's error codes at the HTTP edge. */
export type SigV4FailureKind =
  | "MissingAuthenticationToken"
  | "IncompleteSignature"
  | "InvalidSignature"
  | "UnrecognizedClient";

export type SigV4Result =
  | { ok: true; accessKeyId: string }
  | { ok: false; kind: SigV4FailureKind; message: string };

const FIFTEEN_MINUTES = 15 * 60 * 1000;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

function fail(kind: SigV4FailureKind, message: string): SigV4Result {
  return { ok: false, kind, message };
}

function single(headers: HeaderValues, name: string): string | undefined {
  const v = headers[name];
  return v && v.length > 0 ? v.join(",") : undefined;
}

interface ParsedAuthorization {
  credential: string;
  signedHeaders: string;
  signature: string;
}

function parseAuthorization(value: string): ParsedAuthorization | string {
  if (!value.startsWith(`${ALGORITHM} `)) {
    const algorithm = value.split(" ")[0];
    return `Unsupported AWS 'algorithm': '${algorithm}'.`;
  }
  const fields = new Map<string, string>();
  for (const part of value.slice(ALGORITHM.length + 1).split(",")) {
    const trimmed = part.trim();
    const eq = trimmed.indexOf("=");
    if (eq <= 0) return `Authorization header is malformed near '${trimmed.slice(0, 40)}'.`;
    const name = trimmed.slice(0, eq);
    if (fields.has(name)) return `Authorization header has a duplicate '${name}' parameter.`;
    fields.set(name, trimmed.slice(eq + 1));
  }
  const missing = ["Credential", "SignedHeaders", "Signature"].filter((n) => !fields.get(n));
  if (missing.length > 0) return missing.map((n) => `Authorization header requires '${n}' parameter.`).join(" ");
  if (fields.size !== 3) return "Authorization header has unexpected parameters.";
  return { credential: fields.get("Credential")!, signedHeaders: fields.get("SignedHeaders")!, signature: fields.get("Signature")! };
}

function parseAmzDate(s: string): Date | undefined {
  const m = AMZ_DATE.exec(s);
  if (!m) return undefined;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
  return Number.isNaN(d.getTime()) ? undefined : d;
}

function toAmzDate(d: Date): string {
  return d.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

/** Checks one request's signature. Never throws; the result says which AWS error to answer with. */
export function verifySigV4(req: SigV4Request, opts: SigV4Options): SigV4Result {
  const authorization = single(req.headers, "authorization");
  if (!authorization) return fail("MissingAuthenticationToken", "Missing Authentication Token");
  const parsed = parseAuthorization(authorization);
  if (typeof parsed === "string") return fail("IncompleteSignature", parsed);

  const scopeParts = parsed.credential.split("/");
  if (scopeParts.length !== 5 || scopeParts[4] !== "aws4_request" || !scopeParts[0]) {
    return fail("IncompleteSignature", `Credential is malformed; expected "<YourAccessKeyId>/YYYYMMDD/region/service/aws4_request".`);
  }
  const [accessKeyId, scopeDate, scopeRegion, scopeService] = scopeParts;

  // Which time was signed: x-amz-date, else the HTTP Date header.
  const amzDateHeader = single(req.headers, "x-amz-date");
  const dateHeader = single(req.headers, "date");
  let requestTime: Date | undefined;
  let dateHeaderName: string;
  if (amzDateHeader !== undefined) {
    requestTime = parseAmzDate(amzDateHeader);
    dateHeaderName = "x-amz-date";
  } else if (dateHeader !== undefined) {
    const t = new Date(dateHeader);
    requestTime = Number.isNaN(t.getTime()) ? undefined : t;
    dateHeaderName = "date";
  } else {
    return fail("IncompleteSignature", "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  }
  if (!requestTime) return fail("IncompleteSignature", `The ${dateHeaderName} header is not a valid date.`);
  const amzDate = toAmzDate(requestTime);

  const signed = parsed.signedHeaders.split(";");
  if (signed.some((h) => h === "" || h !== h.toLowerCase())) {
    return fail("IncompleteSignature", "SignedHeaders must be lower-case header names separated by ';'.");
  }
  const sortedUnique = [...new Set(signed)].sort();
  if (sortedUnique.join(";") !== signed.join(";")) {
    return fail("IncompleteSignature", "SignedHeaders must be sorted and must not repeat a name.");
  }
  for (const h of signed) {
    if (req.headers[h] === undefined) return fail("IncompleteSignature", `Signed header '${h}' is not present in the request.`);
  }
  const mustSign = ["host", dateHeaderName, ...Object.keys(req.headers).filter((h) => h.startsWith("x-amz-"))];
  for (const h of mustSign) {
    if (!signed.includes(h)) return fail("InvalidSignature", `'${h}' must be a signed header.`);
  }

  if (scopeDate !== amzDate.slice(0, 8)) {
    return fail(
      "InvalidSignature",
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
    );
  }
  if (scopeRegion !== opts.region) return fail("InvalidSignature", `Credential should be scoped to a valid region, not '${scopeRegion}'.`);
  if (scopeService !== opts.service) return fail("InvalidSignature", `Credential should be scoped to correct service: '${opts.service}'.`);

  const now = (opts.now ?? (() => new Date()))();
  const skew = opts.maxSkewMs ?? FIFTEEN_MINUTES;
  const minutes = Math.round(skew / 60000);
  if (requestTime.getTime() < now.getTime() - skew) {
    return fail(
      "InvalidSignature",
      `Signature expired: ${amzDate} is now earlier than ${toAmzDate(new Date(now.getTime() - skew))} (${toAmzDate(now)} - ${minutes} min.)`,
    );
  }
  if (requestTime.getTime() > now.getTime() + skew) {
    return fail(
      "InvalidSignature",
      `Signature not yet current: ${amzDate} is still later than ${toAmzDate(new Date(now.getTime() + skew))} (${toAmzDate(now)} + ${minutes} min.)`,
    );
  }

  const secret = opts.lookupSecret(accessKeyId, single(req.headers, "x-amz-security-token"));
  if (secret === undefined) return fail("UnrecognizedClient", "The security token included in the request is invalid.");

  const payloadHash = sha256Hex(req.body);
  const claimedHash = single(req.headers, "x-amz-content-sha256");
  if (claimedHash !== undefined && claimedHash !== payloadHash) {
    return fail("InvalidSignature", "The provided 'x-amz-content-sha256' header does not match what was computed.");
  }

  const canonical = canonicalRequest({
    method: req.method,
    rawPath: req.rawPath,
    rawQuery: req.rawQuery,
    headers: req.headers,
    signedHeaders: signed,
    payloadHash,
  });
  const scope = `${scopeDate}/${scopeRegion}/${scopeService}/aws4_request`;
  const expected = computeSignature(signingKey(secret, scopeDate, scopeRegion, scopeService), stringToSign(amzDate, scope, canonical));
  const given = parsed.signature;
  const matches = /^[0-9a-f]{64}$/.test(given) && timingSafeEqual(Buffer.from(expected, "hex"), Buffer.from(given, "hex"));
  if (!matches) {
    return fail(
      "InvalidSignature",
      "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
    );
  }
  return { ok: true, accessKeyId };
}
