/**
 * Wiring: informers on claims, volumes and classes feed two controllers — one provisioning claims,
 * one deleting released volumes — each with its own queue, N workers (different keys in parallel,
 * never two for one key), and per-key exponential backoff from 1 s doubling to 5 min as the
 * upstream external-provisioner (--retry-interval-start / --retry-interval-max). Nothing polls:
 * every reconcile is caused by an informer event or a backoff timer.
 *
 * With `leaderElection` (upstream's --leader-election: replicas elect one active provisioner on
 * their own Lease) both controllers run only while holding it: each term starts them afresh on a
 * fenced client, and the driver's CreateVolume/DeleteVolume are guarded by the term as well, so a
 * deposed provisioner neither writes to the API nor calls the backend.
 */
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { ControllerService, IdentityService } from "../../csi/index.js";
import { createInformerFactory, objectKey, stripManagedFields, type InformerFactory, type KubeClient } from "../../client/index.js";
import { createLogger, type Logger } from "../../lib/log.js";
import { ExponentialFailureRateLimiter } from "../../lib/workqueue.js";
import { createController, createEventRecorder, runElected, type Controller, type EventRecorder, type LeaderElectionOptions, type LeaderElector, type LeaderTerm } from "../runtime/index.js";
import { registerCsiDriver } from "./csidriver.js";
import { claimClassName } from "./decide.js";
import { reconcileVolume } from "./delete.js";
import { RecentSet, reconcileClaim } from "./provision.js";
import { ANN_PROVISIONED_BY, PVC_RESOURCE, PV_RESOURCE, SC_RESOURCE, type PersistentVolume, type PersistentVolumeClaim, type StorageClass } from "./types.js";

export interface ExternalProvisionerOptions {
  client: KubeClient;
  /** The CSI driver: its name comes from GetPluginInfo; CreateVolume / DeleteVolume do the work. */
  driver: { identity: Pick<IdentityService, "getPluginInfo">; controller: Pick<ControllerService, "createVolume" | "deleteVolume"> };
  log?: Logger;
  /** Workers per direction (provision, delete); upstream's default is 100 each. */
  workers?: number;
  /** Share informers with other controllers in the process. */
  informers?: InformerFactory;
  /** Backoff of failed keys (default 1 s doubling to 5 min). */
  retry?: { baseMs?: number; maxMs?: number };
  /** Provision only while holding this Lease (shared informers are then not used: each term has its own). */
  leaderElection?: LeaderElectionOptions;
}

export interface ExternalProvisioner {
  driverName: string;
  identity: string;
  /** With leader election these belong to the current term; reading them while standing by throws. */
  readonly provisioner: Controller;
  readonly deleter: Controller;
  readonly recorder: EventRecorder;
  /** With leader election: the elector. */
  elector?: LeaderElector;
  /** Stops both controllers (in-flight calls finish or are abandoned) and flushes events; with leader election also the campaign. */
  stop(): Promise<void>;
}

type Driver = ExternalProvisionerOptions["driver"];

/** The driver with its backend calls refused outside the term. */
function fencedDriver(driver: Driver, term: LeaderTerm): Driver {
  return {
    identity: driver.identity,
    controller: {
      createVolume: async (req) => {
        term.guard();
        return driver.controller.createVolume(req);
      },
      deleteVolume: async (req) => {
        term.guard();
        return driver.controller.deleteVolume(req);
      },
    },
  };
}

export async function startExternalProvisioner(opts: ExternalProvisionerOptions): Promise<ExternalProvisioner> {
  const log = opts.log ?? createLogger("external-provisioner");
  const driverName = (await opts.driver.identity.getPluginInfo()).name;
  const le = opts.leaderElection;
  if (!le) return startProvisioning(opts, driverName, log);
  const elected = runElected(opts.client, {
    ...le,
    log: log.child("leader-election"),
    start: (client, term) => startProvisioning({ ...opts, client, driver: fencedDriver(opts.driver, term), informers: undefined }, driverName, log, term.signal),
  });
  const current = () => {
    const p = elected.current();
    if (!p) throw new Error("the external provisioner is not running: this process does not lead");
    return p;
  };
  return {
    driverName,
    get identity() {
      return current().identity;
    },
    get provisioner() {
      return current().provisioner;
    },
    get deleter() {
      return current().deleter;
    },
    get recorder() {
      return current().recorder;
    },
    elector: elected.elector,
    stop: () => elected.stop(),
  };
}

