/**
 * Exponential backoff with jitter for reconnect loops, as client-go's reflector uses: the delay
 * doubles from `initialMs` to `maxMs`, and starts over once no failure happened for `resetAfterMs`
 * (a connection that stayed healthy for a while should not inherit an old penalty).
 */

export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
  resetAfterMs?: number;
  /** Fraction of random spread added to each delay (0.2 = up to +20%). */
  jitter?: number;
}

export class Backoff {
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly resetAfterMs: number;
  private readonly jitter: number;
  private current = 0;
  private lastFailure = 0;

  constructor(options: BackoffOptions = {}) {
    this.initialMs = options.initialMs ?? 800;
    this.maxMs = options.maxMs ?? 30_000;
    this.resetAfterMs = options.resetAfterMs ?? 120_000;
    this.jitter = options.jitter ?? 0.2;
  }

  /** Record a failure and return how long to wait before the next attempt. */
  next(now = Date.now()): number {
    if (this.current === 0 || now - this.lastFailure > this.resetAfterMs) this.current = this.initialMs;
    else this.current = Math.min(this.current * 2, this.maxMs);
    this.lastFailure = now;
    return Math.round(this.current * (1 + Math.random() * this.jitter));
  }

  reset(): void {
    this.current = 0;
  }
}
