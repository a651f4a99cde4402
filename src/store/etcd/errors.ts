/**
 * What an error from the etcd client means for a retry. etcd3 turns gRPC failures into typed
 * errors but keeps etcd's own reason only in the message, so the reasons are matched by text.
 *
 * The distinction that matters is whether a failed request may still take effect:
 * - "notSent": no member accepted it (no connection, a member without a leader, an open circuit),
 *   so any request, write or read, can safely be sent again;
 * - "ambiguous": it may have been applied (timeout, dropped connection, leader lost meanwhile).
 *   A read is retried; a conditional write is not, because a retry of a write that did apply
 *   would fail its compare and report a false Conflict. The caller gets Unavailable instead.
 */

export type EtcdFailure =
  | "compacted"
  | "future"
  | "tooLarge"
  | "leaseNotFound"
  | "leaseExists"
  | "closed"
  | "notSent"
  | "ambiguous"
  | "refused";

const DEFINITE: Array<[string, EtcdFailure]> = [
  ["required revision has been compacted", "compacted"],
  ["required revision is a future revision", "future"],
  ["request is too large", "tooLarge"],
  ["received message larger than max", "tooLarge"],
  ["requested lease not found", "leaseNotFound"],
  ["lease already exists", "leaseExists"],
];

// Reasons given before a request reaches raft: nothing was proposed.
const NOT_SENT = [
  "No connection established",
  "ECONNREFUSED",
  "circuit breaker is open",
  "etcdserver: no leader",
  "etcdserver: too many requests",
  "etcdserver: not capable",
  "etcdserver: server stopped",
];

// Definite refusals that no retry changes (auth, permissions, malformed requests).
const REFUSED = ["permission denied", "authentication failed", "invalid auth token", "INVALID_ARGUMENT", "UNIMPLEMENTED", "user name not found"];

export function classifyEtcdError(err: unknown): EtcdFailure {
  const e = err as { name?: string; message?: string; constructor?: { name?: string } };
  const message = String(e?.message ?? err);
  for (const [text, kind] of DEFINITE) if (message.includes(text)) return kind;
  if (e?.constructor?.name === "ClientClosedError" || message.includes("has already been closed")) return "closed";
  if (NOT_SENT.some((t) => message.includes(t))) return "notSent";
  if (REFUSED.some((t) => message.includes(t))) return "refused";
  return "ambiguous";
}

/** A transport failure that says the member is unreachable (used to open its circuit breaker). */
export function isUnreachable(err: unknown): boolean {
  const message = String((err as Error)?.message ?? err);
  return message.includes("UNAVAILABLE") && !message.includes("etcdserver:");
}
