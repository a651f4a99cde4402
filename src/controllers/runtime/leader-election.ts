/**
 * Leader election on a coordination.k8s.io/v1 Lease, with client-go's algorithm and defaults
 * (lease duration 15 s, renew deadline 10 s, retry period 2 s), plus fencing.
 *
 * Algorithm (client-go's tryAcquireOrRenew):
 *   - No Lease: create it holding it ourselves (transitions 0). A create race loses with 409.
 *   - A Lease held by someone else: wait until its record has not changed for leaseDuration as
 *     seen by *our* clock (observedAt is when we first saw the current record), then take it
 *     over with an update conditional on the resourceVersion we read (transitions + 1). An empty
 *     holder may be taken at once.
 *   - While leading: renew every retryPeriod (optimistic update on our last write; on 409 re-read).
 *   - Candidates retry every retryPeriod with client-go's jitter (up to +120%).
 *
 * Fencing (beyond client-go, which leaves it to the process exiting): a term is valid only while
 * less than renewDeadline has passed since we *sent* the last successful renewal. Another
 * candidate cannot take over before leaseDuration after it *observed* that renewal, which it can
 * only observe after we sent it, so a valid term never overlaps a successor's (leaseDuration −
 * renewDeadline = 5 s of margin for clock-rate differences and requests already on the wire).
 * When the term ends — renewal failed until the deadline, someone else holds the Lease, or stop()
 * — its signal aborts, which cancels writes in flight through a fenced client; guard() refuses
 * new ones, and it checks the time itself, so a process that was paused refuses its writes the
 * moment it runs again, before any timer fires.
 *
 * Unlike client-go (whose users exit on losing the lease), the elector campaigns again after a
 * term ends, once onStoppedLeading (awaited) has stopped what the term ran.
 */
import { setMaxListeners } from "node:events";
import type { Lease, LeaseSpec } from "../../api/index.js";
import { NetworkError, isConflict } from "../../client/index.js";
import { createLogger, type Logger } from "../../lib/log.js";
import { realClock, type Clock } from "./leader-election-clock.js";
import { microTime, recordOf, sameRecord, type LeaseLock } from "./leader-election-lock.js";

/** client-go's defaults (kube-controller-manager, kube-scheduler). */
export const LEADER_ELECTION_DEFAULTS = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 } as const;
/** wait.JitterUntil's factor in client-go's acquire loop. */
const JITTER_FACTOR = 1.2;

/** What a fenced write fails with: nothing was sent (or the request was cancelled). Not retryable. */
export class NotLeaderError extends NetworkError {
  constructor(message: string) {
    super(message, "ENOTLEADER", false);
    this.name = "NotLeaderError";
  }
}

/** One period of leadership. */
export interface LeaderTerm {
  /** Aborted (with a NotLeaderError) when the term ends. */
  readonly signal: AbortSignal;
  /** Throws NotLeaderError unless the term is still valid now. */
  guard(): void;
  /** Whether the term is still valid now. */
  valid(): boolean;
}

export interface LeaderElectorOptions {
  lock: LeaseLock;
  /** Unique among candidates; written as holderIdentity. */
  identity: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  /** Give the Lease up on stop() (holder cleared, duration 1 s) so a standby takes over at once. Default true. */
  releaseOnStop?: boolean;
  clock?: Clock;
  log?: Logger;
  /** A term began; run what it guards (asynchronously, watching term.signal). */
  onStartedLeading?(term: LeaderTerm): void;
  /** The term ended; stop what it ran. Awaited before campaigning again or releasing the Lease. */
  onStoppedLeading?(): void | Promise<void>;
  /** The observed holder changed (including the first one seen and ourselves). */
  onNewLeader?(identity: string): void;
}

type OpenTerm = LeaderTerm & { end(reason: string): void; arm(): void };

interface Observation {
  lease: Lease;
  record: LeaseSpec;
  /** Our clock when this record was first seen (or written by us). */
  at: number;
}

