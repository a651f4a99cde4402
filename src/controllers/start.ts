/**
 * Wiring: one client, one set of shared informers, and every controller — the PV binder,
 * pvc/pv protection, the scheduler, expansion, namespace and serviceaccount controllers.
 *
 * With `leaderElection`, they all run only while this process holds the Lease (one lease for the
 * whole set, scheduler included): each term starts a fresh set on a fenced client (writes refused
 * outside the term, cancelled when it ends) and stops it when the term ends; a standby runs
 * nothing but its election.
 */
import { createClient, createInformerFactory, loadKubeconfig, stripManagedFields, type KubeClient } from "../client/index.js";
import { createLogger, type Logger } from "../lib/log.js";
import { createEventRecorder, runElected, type Controller, type LeaderElectionOptions, type LeaderElector, type Stoppable } from "./runtime/index.js";
import { COMPONENT_PV_CONTROLLER, COMPONENT_SCHEDULER } from "./model/constants.js";
import { expansionController } from "./expansion/controller.js";
import { namespaceController } from "./namespace/controller.js";
import { pvProtectionController, pvcProtectionController } from "./protection/controllers.js";
import { PvBinder } from "./pv-binder/controller.js";
import { Scheduler } from "./scheduler/controller.js";
import { serviceAccountController } from "./serviceaccount/controller.js";

export interface StartControllersOptions {
  /** A client to use, or… */
  client?: KubeClient;
  /** …a kubeconfig file to build one from. */
  kubeconfig?: string;
  log?: Logger;
  /** Claim workers of the PV binder (default 32); other controllers scale from it. */
  workers?: number;
  /** Safety-net resync of the PV binder (default 15 s; 0 disables). */
  resyncMs?: number;
  /** Leave the scheduler out (another scheduler assigns pods). */
  withoutScheduler?: boolean;
  signal?: AbortSignal;
  /**
   * Run only while holding this coordination.k8s.io/v1 Lease (upstream's 15 s / 10 s / 2 s unless
   * given); every write is fenced by the term. Without it the controllers run at once, unfenced.
   */
  leaderElection?: LeaderElectionOptions;
  /**
   * More controllers to run with these (e.g. the node lifecycle controller), started on the same
   * client once the others run — with leader election in the same term, on the fenced client.
   */
  alongside?: ((client: KubeClient) => Promise<Stoppable>)[];
}

export interface RunningControllers {
  /** The unfenced client (leader election itself uses it). */
  client: KubeClient;
  /** The PV binder (of the current term with leader election; reading it while standing by throws). */
  readonly binder: PvBinder;
  readonly scheduler?: Scheduler;
  /** With leader election: the elector (isLeader(), leader, termsWon). */
  elector?: LeaderElector;
  /** Stop every controller and informer (and the election, releasing the Lease); waits for syncs in flight. Idempotent. */
  stop(): Promise<void>;
}

interface ControllerSet {
  binder: PvBinder;
  scheduler?: Scheduler;
  stop(): Promise<void>;
}

/**
 * Start every controller. Without leader election: resolves once their caches have synced and
 * workers run. With it: resolves once campaigning has begun (the controllers start when the Lease
 * is won). Throws if neither a client nor a kubeconfig is given, or (without leader election) if
 * the API server cannot be listed.
 */
export async function startControllers(options: StartControllersOptions): Promise<RunningControllers> {
  const log = options.log ?? createLogger("controllers");
  let client = options.client;
  const ownsClient = !client;
  if (!client) {
    if (!options.kubeconfig) throw new Error("startControllers: a client or a kubeconfig is required");
    client = createClient({ ...loadKubeconfig(options.kubeconfig), userAgent: "cistern-controllers/0.1", fieldManager: "cistern-controllers" });
  }
  const base = client;
  const le = options.leaderElection;
  if (!le) {
    let set: ControllerSet;
    try {
      set = await startControllerSet(base, options, log, options.signal);
    } catch (err) {
      if (ownsClient) base.close();
      throw err;
    }
    return {
      client: base, binder: set.binder, scheduler: set.scheduler,
      async stop() {
        await set.stop();
        if (ownsClient) base.close();
      },
    };
  }
  const elected = runElected(base, { ...le, log: log.child("leader-election"), start: (fenced, term) => startControllerSet(fenced, options, log, term.signal) });
  let stopping: Promise<void> | undefined;
  return {
    client: base,
    elector: elected.elector,
    get binder(): PvBinder {
      const set = elected.current();
      if (!set) throw new Error("the controllers are not running: this process does not lead");
      return set.binder;
    },
    get scheduler(): Scheduler | undefined {
      return elected.current()?.scheduler;
    },
    stop() {
      stopping ??= elected.stop().then(() => {
        if (ownsClient) base.close();
      });
      return stopping;
    },
  };
}

/** One set of controllers and informers on `client`; resolves once synced and running. */
async function startControllerSet(client: KubeClient, options: StartControllersOptions, log: Logger, signal: AbortSignal | undefined): Promise<ControllerSet> {
  const workers = options.workers ?? 32;
  // No controller reads managedFields, and a PUT without them keeps the stored ones.
  const informers = createInformerFactory(client, { transform: stripManagedFields });
  const pvRecorder = createEventRecorder(client, { component: COMPONENT_PV_CONTROLLER });
  const schedRecorder = createEventRecorder(client, { component: COMPONENT_SCHEDULER });
  const binder = new PvBinder({ client, informers, recorder: pvRecorder, log: log.child("pv-binder"), claimWorkers: workers, volumeWorkers: Math.max(4, workers >> 1), resyncMs: options.resyncMs });
  const scheduler = options.withoutScheduler ? undefined : new Scheduler({ client, informers, recorder: schedRecorder, log: log.child("scheduler") });
  const small = Math.max(2, workers >> 3);
  const others: Controller[] = [
    pvcProtectionController({ client, informers, log: log.child("pvc-protection"), workers: small }),
    pvProtectionController({ client, informers, log: log.child("pv-protection"), workers: small }),
    expansionController({ client, informers, log: log.child("expansion"), workers: small }),
    namespaceController({ client, informers, log: log.child("namespace") }),
    serviceAccountController({ client, informers, log: log.child("serviceaccount") }),
  ];
  informers.start();
  const extras: Stoppable[] = [];
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      await Promise.allSettled(extras.map((e) => e.stop()));
      await Promise.allSettled([binder.stop(), scheduler?.stop(), ...others.map((c) => c.stop())]);
      await informers.stop();
      await Promise.allSettled([pvRecorder.flush(), schedRecorder.flush()]);
    })();
    return stopped;
  };
  // A term ending while the caches sync must not leave the start waiting on an API that is away.
  const onAbort = () => void stop();
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    await Promise.all([binder.start(signal), scheduler?.start(signal), ...others.map((c) => c.start())]);
    for (const start of options.alongside ?? []) {
      if (signal?.aborted) break;
      const extra = await start(client);
      // Stopped while it started: it missed the stop, so stop it here.
      if (stopped) {
        await extra.stop();
        break;
      }
      extras.push(extra);
    }
    if (signal?.aborted) throw signal.reason;
  } catch (err) {
    await stop();
    throw err;
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
  log.info("controllers running", { workers });
  return { binder, scheduler, stop };
}
