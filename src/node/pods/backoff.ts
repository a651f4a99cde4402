/**
 * Per-key exponential back-off with the kubelet's rules (client-go flowcontrol.Backoff as the kubelet uses it for
 * crash loops and image pulls): the first failure restarts at once and arms a 10 s delay; each later restart
 * doubles it up to 5 min; an entry not touched for twice the maximum starts over. "In back-off" is measured from
 * the event that caused it (the container's finish time), not from when we noticed.
 */

export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
  now?: () => number;
}

interface Entry {
  delay: number;
  lastUpdate: number;
}

export class Backoff {
  private readonly entries = new Map<string, Entry>();
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly now: () => number;

  constructor(o: BackoffOptions = {}) {
    this.initialMs = o.initialMs ?? 10_000;
    this.maxMs = o.maxMs ?? 300_000;
    this.now = o.now ?? Date.now;
  }

  private expired(eventTime: number, e: Entry): boolean {
    return eventTime - e.lastUpdate > 2 * this.maxMs;
  }

  /** The current delay for `key` (0 when it has none). */
  get(key: string): number {
    return this.entries.get(key)?.delay ?? 0;
  }

  /** Whether a restart caused by an event at `eventTime` must still wait; false if the key has no history. */
  isInBackOffSince(key: string, eventTime: number): boolean {
    const e = this.entries.get(key);
    if (!e || this.expired(eventTime, e)) return false;
    return this.now() - eventTime < e.delay;
  }

  /** When the back-off for an event at `eventTime` ends (ms since epoch). */
  releaseTime(key: string, eventTime: number): number {
    return eventTime + this.get(key);
  }

  /** Record a restart for an event at `eventTime`: first time (or after a long quiet) the initial delay, else double. */
  next(key: string, eventTime: number): void {
    const e = this.entries.get(key);
    if (!e || this.expired(eventTime, e)) {
      this.entries.set(key, { delay: this.initialMs, lastUpdate: this.now() });
      return;
    }
    e.delay = Math.min(e.delay * 2, this.maxMs);
    e.lastUpdate = this.now();
  }

  /** Forget every key starting with `prefix` (a pod's containers when the pod goes). */
  forgetPrefix(prefix: string): void {
    for (const k of this.entries.keys()) if (k.startsWith(prefix)) this.entries.delete(k);
  }

  /** Human form of a delay as Go prints a time.Duration of whole seconds ("10s", "1m20s", "5m0s"). */
  static format(ms: number): string {
    const s = Math.round(ms / 1000);
    if (s < 60) return `${s}s`;
    const m = Math.floor(s / 60);
    return `${m}m${s % 60}s`;
  }
}
