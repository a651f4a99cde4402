/**
 * startNodeAgent: one node — its Node, Lease and CSINode, its pods (informer on spec.nodeName → per-pod workers),
 * the runc runtime, the CSI driver's node side, the container relist, housekeeping and the kubelet API server.
 * Everything it needs to resume is on disk or in the API, so a new agent over the same rootDir (after a crash or
 * kill -9) re-adopts running containers and mounts instead of starting them again.
 */
import * as fs from "node:fs";
import type { Node, Pod } from "../api/index.js";
import { createClient, createInformer, loadKubeconfig, type KubeClient } from "../client/index.js";
import { createController, createEventRecorder } from "../controllers/runtime/index.js";
import { createEfsCsiDriver, type EfsCsiDriver } from "../csi/index.js";
import { createLogger } from "../lib/log.js";
import { ensureServerCert } from "../lib/pki.js";
import { NodeLayout } from "./layout.js";
import { isDriverInstance, type NodeAgentOptions, type StopOptions } from "./options.js";
import { Backoff } from "./pods/backoff.js";
import { ContainerIndex } from "./pods/container-index.js";
import type { PodContext } from "./pods/context.js";
import { apiPodObjects } from "./pods/objects.js";
import { PodSyncer } from "./pods/pod-sync.js";
import { Prober } from "./pods/prober.js";
import { StatusWriter } from "./pods/status-writer.js";
import { gracePeriodOf, stopPodContainers } from "./pods/termination.js";
import { registerCsiNode } from "./registration/csi-node.js";
import { LeaseRenewer } from "./registration/lease-renewer.js";
import { readMachineInfo } from "./registration/machine-info.js";
import { NodeRegistrar } from "./registration/node-registrar.js";
import { POD } from "./registration/resources.js";
import { createRuntime, type Runtime } from "./runtime/index.js";
import { ExecServer } from "./server/exec.js";
import { startKubeletServer } from "./server/kubelet-server.js";
import { serveContainerLogs } from "./server/logs.js";
import type { PodLookup } from "./server/pod-lookup.js";
import { createNodeMetrics } from "./stats/metrics.js";
import { SummaryBuilder } from "./stats/summary.js";
import { VolumeStatsCollector } from "./stats/volume-stats.js";
import { VolumeManager } from "./volumes/volume-manager.js";

export interface NodeAgent {
  name: string;
  /** The real path of the root dir. */
  rootDir: string;
  /** The kubelet API (https://address:port), as the Node advertises it. */
  kubeletUrl: string;
  kubeletPort: number;
  runcVersion: string;
  /** Loud start-up warnings (a runc with known mount-escape vulnerabilities…). */
  warnings: string[];
  runtime: Runtime;
  csi: EfsCsiDriver;
  /** Stop the agent; see StopOptions for what happens to its pods. */
  stop(opts?: StopOptions): Promise<void>;
}

const NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

function clientFor(o: NodeAgentOptions): { client: KubeClient; own: boolean } {
  if (o.client) return { client: o.client, own: false };
  if (!o.kubeconfig) throw new Error("startNodeAgent needs a client or a kubeconfig");
  return { client: createClient({ ...loadKubeconfig(o.kubeconfig), userAgent: `cistern-node/0.1 (${o.name})`, fieldManager: "cistern-node" }), own: true };
}