export class LeaderElector {
  readonly identity: string;
  private readonly lock: LeaseLock;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private readonly clock: Clock;
  private readonly log: Logger;
  private observed: Observation | undefined;
  /** When the request of our last successful acquire/renew was sent. */
  private renewSentAt = -Infinity;
  private term: OpenTerm | undefined;
  private reportedLeader = "";
  private readonly stopping = new AbortController();
  private running: Promise<void> | undefined;
  private transitionsSeen = 0;

  constructor(private readonly o: LeaderElectorOptions) {
    if (!o.identity) throw new Error("leader election needs a non-empty identity");
    this.identity = o.identity;
    this.lock = o.lock;
    this.leaseDurationMs = o.leaseDurationMs ?? LEADER_ELECTION_DEFAULTS.leaseDurationMs;
    this.renewDeadlineMs = o.renewDeadlineMs ?? LEADER_ELECTION_DEFAULTS.renewDeadlineMs;
    this.retryPeriodMs = o.retryPeriodMs ?? LEADER_ELECTION_DEFAULTS.retryPeriodMs;
    // client-go's validation: the margin between renew deadline and lease duration is the fence.
    if (!(this.leaseDurationMs > this.renewDeadlineMs)) throw new Error("leaseDuration must be greater than renewDeadline");
    if (!(this.renewDeadlineMs > JITTER_FACTOR * this.retryPeriodMs)) throw new Error("renewDeadline must be greater than retryPeriod*JitterFactor");
    if (this.leaseDurationMs < 1000 || this.leaseDurationMs % 1000 !== 0) throw new Error("leaseDuration must be a whole number of seconds");
    this.clock = o.clock ?? realClock;
    this.log = o.log ?? createLogger(`leader-election/${o.lock.describe}`);
  }

  /** Begin campaigning (in the background). Idempotent. */
  start(): void {
    this.running ??= this.loop().catch((err) => this.log.error("leader election loop failed", { error: err }));
  }

  /**
   * Stop campaigning: end the term (awaiting onStoppedLeading), then release the Lease if we
   * hold it and releaseOnStop is set. Idempotent.
   */
  async stop(): Promise<void> {
    this.stopping.abort();
    this.start();
    await this.running;
  }

  /** Whether we lead now: a term is open and still within the renew deadline. */
  isLeader(): boolean {
    return this.term?.valid() ?? false;
  }

  /** Throws NotLeaderError unless we lead now. */
  guard(): void {
    if (!this.term) throw new NotLeaderError(`not the leader of ${this.lock.describe}`);
    this.term.guard();
  }

  /** The current term, if leading. */
  currentTerm(): LeaderTerm | undefined {
    return this.term;
  }

  /** The holder in the last record we saw ("" if none). */
  get leader(): string {
    return this.observed?.record.holderIdentity ?? "";
  }

  /** How many times this elector has won the Lease. */
  get termsWon(): number {
    return this.transitionsSeen;
  }

  private get stopped(): boolean {
    return this.stopping.signal.aborted;
  }

  private async loop(): Promise<void> {
    let stoppedWhileLeading = false;
    while (!this.stopped) {
      if (!(await this.acquire())) break;
      this.transitionsSeen++;
      const term = this.openTerm();
      this.log.info("became leader", { identity: this.identity });
      try {
        this.o.onStartedLeading?.(term);
      } catch (err) {
        this.log.error("onStartedLeading threw", { error: err });
      }
      const why = await this.renewUntilLost(term);
      stoppedWhileLeading = why === "stopped";
      term.end(why);
      this.log.info("stopped leading", { identity: this.identity, reason: why });
      try {
        await this.o.onStoppedLeading?.();
      } catch (err) {
        this.log.error("onStoppedLeading threw", { error: err });
      }
    }
    // Only a term ended by stop() is ours to give up; a lost one belongs to someone else by now.
    if (stoppedWhileLeading && (this.o.releaseOnStop ?? true)) await this.release();
  }

