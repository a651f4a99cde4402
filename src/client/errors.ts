/**
 * The client's error vocabulary. A response from the server that is not 2xx becomes a
 * StatusError carrying the server's code, reason, message and details (decoded from its Status
 * body, or synthesised from the HTTP code when the body is not a Status). Failures below HTTP
 * (refused, reset, timed out, TLS) become NetworkError; mistakes caught before sending (a
 * namespace missing for a namespaced kind, an invalid name) become RequestConstructionError.
 */
import { StatusError, type StatusDetails, type StatusReason } from "../api/status.js";

export class NetworkError extends Error {
  /**
   * @param code a Node system error code (ECONNREFUSED, ECONNRESET …), ETIMEDOUT for our own
   *   request deadline, EWATCHIDLE for a silent watch, or a TLS verification code.
   * @param retryable false for failures a retry cannot fix (certificate verification).
   */
  constructor(
    message: string,
    readonly code: string,
    readonly retryable = true,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "NetworkError";
  }
}

/** The request could not be built (bad arguments); nothing was sent. Never retryable. */
export class RequestConstructionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RequestConstructionError";
  }
}

const reasons = new Set<string>([
  "BadRequest", "Unauthorized", "Forbidden", "NotFound", "AlreadyExists", "Conflict", "Gone", "Expired", "Invalid",
  "MethodNotAllowed", "NotAcceptable", "UnsupportedMediaType", "RequestEntityTooLarge", "TooManyRequests",
  "InternalError", "Timeout", "ServiceUnavailable",
]);

/** The reason and message a bare HTTP code implies, as client-go does for non-Status bodies. */
function reasonForCode(code: number): { reason: StatusReason; message: string } {
  switch (code) {
    case 400: return { reason: "BadRequest", message: "the server rejected our request for an unknown reason" };
    case 401: return { reason: "Unauthorized", message: "the server has asked for the client to provide credentials" };
    case 403: return { reason: "Forbidden", message: "the server does not allow access to the requested resource" };
    case 404: return { reason: "NotFound", message: "the server could not find the requested resource" };
    case 405: return { reason: "MethodNotAllowed", message: "the server does not allow this method on the requested resource" };
    case 406: return { reason: "NotAcceptable", message: "the server was unable to respond with a content type that the client supports" };
    case 409: return { reason: "Conflict", message: "the server reported a conflict" };
    case 410: return { reason: "Gone", message: "the server has asked for the client to refresh its data" };
    case 413: return { reason: "RequestEntityTooLarge", message: "the server has rejected the request because it is too large" };
    case 415: return { reason: "UnsupportedMediaType", message: "the server does not support the content type of the request" };
    case 422: return { reason: "Invalid", message: "the server rejected our request due to an error in our request" };
    case 429: return { reason: "TooManyRequests", message: "the server has received too many requests and has asked us to try again later" };
    case 503: return { reason: "ServiceUnavailable", message: "the server is currently unable to handle the request" };
    case 504: return { reason: "Timeout", message: "the server was unable to return a response in the time allotted" };
    default:
      return code >= 500
        ? { reason: "InternalError", message: "an error on the server has prevented the request from succeeding" }
        : { reason: "BadRequest", message: `the server responded with the status code ${code}` };
  }
}

/** Parse a `Retry-After` header given in seconds (HTTP dates are not sent by kube-apiserver). */
export function retryAfterSeconds(header: string | undefined): number | undefined {
  if (!header || !/^\d+$/.test(header.trim())) return undefined;
  return Number(header.trim());
}

/**
 * Turn a failed response into a StatusError. Uses the body when it is a Status object, falling
 * back to the HTTP code; the HTTP code wins when the body's code is missing.
 */
export function decodeStatusError(httpCode: number, body: string, retryAfter?: string): StatusError {
  let status: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === "object" && (parsed as { kind?: unknown }).kind === "Status") status = parsed as Record<string, unknown>;
  } catch {
    // not JSON: fall through to the generic error
  }
  const fallback = reasonForCode(httpCode);
  const code = typeof status?.code === "number" && status.code > 0 ? status.code : httpCode;
  const reason = typeof status?.reason === "string" && reasons.has(status.reason) ? (status.reason as StatusReason) : reasonForCode(code).reason;
  let message = typeof status?.message === "string" && status.message ? status.message : fallback.message;
  if (!status && body.trim() && body.length < 1024) message = `${message} (${body.trim()})`;
  let details = status?.details as StatusDetails | undefined;
  const after = retryAfterSeconds(retryAfter);
  if (after !== undefined && details?.retryAfterSeconds === undefined) details = { ...details, retryAfterSeconds: after };
  return new StatusError(code, reason, message, details);
}

/** A StatusError built from a Status object received on a watch stream (type ERROR). */
export function statusErrorFromObject(obj: unknown): StatusError {
  const code = typeof (obj as { code?: unknown })?.code === "number" ? (obj as { code: number }).code : 500;
  return decodeStatusError(code, JSON.stringify(obj));
}

/**
 * Whether repeating the same request later may succeed: network failures (other than TLS
 * verification), 429 Too Many Requests, 503 and 504. Conflicts are not included: they need a
 * fresh read first (see retryOnConflict in the controller runtime).
 */
export function isRetryable(err: unknown): boolean {
  if (err instanceof NetworkError) return err.retryable;
  if (err instanceof StatusError) return err.code === 429 || err.code === 503 || err.code === 504;
  return false;
}

export function isNotFound(err: unknown): boolean {
  return err instanceof StatusError && err.code === 404;
}

export function isConflict(err: unknown): boolean {
  return err instanceof StatusError && err.reason === "Conflict";
}

export function isAlreadyExists(err: unknown): boolean {
  return err instanceof StatusError && err.reason === "AlreadyExists";
}

/** 410: the requested resourceVersion is older than the server keeps (reason Expired or Gone). */
export function isGone(err: unknown): boolean {
  return err instanceof StatusError && (err.code === 410 || err.reason === "Expired" || err.reason === "Gone");
}
