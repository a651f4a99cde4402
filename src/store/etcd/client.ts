/**
 * One etcd client per backend (etcd3's connection pool over every endpoint) and the retry rule
 * every request goes through. etcd3's own retry policy is replaced: it retries any "recoverable"
 * error, which would resend a conditional write that may already have been applied.
 *
 * - Each attempt goes to a member picked at random; a member that refuses connections opens a
 *   circuit breaker for a second and is skipped meanwhile.
 * - Every request carries etcd's require-leader flag ("hasleader"), so a member cut off from the
 *   quorum answers "no leader" at once (safe to retry elsewhere) instead of hanging; a watch on
 *   such a member is cancelled by it, and the watcher resumes on another member.
 * - Reads retry until the request deadline; writes retry only failures that prove nothing was
 *   proposed (see errors.ts) and otherwise fail with Unavailable ("outcome unknown").
 */
import { InterceptingCall, type CallOptions, type Interceptor } from "@grpc/grpc-js";
import { circuitBreaker, ConsecutiveBreaker, handleWhen, noop } from "cockatiel";
import { Etcd3, type IOptions } from "etcd3";
import { StoreError } from "../types.js";
import { classifyEtcdError, isUnreachable, type EtcdFailure } from "./errors.js";

export interface EtcdTls {
  /** PEM CA bundle; absent = the system's roots. */
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

export interface EtcdClientOptions {
  endpoints: string[];
  /** Present = TLS. */
  tls?: EtcdTls;
  /** Budget for one store operation, retries included (default 15 s). */
  requestTimeoutMs?: number;
}

/** A definite etcd answer about leases, handled by the lease manager. */
export class EtcdLeaseError extends Error {
  constructor(
    readonly kind: Extract<EtcdFailure, "leaseNotFound" | "leaseExists">,
    message: string,
  ) {
    super(message);
  }
}

const requireLeader: Interceptor = (options, nextCall) =>
  new InterceptingCall(nextCall(options), {
    start(metadata, listener, next) {
      metadata.set("hasleader", "true");
      next(metadata, listener);
    },
  });

export class EtcdRpc {
  readonly etcd: Etcd3;
  readonly endpoints: string[];
  private readonly requestTimeoutMs: number;
  private closed = false;

  constructor(opts: EtcdClientOptions) {
    this.endpoints = opts.endpoints;
    this.requestTimeoutMs = opts.requestTimeoutMs ?? 15_000;
    const tls = opts.tls;
    const options: IOptions = {
      hosts: opts.endpoints.map((e) => (tls ? `https://${e}` : e)),
      credentials: tls?.ca || tls?.cert ? { rootCertificate: tls.ca as Buffer, privateKey: tls.key, certChain: tls.cert } : undefined,
      grpcOptions: {
        // Lists of many objects exceed gRPC's 4 MiB default; etcd bounds requests, not responses.
        "grpc.max_receive_message_length": -1,
        // Above etcd's --grpc-keepalive-min-time (5 s), so etcd does not answer "too many pings".
        "grpc.keepalive_time_ms": 10_000,
        "grpc.keepalive_timeout_ms": 5_000,
        interceptors: [requireLeader],
      } as IOptions["grpcOptions"],
      faultHandling: {
        host: () => circuitBreaker(handleWhen(isUnreachable), { halfOpenAfter: 1000, breaker: new ConsecutiveBreaker(2) }),
        global: noop,
      },
    };
    this.etcd = new Etcd3(options);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** An idempotent request: retried on any transient failure until the deadline. */
  read<T>(what: string, fn: (call: CallOptions) => Promise<T>, timeoutMs?: number): Promise<T> {
    return this.run(what, fn, true, timeoutMs);
  }

  /** A conditional write: retried only when it provably was not proposed. */
  write<T>(what: string, fn: (call: CallOptions) => Promise<T>): Promise<T> {
    return this.run(what, fn, false);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.etcd.close();
  }

  unavailable(why: string): StoreError {
    return new StoreError("Unavailable", `etcd at ${this.endpoints.join(",")}: ${why}`);
  }

  private async run<T>(what: string, fn: (call: CallOptions) => Promise<T>, idempotent: boolean, timeoutMs?: number): Promise<T> {
    const deadline = Date.now() + (timeoutMs ?? this.requestTimeoutMs);
    for (let attempt = 0; ; attempt++) {
      if (this.closed) throw this.unavailable("store closed");
      try {
        return await fn({ deadline });
      } catch (err) {
        if (this.closed) throw this.unavailable("store closed");
        const kind = classifyEtcdError(err);
        const message = (err as Error)?.message ?? String(err);
        switch (kind) {
          case "compacted":
            // The backend adds the floor (etcd's error does not carry it).
            throw new StoreError("Compacted", `${what}: ${message}`);
          case "future":
            throw new StoreError("FutureRevision", `${what}: ${message}`);
          case "tooLarge":
            throw new StoreError("TooLarge", `${what}: ${message}`);
          case "leaseNotFound":
          case "leaseExists":
            throw new EtcdLeaseError(kind, message);
          case "closed":
            throw this.unavailable("store closed");
          case "refused":
            throw this.unavailable(`${what} refused: ${message}`);
          case "ambiguous":
            if (!idempotent) throw this.unavailable(`${what} failed and may or may not have been applied: ${message}`);
            break;
          case "notSent":
            break;
        }
        const backoff = Math.min(25 * 2 ** attempt, 500);
        if (Date.now() + backoff >= deadline) throw this.unavailable(`${what} failed: ${message}`);
        await new Promise((r) => setTimeout(r, backoff));
      }
    }
  }
}