export async function startNodeAgent(o: NodeAgentOptions): Promise<NodeAgent> {
  if (!NAME.test(o.name)) throw new Error(`node name ${JSON.stringify(o.name)} is not a DNS subdomain`);
  const log = o.log ?? createLogger(`node/${o.name}`);
  fs.mkdirSync(o.rootDir, { recursive: true, mode: 0o700 });
  const layout = new NodeLayout(fs.realpathSync(o.rootDir));
  fs.mkdirSync(layout.podsDir, { recursive: true, mode: 0o750 });
  const hostIP = o.hostIP ?? "127.0.0.1";
  const { client, own: ownClient } = clientFor(o);
  const clusterCaPem = o.clusterCaPem ?? client.options.caData;
  if (!clusterCaPem) throw new Error("startNodeAgent needs clusterCaPem (the CA that signs the API server's kubelet client certificate)");

  const runtime = await createRuntime({ rootDir: layout.runtimeDir, ...o.runtime, log: log.child("runtime") });
  const runc = await runtime.runcVersion();
  const warnings = [...runtime.warnings];
  for (const w of warnings) log.error(`SECURITY WARNING: ${w}`);

  const csi = isDriverInstance(o.csi) ? o.csi.driver : createEfsCsiDriver({ ...o.csi, stateDir: o.csi.stateDir ?? layout.csiStateDir, nodeId: o.name, publishRoot: layout.podsDir, log: o.csi.log ?? log.child("csi") });
  const ownCsi = !isDriverInstance(o.csi);
  const info = readMachineInfo(layout.rootDir);
  const allocatable = { cpu: String(info.cpus), memory: `${Math.floor(info.memoryBytes / 1024)}Ki` };

  const podsApi = client.resource<Pod>(POD);
  const informer = createInformer(podsApi, { fieldSelector: `spec.nodeName=${o.name}`, log: log.child("pods") });
  informer.addIndexer("uid", (p) => p.metadata.uid);
  const lastKnown = new Map<string, Pod>();
  informer.onDelete((p) => {
    if (lastKnown.size > 1000) lastKnown.delete(lastKnown.keys().next().value as string);
    if (p.metadata.uid) lastKnown.set(p.metadata.uid, p);
  });

  const index = new ContainerIndex(runtime);
  await index.relist();
  const objects = apiPodObjects(client);
  const recorder = createEventRecorder(client, { component: "kubelet", host: o.name, log: log.child("events") });
  const env = { hostIP, allocatable };
  const volumes = new VolumeManager({
    layout,
    csi,
    objects,
    env,
    log: log.child("volumes"),
    recheckMs: o.volumeRecheckMs,
    podsInNamespace: async (ns) => (await podsApi.list(ns)).items,
  });
  const ctx: PodContext = {
    nodeName: o.name,
    env,
    runtime,
    index,
    volumes,
    objects,
    recorder,
    statusWriter: new StatusWriter(podsApi),
    probes: new Prober({ runtime, recorder, hostIP, log: log.child("probes"), changed: (uid) => controller.enqueue(uid) }),
    podsApi,
    backoff: new Backoff(),
    imageBackoff: new Backoff(),
    startBackoff: new Backoff(),
    waiting: new Map(),
    log: log.child("pods"),
  };
  const controller = createController({
    name: `node-${o.name}`,
    workers: o.podWorkers ?? 16,
    log: log.child("sync"),
    reconcile: async (uid) => {
      const ms = await syncer.sync(uid);
      return ms ? { requeueAfter: ms } : undefined;
    },
  });
  const syncer = new PodSyncer(
    ctx,
    { byUid: (uid) => informer.byIndex("uid", uid)[0], lastKnown: (uid) => lastKnown.get(uid) },
    (uid, ms) => (ms ? controller.enqueueAfter(uid, ms) : controller.enqueue(uid)),
  );
  controller.watch(informer, (p) => p.metadata.uid);

  const lookup: PodLookup = { byName: (ns, name) => informer.getByName(ns, name), containersOf: (uid) => index.forPod(uid) };
  const exec = new ExecServer(runtime, lookup, log.child("exec"));
  const collector = new VolumeStatsCollector(volumes, csi, log.child("stats"));
  const summary = new SummaryBuilder();
  const startTime = new Date();
  const metrics = createNodeMetrics({
    nodeName: o.name,
    volumes: () => collector.collect(),
    runningPods: () => index.podUids().filter((uid) => index.forPod(uid).some((c) => c.kind === "sandbox" && c.state === "running")).length,
    containerStates: () => {
      const counts: Record<string, number> = { running: 0, exited: 0, created: 0 };
      for (const uid of index.podUids()) for (const c of index.forPod(uid)) if (c.kind === "container") counts[c.state]++;
      return counts;
    },
  });
  const cert = await ensureServerCert(layout.pkiDir, "kubelet", [hostIP]);
  const server = await startKubeletServer({
    host: o.address ?? "127.0.0.1",
    port: o.port ?? 0,
    cert: cert.certPem,
    key: cert.keyPem,
    clientCaPem: clusterCaPem,
    log: log.child("kubelet-api"),
    routes: {
      logs: (req, res, ns, pod, c, q) => serveContainerLogs(runtime, lookup, req, res, ns, pod, c, q),
      exec: (req, socket, head, ns, pod, c, q) => exec.handleUpgrade(req, socket, head, ns, pod, c, q),
      summary: async () => summary.build({ nodeName: o.name, startTime, rootDir: layout.rootDir, pods: informer.list(), containersOf: (uid) => index.forPod(uid), volumes: await collector.collect() }),
      metrics: async () => ({ contentType: metrics.contentType, body: (await metrics.metrics()) + (await csi.metrics.registry.metrics()) }),
      pods: () => ({ kind: "PodList", apiVersion: "v1", metadata: {}, items: informer.list() }),
    },
  });

  const identity = { name: o.name, hostIP, kubeletPort: server.port, runcVersion: runc.version, labels: o.labels };
  const registrar = new NodeRegistrar(client, identity, () => ({ ...info, fsCapacityBytes: readMachineInfo(layout.rootDir).fsCapacityBytes }), log.child("registration"), o.nodeStatus);
  const lease = new LeaseRenewer(client, o.name, () => registrar.node, log.child("lease"), o.lease?.durationSeconds, o.lease?.renewMs);
  const timers: ReturnType<typeof setInterval>[] = [];
  try {
    const node: Node = await registrar.start();
    await lease.start();
    await registerCsiNode(client, node, csi);
    for (const w of warnings) recorder.event(node, "Warning", "VulnerableRuntime", w);

    await controller.start();
    const known = (uid: string) => informer.byIndex("uid", uid).length > 0;
    const sweep = () => {
      for (const uid of new Set([...index.podUids(), ...volumes.podDirs()])) if (!known(uid)) controller.enqueue(uid);
    };
    sweep();
    let relisting = false;
    timers.push(
      setInterval(() => {
        if (relisting) return;
        relisting = true;
        index
          .relist()
          .then((changed) => changed.forEach((uid) => controller.enqueue(uid)))
          .catch((err: unknown) => log.warn("container relist failed", { err }))
          .finally(() => (relisting = false));
      }, o.relistMs ?? 1_000),
      setInterval(() => {
        for (const p of informer.list()) if (p.metadata.uid) controller.enqueue(p.metadata.uid);
        sweep();
      }, o.housekeepingMs ?? 60_000),
    );
    for (const t of timers) t.unref?.();
  } catch (e) {
    for (const t of timers) clearInterval(t);
    await Promise.allSettled([controller.stop(), lease.stop(), registrar.stop(), informer.stop(), server.close()]);
    exec.close();
    if (ownCsi) csi.close();
    if (ownClient) client.close();
    throw e;
  }
  log.info("node agent running", { node: o.name, rootDir: layout.rootDir, kubeletPort: server.port, runc: runc.version });

  let stopped: Promise<void> | undefined;
  return {
    name: o.name,
    rootDir: layout.rootDir,
    kubeletUrl: `https://${hostIP}:${server.port}`,
    kubeletPort: server.port,
    runcVersion: runc.version,
    warnings,
    runtime,
    csi,
    stop(opts: StopOptions = {}) {
      stopped ??= (async () => {
        for (const t of timers) clearInterval(t);
        exec.close();
        ctx.probes.stop();
        await controller.stop();
        await Promise.allSettled(syncer.inFlight());
        await Promise.allSettled([lease.stop(), registrar.stop(), server.close()]);
        if (!opts.keepContainers) {
          await index.relist().catch(() => undefined);
          await Promise.all(
            index.podUids().map(async (uid) => {
              try {
                const pod = informer.byIndex("uid", uid)[0];
                await stopPodContainers(ctx, uid, undefined, () => Math.min(10, gracePeriodOf(pod)));
                await runtime.removePodSandbox(uid);
                await volumes.tearDownPod(uid);
              } catch (err) {
                log.warn("could not clean up a pod while stopping", { uid, err });
              }
            }),
          );
          for (const uid of volumes.podDirs()) await volumes.tearDownPod(uid).catch((err: unknown) => log.warn("could not tear down pod volumes while stopping", { uid, err }));
        }
        await informer.stop();
        await Promise.race([recorder.flush(), new Promise((r) => setTimeout(r, 2_000))]);
        if (ownCsi) csi.close();
        if (ownClient) client.close();
        log.info("node agent stopped", { node: o.name, keepContainers: !!opts.keepContainers });
      })();
      return stopped;
    },
  };
}