  private openTerm(): OpenTerm {
    const controller = new AbortController();
    // Every write in flight listens on the term (fenced client), so many listeners are normal here.
    setMaxListeners(0, controller.signal);
    const valid = () => !controller.signal.aborted && this.clock.now() - this.renewSentAt < this.renewDeadlineMs;
    let fenceTimer: { cancel(): void } | undefined;
    const term: OpenTerm = {
      signal: controller.signal,
      valid,
      guard: () => {
        if (!valid()) throw new NotLeaderError(`no longer the leader of ${this.lock.describe}: write refused`);
      },
      end: (reason: string) => {
        fenceTimer?.cancel();
        if (this.term === term) this.term = undefined;
        if (!controller.signal.aborted) controller.abort(new NotLeaderError(`leadership of ${this.lock.describe} lost (${reason}): write cancelled`));
      },
      /** Abort in-flight writes the moment the renew deadline passes, whatever the renew loop is doing. */
      arm: () => {
        fenceTimer?.cancel();
        fenceTimer = this.clock.timer(this.renewSentAt + this.renewDeadlineMs - this.clock.now(), () => {
          if (!valid()) term.end("renew deadline passed");
          else term.arm();
        });
      },
    };
    this.term = term;
    term.arm();
    return term;
  }

  /** Candidate loop: try now, then every retryPeriod (jittered) until we hold the Lease. False if stopped. */
  private async acquire(): Promise<boolean> {
    this.log.info("attempting to acquire leader lease", { lease: this.lock.describe, identity: this.identity });
    while (!this.stopped) {
      if (await this.tryAcquireOrRenew(this.renewDeadlineMs)) return true;
      await this.clock.sleep(this.retryPeriodMs * (1 + Math.random() * JITTER_FACTOR), this.stopping.signal);
    }
    return false;
  }

  /** Leader loop: renew every retryPeriod; return why the term ended. */
  private async renewUntilLost(term: OpenTerm): Promise<string> {
    for (;;) {
      await this.clock.sleep(this.retryPeriodMs, this.stopping.signal);
      if (this.stopped) return "stopped";
      for (;;) {
        const left = this.renewSentAt + this.renewDeadlineMs - this.clock.now();
        if (left <= 0 || !term.valid()) return "renew deadline passed";
        if (await this.tryAcquireOrRenew(left)) {
          term.arm();
          break;
        }
        if (this.stopped) return "stopped";
        if (this.leader && this.leader !== this.identity) return `lease taken by ${this.leader}`;
        await this.clock.sleep(Math.min(this.retryPeriodMs, this.renewSentAt + this.renewDeadlineMs - this.clock.now()), this.stopping.signal);
      }
    }
  }

  /** One attempt; true when we hold the Lease afterwards. Never throws. */
  private async tryAcquireOrRenew(budgetMs: number): Promise<boolean> {
    const abort = new AbortController();
    const timer = this.clock.timer(budgetMs, () => abort.abort(new NetworkError(`lease request exceeded ${budgetMs} ms`, "ETIMEDOUT")));
    const onStop = () => abort.abort(new NetworkError("leader election stopped", "ECANCELED"));
    // Stopping cancels a candidate's attempt, never a leader's renewal: its term ends in order.
    if (!this.term) this.stopping.signal.addEventListener("abort", onStop, { once: true });
    try {
      return await this.attempt(abort.signal);
    } catch (err) {
      if (!this.stopped) this.log.warn("lease request failed", { lease: this.lock.describe, error: err });
      return false;
    } finally {
      timer.cancel();
      this.stopping.signal.removeEventListener("abort", onStop);
    }
  }

