/**
 * Run something only while leading: each term gets a fenced client and a fresh instance started
 * with it (fresh informers, so a new leader never acts on a cache from an earlier term); when the
 * term ends the instance is stopped — after its in-flight writes were cancelled by the fence —
 * before the elector campaigns again or releases the Lease. At most one instance exists at a time.
 */
import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import type { KubeClient } from "../../client/index.js";
import { createLogger, type Logger } from "../../lib/log.js";
import { realClock, type Clock } from "./leader-election-clock.js";
import { fencedClient } from "./leader-election-fence.js";
import { leaseLock } from "./leader-election-lock.js";
import { LEADER_ELECTION_DEFAULTS, LeaderElector, type LeaderTerm } from "./leader-election.js";

/** Where and as whom to elect (the Lease's namespace and name, the holder identity), and the timings. */
export interface LeaderElectionOptions {
  lease: string;
  namespace: string;
  /** Default: "<hostname>_<uuid>", as client-go's users. */
  identity?: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  releaseOnStop?: boolean;
  clock?: Clock;
}

export interface Stoppable {
  stop(): Promise<void>;
}

export interface Elected<T> {
  elector: LeaderElector;
  /** The instance of the current term (undefined while standing by or starting). */
  current(): T | undefined;
  /** Stop the instance, then campaigning, then release the Lease. Idempotent. */
  stop(): Promise<void>;
}

/** "<hostname>_<uuid>": unique per process, readable in `kubectl get lease`. */
export function defaultIdentity(): string {
  return `${hostname()}_${randomUUID()}`;
}

/**
 * Campaign for `o.lease` with the unfenced `client`; while leading, run `start(fencedClient, term)`.
 * A start that fails while the term is still valid is retried (every retry period).
 */
export function runElected<T extends Stoppable>(
  client: KubeClient,
  o: LeaderElectionOptions & { log?: Logger; start(client: KubeClient, term: LeaderTerm): Promise<T> },
): Elected<T> {
  const log = o.log ?? createLogger(`leader-election/${o.namespace}/${o.lease}`);
  let instance: T | undefined;
  let starting: Promise<void> | undefined;
  let termClient: KubeClient | undefined;
  const retryMs = o.retryPeriodMs ?? LEADER_ELECTION_DEFAULTS.retryPeriodMs;
  const clock = o.clock ?? realClock;

  const begin = async (term: LeaderTerm) => {
    termClient = fencedClient(client, term);
    while (term.valid()) {
      try {
        const started = await o.start(termClient, term);
        if (!term.signal.aborted) {
          instance = started;
          return;
        }
        await started.stop();
        return;
      } catch (err) {
        if (term.signal.aborted) return;
        log.error("starting the elected components failed; retrying", { error: err });
        await clock.sleep(retryMs, term.signal);
      }
    }
  };

  const elector = new LeaderElector({
    lock: leaseLock(client, o.namespace, o.lease),
    identity: o.identity ?? defaultIdentity(),
    leaseDurationMs: o.leaseDurationMs,
    renewDeadlineMs: o.renewDeadlineMs,
    retryPeriodMs: o.retryPeriodMs,
    releaseOnStop: o.releaseOnStop,
    clock: o.clock,
    log,
    onStartedLeading: (term) => {
      starting = begin(term);
    },
    onStoppedLeading: async () => {
      await starting;
      const running = instance;
      instance = undefined;
      starting = undefined;
      try {
        await running?.stop();
      } finally {
        termClient?.close();
        termClient = undefined;
      }
    },
    onNewLeader: (id) => log.info("new leader observed", { leader: id }),
  });
  elector.start();
  return { elector, current: () => instance, stop: () => elector.stop() };
}
