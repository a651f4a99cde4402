/**
 * Wiring: one client, one set of shared informers, and every controller — the PV binder,
 * pvc/pv protection, the scheduler, expansion, namespace and serviceaccount controllers.
 */
import { createClient, createInformerFactory, loadKubeconfig, type KubeClient } from "../client/index.js";
import { createLogger, type Logger } from "../lib/log.js";
import { createEventRecorder, type Controller } from "./runtime/index.js";
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
}

export interface RunningControllers {
  client: KubeClient;
  binder: PvBinder;
  scheduler?: Scheduler;
  /** Stop every controller and informer; waits for syncs in flight. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Start every controller and resolve once their caches have synced and workers run. Throws if
 * neither a client nor a kubeconfig is given, or if the API server cannot be listed.
 */
export async function startControllers(options: StartControllersOptions): Promise<RunningControllers> {
  const log = options.log ?? createLogger("controllers");
  let client = options.client;
  const ownsClient = !client;
  if (!client) {
    if (!options.kubeconfig) throw new Error("startControllers: a client or a kubeconfig is required");
    client = createClient({ ...loadKubeconfig(options.kubeconfig), userAgent: "cistern-controllers/0.1", fieldManager: "cistern-controllers" });
  }
  const workers = options.workers ?? 32;
  const informers = createInformerFactory(client);
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
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await Promise.allSettled([binder.stop(), scheduler?.stop(), ...others.map((c) => c.stop())]);
    await informers.stop();
    await Promise.allSettled([pvRecorder.flush(), schedRecorder.flush()]);
    if (ownsClient) client.close();
  };
  try {
    await Promise.all([binder.start(options.signal), scheduler?.start(options.signal), ...others.map((c) => c.start())]);
  } catch (err) {
    await stop();
    throw err;
  }
  log.info("controllers running", { workers });
  return { client, binder, scheduler, stop };
}