  private desired(previous: LeaseSpec | undefined, keepTerm: boolean, now: string): LeaseSpec {
    return {
      holderIdentity: this.identity,
      leaseDurationSeconds: Math.round(this.leaseDurationMs / 1000),
      acquireTime: keepTerm ? (previous?.acquireTime ?? now) : now,
      renewTime: now,
      leaseTransitions: keepTerm ? (previous?.leaseTransitions ?? 0) : previous ? (previous.leaseTransitions ?? 0) + 1 : 0,
    };
  }

  private async attempt(signal: AbortSignal): Promise<boolean> {
    const now = microTime(this.clock.wall());
    // 1. Fast path: the leader updates the Lease it wrote last, optimistically.
    const mine = this.observed;
    if (mine && this.holds() && this.clock.now() - mine.at < this.leaseDurationMs) {
      const sentAt = this.clock.now();
      try {
        const written = await this.lock.update(mine.lease, this.desired(mine.record, true, now), signal);
        this.wrote(written, sentAt);
        return true;
      } catch (err) {
        if (!isConflict(err)) throw err;
        this.log.info("lease changed under us; re-reading", { lease: this.lock.describe });
      }
    }
    // 2. Read it, or create it.
    const current = await this.lock.get(signal);
    if (!current) {
      const sentAt = this.clock.now();
      this.wrote(await this.lock.create(this.desired(undefined, false, now), signal), sentAt);
      return true;
    }
    const record = recordOf(current);
    if (!this.observed || !sameRecord(this.observed.record, record)) this.observed = { lease: current, record, at: this.clock.now() };
    else this.observed.lease = current;
    this.reportLeader();
    // 3. Held by someone else and not yet expired (by our observation): wait.
    const held = !!record.holderIdentity && record.holderIdentity !== this.identity;
    if (held && this.clock.now() - this.observed.at < this.leaseDurationMs) return false;
    // 4. Ours, free or expired: write ourselves in, conditional on what we read.
    const sentAt = this.clock.now();
    const keepTerm = record.holderIdentity === this.identity;
    const written = await this.lock.update(current, this.desired(record, keepTerm, now), signal);
    if (!keepTerm) this.log.info("took over the lease", { lease: this.lock.describe, from: record.holderIdentity ?? "", transitions: written.spec?.leaseTransitions });
    this.wrote(written, sentAt);
    return true;
  }

  private holds(): boolean {
    return this.observed?.record.holderIdentity === this.identity;
  }

  private wrote(lease: Lease, sentAt: number): void {
    this.observed = { lease, record: recordOf(lease), at: this.clock.now() };
    this.renewSentAt = sentAt;
    this.reportLeader();
  }

  private reportLeader(): void {
    const holder = this.leader;
    if (holder === this.reportedLeader) return;
    this.reportedLeader = holder;
    if (!holder) return;
    try {
      this.o.onNewLeader?.(holder);
    } catch (err) {
      this.log.error("onNewLeader threw", { error: err });
    }
  }

  /** Give the Lease up (as client-go's release): holder cleared, duration 1 s, transitions kept. */
  private async release(): Promise<void> {
    const mine = this.observed;
    if (!mine || !this.holds()) return;
    const now = microTime(this.clock.wall());
    const abort = new AbortController();
    const timer = this.clock.timer(this.renewDeadlineMs, () => abort.abort(new NetworkError("release timed out", "ETIMEDOUT")));
    try {
      const spec: LeaseSpec = { leaseDurationSeconds: 1, acquireTime: now, renewTime: now, leaseTransitions: mine.record.leaseTransitions ?? 0 };
      const written = await this.lock.update(mine.lease, spec, abort.signal);
      this.observed = { lease: written, record: recordOf(written), at: this.clock.now() };
      this.log.info("released the lease", { lease: this.lock.describe });
    } catch (err) {
      // Someone else wrote it (it is theirs now) or the API is away: it expires by itself.
      this.log.warn("could not release the lease", { lease: this.lock.describe, error: err });
    } finally {
      timer.cancel();
    }
  }
}