async function startProvisioning(opts: ExternalProvisionerOptions, driverName: string, log: Logger, signal?: AbortSignal): Promise<ExternalProvisioner> {
  await registerCsiDriver(opts.client, driverName, log);

  const ownFactory = !opts.informers;
  const factory = opts.informers ?? createInformerFactory(opts.client, { transform: stripManagedFields });
  const claims = factory.informerFor<PersistentVolumeClaim>(PVC_RESOURCE);
  const volumes = factory.informerFor<PersistentVolume>(PV_RESOURCE);
  const classes = factory.informerFor<StorageClass>(SC_RESOURCE);
  const pvClient = opts.client.resource<PersistentVolume>(PV_RESOURCE);
  const pvcClient = opts.client.resource<PersistentVolumeClaim>(PVC_RESOURCE);
  const host = hostname();
  // The same shapes as upstream: component "<driver>_<host>_<uuid>", identity "<ms>-<random>-<driver>".
  const recorder = createEventRecorder(opts.client, { component: `${driverName}_${host}_${randomUUID()}`, host, log: log.child("events") });
  const identity = `${Date.now()}-${Math.floor(Math.random() * 10_000)}-${driverName}`;
  const workers = opts.workers ?? 100;
  const backoff = () => new ExponentialFailureRateLimiter<string>(opts.retry?.baseMs ?? 1000, opts.retry?.maxMs ?? 300_000);
  const recentlyCreated = new RecentSet();
  // Once the informer shows a PV we created, it is the source of truth again (and a later deletion is seen).
  volumes.onAdd((pv) => recentlyCreated.delete(pv.metadata.name ?? ""));

  const provisioner = createController({
    name: "csi-provisioner",
    workers,
    rateLimiter: backoff(),
    log: log.child("provision"),
    reconcile: (key) => reconcileClaim({ driverName, identity, controller: opts.driver.controller, claims, volumes, classes, pvClient, recorder, recentlyCreated, log }, key),
  })
    .watch(claims)
    // A volume of ours changing (or vanishing) is news for its claim.
    .watch(volumes, (pv) => {
      const ref = pv.spec?.claimRef;
      if (pv.metadata.annotations?.[ANN_PROVISIONED_BY] !== driverName || !ref?.name) return undefined;
      return `${ref.namespace ?? ""}/${ref.name}`;
    })
    // A class appearing late lets its waiting claims proceed.
    .watch(classes, (sc) => claims.list().filter((c) => claimClassName(c) === sc.metadata.name).map((c) => objectKey(c)));

  const deleter = createController({
    name: "csi-deleter",
    workers,
    rateLimiter: backoff(),
    log: log.child("delete"),
    reconcile: (key) => reconcileVolume({ driverName, controller: opts.driver.controller, volumes, pvClient, pvcClient, recorder, log }, key),
  }).watch(volumes);

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      await Promise.all([provisioner.stop(), deleter.stop()]);
      if (ownFactory) await factory.stop();
      await recorder.flush();
    })();
    return stopped;
  };
  // A term ending while the caches sync must not leave the start waiting on an API that is away.
  const onAbort = () => void stop();
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    await Promise.all([provisioner.start(), deleter.start()]);
    if (signal?.aborted) throw signal.reason;
  } catch (err) {
    await stop();
    throw err;
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
  log.info("external provisioner started", { driver: driverName, workers });
  return { driverName, identity, provisioner, deleter, recorder, stop };
}
