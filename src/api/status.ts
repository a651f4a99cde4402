/**
 * Kubernetes Status errors: the one error vocabulary of the API boundary. Anything thrown
 * inside the API server that is not a StatusError becomes a 500 InternalError at the edge.
 */

export type StatusReason =
  | "BadRequest"
  | "Unauthorized"
  | "Forbidden"
  | "NotFound"
  | "AlreadyExists"
  | "Conflict"
  | "Gone"
  | "Expired"
  | "Invalid"
  | "MethodNotAllowed"
  | "NotAcceptable"
  | "UnsupportedMediaType"
  | "RequestEntityTooLarge"
  | "TooManyRequests"
  | "InternalError"
  | "Timeout"
  | "ServiceUnavailable";

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface StatusObject {
  kind: "Status";
  apiVersion: "v1";
  metadata: Record<string, unknown>;
  status: "Success" | "Failure";
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

export class StatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: StatusReason,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
    this.name = "StatusError";
  }

  toStatus(): StatusObject {
    const s: StatusObject = {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: this.message,
      reason: this.reason,
      code: this.code,
    };
    if (this.details) s.details = this.details;
    return s;
  }
}

/** `persistentvolumeclaims "x" not found` */
export function notFound(resource: string, name: string, group = ""): StatusError {
  const qualified = group ? `${resource}.${group}` : resource;
  return new StatusError(404, "NotFound", `${qualified} "${name}" not found`, { name, group: group || undefined, kind: resource });
}

/** `persistentvolumeclaims "x" already exists` */
export function alreadyExists(resource: string, name: string, group = ""): StatusError {
  const qualified = group ? `${resource}.${group}` : resource;
  return new StatusError(409, "AlreadyExists", `${qualified} "${name}" already exists`, { name, group: group || undefined, kind: resource });
}

/** Upstream's optimistic-concurrency message. */
export function conflict(resource: string, name: string, group = "", why = "the object has been modified; please apply your changes to the latest version and try again"): StatusError {
  const qualified = group ? `${resource}.${group}` : resource;
  return new StatusError(409, "Conflict", `Operation cannot be fulfilled on ${qualified} "${name}": ${why}`, { name, group: group || undefined, kind: resource });
}

export function badRequest(message: string): StatusError {
  return new StatusError(400, "BadRequest", message);
}

export function forbidden(message: string): StatusError {
  return new StatusError(403, "Forbidden", message);
}

export function gone(message: string): StatusError {
  return new StatusError(410, "Expired", message);
}

export function methodNotAllowed(message: string): StatusError {
  return new StatusError(405, "MethodNotAllowed", message);
}

export function internalError(message: string): StatusError {
  return new StatusError(500, "InternalError", `Internal error occurred: ${message}`);
}

export function isStatusError(err: unknown, reason?: StatusReason): err is StatusError {
  return err instanceof StatusError && (reason === undefined || err.reason === reason);
}
