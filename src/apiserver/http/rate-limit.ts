/**
 * Per-client limits, a small stand-in for API Priority and Fairness: each user gets a token
 * bucket for requests and a cap on concurrent watches; beyond them the answer is 429 with
 * Retry-After, as upstream. Members of system:masters are exempt (upstream's "exempt" level).
 */
import { StatusError } from "../../api/status.js";
import type { UserInfo } from "../registry/admission.js";

export interface RateLimitOptions {
  /** Sustained requests per second per user. */
  qps: number;
  burst: number;
  /** Concurrent watches per user. */
  maxWatches: number;
}

export const DEFAULT_RATE_LIMITS: RateLimitOptions = { qps: 200, burst: 400, maxWatches: 500 };

interface Bucket {
  tokens: number;
  at: number;
  watches: number;
}

function tooMany(message: string): StatusError {
  return new StatusError(429, "TooManyRequests", message, { retryAfterSeconds: 1 });
}

export class ClientLimiter {
  private buckets = new Map<string, Bucket>();

  constructor(private o: RateLimitOptions = DEFAULT_RATE_LIMITS) {}

  private exempt(user: UserInfo): boolean {
    return user.groups.includes("system:masters");
  }

  private bucket(user: UserInfo): Bucket {
    let b = this.buckets.get(user.name);
    if (!b) this.buckets.set(user.name, (b = { tokens: this.o.burst, at: Date.now(), watches: 0 }));
    return b;
  }

  /** Take one request token or throw 429. */
  admit(user: UserInfo): void {
    if (this.exempt(user)) return;
    const b = this.bucket(user);
    const now = Date.now();
    b.tokens = Math.min(this.o.burst, b.tokens + ((now - b.at) / 1000) * this.o.qps);
    b.at = now;
    if (b.tokens < 1) throw tooMany("Too many requests, please try again later.");
    b.tokens -= 1;
  }

  /** Count a watch; the returned function releases it. */
  startWatch(user: UserInfo): () => void {
    if (this.exempt(user)) return () => {};
    const b = this.bucket(user);
    if (b.watches >= this.o.maxWatches) throw tooMany(`too many concurrent watches for user "${user.name}" (limit ${this.o.maxWatches})`);
    b.watches++;
    let released = false;
    return () => {
      if (!released) {
        released = true;
        b.watches--;
      }
    };
  }
}
