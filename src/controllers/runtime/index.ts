/**
 * The reconcile runtime every Cistern controller is built on (controller-runtime's shape).
 *
 * Model
 *   Controller       informers → handlers that only enqueue "ns/name" keys → de-duplicating work
 *                    queue → N workers → reconcile(key). Reconcile is level-based: it reads the
 *                    current state (informer caches, or the API) and converges it; it is idempotent
 *                    and safe to run any number of times for a key.
 *   finalizers       reconcileFinalizer: keep our finalizer on live objects; on deletion run the
 *                    cleanup, then remove the finalizer (update with resourceVersion, re-read and
 *                    retry on 409 Conflict).
 *   EventRecorder    core/v1 Events as client-go writes them: counted, combined and throttled so a
 *                    hot loop cannot flood the API; best-effort and non-blocking.
 *   retryOnConflict  re-run a read-modify-write on 409 Conflict.
 *   LeaderElector    client-go's leader election on a coordination.k8s.io/v1 Lease (15 s / 10 s / 2 s),
 *                    with fencing: a term is valid only within the renew deadline of the last renewal
 *                    we sent; fencedClient refuses writes outside it and cancels those in flight when
 *                    it ends; runElected starts a fresh instance per term and stops it when the term ends.
 *
 * Invariants: a key is reconciled by at most one worker at a time; a key re-added while it is
 * being reconciled is reconciled once more afterwards; failures back off per key (5 ms doubling);
 * TerminalError is not retried; nothing here acts on an event's payload; an elected component writes
 * only inside a valid term (no two leaders' writes overlap, given clock rates within the 5 s margin).
 */
export {
  Controller,
  createController,
  type ControllerOptions,
  type ControllerStats,
  type KeyMapper,
  type ReconcileContext,
  type ReconcileResult,
  type Reconciler,
} from "./controller.js";
export { TerminalError, isTerminal } from "./terminal-error.js";
export { retryOnConflict, type RetryOptions } from "./retry-on-conflict.js";
export { ensureFinalizer, hasFinalizer, reconcileFinalizer, removeFinalizer, type FinalizerResult } from "./finalizer.js";
export { EventRecorder, createEventRecorder, eventsResource, type EventRecorderOptions, type EventType } from "./event-recorder.js";
export { defaultCorrelatorOptions, type CoreEvent, type CorrelatorOptions, type ObjectReference } from "./event-correlator.js";
export { LeaderElector, NotLeaderError, LEADER_ELECTION_DEFAULTS, type LeaderElectorOptions, type LeaderTerm } from "./leader-election.js";
export { leaseLock, microTime, LEASE_RESOURCE, type LeaseLock } from "./leader-election-lock.js";
export { fenceTransport, fencedClient, type Fence } from "./leader-election-fence.js";
export { runElected, defaultIdentity, type Elected, type LeaderElectionOptions, type Stoppable } from "./leader-election-runner.js";
export { FakeClock, realClock, type Clock } from "./leader-election-clock.js";
