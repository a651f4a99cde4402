/**
 * The scheduler: assigns unscheduled pods (schedulerName unset or "default-scheduler") to nodes
 * with schedulePod, then, as upstream's VolumeBinding PreBind does, makes the volume decisions
 * durable before binding the pod:
 *   - a WaitForFirstConsumer claim matched to a static volume: the volume's claimRef is written
 *     (the PV controller then completes the claim side);
 *   - a claim to provision: volume.kubernetes.io/selected-node is set on it (the PV controller
 *     hands it to the provisioner);
 * and only when every claim of the pod is bound does it POST pods/{name}/binding. The pending
 * choice is kept in memory; after a restart the written claimRefs and selected-node annotations
 * steer the next decision to the same node.
 */
import type { KubeObject } from "../../api/types.js";
import { isConflict, isNotFound, type Informer, type InformerFactory, type KubeClient } from "../../client/index.js";
import type { Logger } from "../../lib/log.js";
import { Controller, type EventRecorder } from "../runtime/index.js";
import { volumeBoundToClaim } from "../binder/bind.js";
import { ANN_BIND_COMPLETED, ANN_SELECTED_NODE, COMPONENT_SCHEDULER, Reasons } from "../model/constants.js";
import { Resources } from "../model/resources.js";
import type { Node, PersistentVolume, PersistentVolumeClaim, Pod, StorageClass } from "../model/types.js";
import { claimKey, hasAnnotation, isPodTerminated, podClaimKeys, volumeClass } from "../model/volume-helpers.js";
import { POD_CLAIMS_INDEX, ensurePodClaimsIndex } from "../shared/pod-claims-index.js";
import { schedulePod } from "./schedule-pod.js";
import type { SchedulerSnapshot } from "./snapshot.js";

export interface SchedulerOptions {
  client: KubeClient;
  informers: InformerFactory;
  recorder: EventRecorder;
  log: Logger;
  workers?: number;
  /** Retry unschedulable pods this often even without a relevant change (default 30 s). */
  retryMs?: number;
}

const NODE_INDEX = "scheduler-node";
const CLASS_INDEX = "scheduler-class";

function podKey(p: Pod): string {
  return `${p.metadata.namespace}/${p.metadata.name}`;
}

function isOurs(p: Pod): boolean {
  const s = p.spec.schedulerName;
  return !s || s === COMPONENT_SCHEDULER;
}

export class Scheduler {
  private readonly pods: Informer<Pod>;
  private readonly nodes: Informer<Node>;
  private readonly claims: Informer<PersistentVolumeClaim>;
  private readonly volumes: Informer<PersistentVolume>;
  private readonly classes: Informer<StorageClass>;
  private readonly ctl: Controller;
  /** Pods whose volumes were prepared for a node, waiting for the PV controller. */
  private readonly assumed = new Map<string, { node: string; provisioning: Set<string> }>();
  private readonly pending = new Set<string>();
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly o: SchedulerOptions) {
    this.pods = o.informers.informerFor<Pod>(Resources.pods);
    this.nodes = o.informers.informerFor<Node>(Resources.nodes);
    this.claims = o.informers.informerFor<PersistentVolumeClaim>(Resources.persistentVolumeClaims);
    this.volumes = o.informers.informerFor<PersistentVolume>(Resources.persistentVolumes);
    this.classes = o.informers.informerFor<StorageClass>(Resources.storageClasses);
    ensurePodClaimsIndex(this.pods);
    try {
      this.pods.addIndexer(NODE_INDEX, (p) => p.spec.nodeName || undefined);
      this.volumes.addIndexer(CLASS_INDEX, (v) => volumeClass(v));
    } catch {
      // already added by another scheduler instance on these shared informers
    }
    this.ctl = new Controller({ name: "scheduler", reconcile: (k) => this.reconcile(k), workers: o.workers ?? 4, log: o.log });
  }

  async start(signal?: AbortSignal): Promise<void> {
    this.pods.addEventHandler({
      onAdd: (p) => this.podChanged(p),
      onUpdate: (_o, p) => this.podChanged(p),
      onDelete: (p) => {
        this.pending.delete(podKey(p));
        this.assumed.delete(podKey(p));
        this.wakeAll();
      },
    });
    const wakeClaimUsers = (c: PersistentVolumeClaim) => {
      for (const p of this.pods.byIndex(POD_CLAIMS_INDEX, claimKey(c))) if (this.pending.has(podKey(p))) this.ctl.enqueue(podKey(p));
    };
    this.claims.addEventHandler({ onAdd: wakeClaimUsers, onUpdate: (_o, c) => wakeClaimUsers(c), onDelete: wakeClaimUsers });
    for (const inf of [this.volumes, this.nodes, this.classes] as Informer<KubeObject>[]) {
      inf.addEventHandler({ onAdd: () => this.wakeAll(), onUpdate: () => this.wakeAll(), onDelete: () => this.wakeAll() });
    }
    const all = [this.pods, this.nodes, this.claims, this.volumes, this.classes] as Informer<KubeObject>[];
    for (const i of all) i.start();
    await Promise.all(all.map((i) => i.waitForSync(signal)));
    await this.ctl.start();
    this.timer = setInterval(() => this.wakeAll(), this.o.retryMs ?? 30_000);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.ctl.stop();
  }

  private podChanged(p: Pod): void {
    const key = podKey(p);
    if (!p.spec.nodeName && isOurs(p) && !p.metadata.deletionTimestamp && !isPodTerminated(p)) {
      this.pending.add(key);
      this.ctl.enqueue(key);
    } else {
      this.pending.delete(key);
      this.assumed.delete(key);
      // A pod leaving a node (or a claim) may let another pod in.
      this.wakeAll();
    }
  }

  private wakeAll(): void {
    for (const k of this.pending) this.ctl.enqueue(k);
  }

  snapshot(): SchedulerSnapshot {
    return {
      nodes: this.nodes.list().sort((a, b) => ((a.metadata.name ?? "") < (b.metadata.name ?? "") ? -1 : 1)),
      claim: (ns, name) => this.claims.getByName(ns, name),
      volume: (name) => this.volumes.getByName(undefined, name),
      volumesOfClass: (cls) => this.volumes.byIndex(CLASS_INDEX, cls),
      storageClass: (name) => this.classes.getByName(undefined, name),
      podsUsingClaim: (key) => this.pods.byIndex(POD_CLAIMS_INDEX, key),
      podCount: (node) => this.pods.byIndex(NODE_INDEX, node).filter((p) => !isPodTerminated(p)).length + [...this.assumed.values()].filter((a) => a.node === node).length,
      nodeOf: (p) => p.spec.nodeName || this.assumed.get(podKey(p))?.node,
    };
  }

  private async reconcile(key: string): Promise<{ requeueAfter?: number } | void> {
    const [ns, name] = [key.slice(0, key.indexOf("/")), key.slice(key.indexOf("/") + 1)];
    const pod = this.pods.getByName(ns, name);
    if (!pod || pod.spec.nodeName || !isOurs(pod) || pod.metadata.deletionTimestamp || isPodTerminated(pod)) {
      this.assumed.delete(key);
      return;
    }
    const chosen = this.assumed.get(key);
    if (chosen) {
      const claims = podClaimKeys(pod).map((k) => this.claims.getByName(k.slice(0, k.indexOf("/")), k.slice(k.indexOf("/") + 1)));
      if (claims.every((c) => c && c.spec.volumeName && hasAnnotation(c, ANN_BIND_COMPLETED))) return this.bind(pod, chosen.node);
      // Provisioning failed and the PV controller took the node back: choose again.
      const abandoned = claims.some((c) => !c || (chosen.provisioning.has(claimKey(c)) && !c.spec.volumeName && c.metadata.annotations?.[ANN_SELECTED_NODE] === undefined));
      if (!abandoned) return { requeueAfter: 5_000 };
      this.assumed.delete(key);
    }
    const result = schedulePod(pod, this.snapshot());
    if (result.kind === "unschedulable") {
      this.o.recorder.event(pod, "Warning", Reasons.FailedScheduling, result.message);
      await this.markUnschedulable(pod, result.message);
      return;
    }
    try {
      for (const { claim, volume } of result.volumes.staticBindings) {
        const bound = volumeBoundToClaim(volume, claim);
        if (bound.dirty) await this.o.client.resource<PersistentVolume & KubeObject>(Resources.persistentVolumes).update(bound.volume);
      }
      for (const claim of result.volumes.provisions) {
        if (claim.metadata.annotations?.[ANN_SELECTED_NODE] === result.node) continue;
        const next = structuredClone(claim);
        next.metadata.annotations = { ...(next.metadata.annotations ?? {}), [ANN_SELECTED_NODE]: result.node };
        await this.o.client.resource<PersistentVolumeClaim & KubeObject>(Resources.persistentVolumeClaims).update(next);
      }
    } catch (err) {
      // Someone else changed a volume or claim first: decide again from fresh caches.
      if (isConflict(err) || isNotFound(err)) return { requeueAfter: 50 };
      throw err;
    }
    if (result.volumes.staticBindings.length === 0 && result.volumes.provisions.length === 0) return this.bind(pod, result.node);
    this.assumed.set(key, { node: result.node, provisioning: new Set(result.volumes.provisions.map((c) => claimKey(c))) });
    return { requeueAfter: 5_000 };
  }

  private async bind(pod: Pod, node: string): Promise<void> {
    const key = podKey(pod);
    try {
      await this.o.client.resource<Pod & KubeObject>(Resources.pods).postSubresource(pod.metadata.namespace, pod.metadata.name ?? "", "binding", {
        apiVersion: "v1",
        kind: "Binding",
        metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace },
        target: { apiVersion: "v1", kind: "Node", name: node },
      });
    } catch (err) {
      // Already assigned (by us before a restart, or by someone else): nothing left to do.
      if (!isConflict(err) && !isNotFound(err)) throw err;
      this.assumed.delete(key);
      return;
    }
    this.assumed.delete(key);
    this.pending.delete(key);
    this.o.recorder.event(pod, "Normal", Reasons.Scheduled, `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${node}`);
  }

  /** PodScheduled=False/Unschedulable with the message, as the scheduler reports it in status. */
  private async markUnschedulable(pod: Pod, message: string): Promise<void> {
    const conds = pod.status?.conditions ?? [];
    const cur = conds.find((c) => c.type === "PodScheduled");
    if (cur && cur.status === "False" && cur.reason === "Unschedulable" && cur.message === message) return;
    const next = structuredClone(pod);
    next.status = { ...(next.status ?? {}) };
    next.status.conditions = [
      ...conds.filter((c) => c.type !== "PodScheduled"),
      { type: "PodScheduled", status: "False", reason: "Unschedulable", message, lastProbeTime: null, lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, "Z") } as never,
    ];
    if (!next.status.phase) next.status.phase = "Pending";
    try {
      await this.o.client.resource<Pod & KubeObject>(Resources.pods).updateStatus(next);
    } catch (err) {
      if (!isConflict(err) && !isNotFound(err)) throw err;
    }
  }
}
