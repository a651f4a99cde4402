/**
 * One pod's reconcile (level-based; called by the agent's per-pod workers with the pod's uid):
 *   - pod gone from the API            → stop its containers (last known grace), remove them and its sandbox,
 *                                        tear down its volumes (an orphan after a restart is handled the same);
 *   - pod marked for deletion          → graceful termination in the background: Killing, SIGTERM, grace,
 *                                        SIGKILL, final status, remove containers, unmount volumes, then DELETE
 *                                        the pod with grace period 0 (the API server's signal that the node is
 *                                        done);
 *   - pod finished (Succeeded/Failed)  → make sure nothing of it runs; containers stay for `kubectl logs`;
 *   - otherwise                        → volumes, then the plan (init containers, starts, restarts with
 *                                        back-off), then the status. A pod's first sync starts its sandbox while
 *                                        the volumes are being mounted (the sandbox uses none of them); the
 *                                        status reports it (PodReadyToStartContainers) only once the volumes are
 *                                        ready, as the kubelet, which creates it after them, would.
 * Returns a delay after which to look again (back-off expiry, mount retry), or undefined.
 */
import type { Pod } from "../../api/index.js";
import { isConflict, isNotFound } from "../../client/index.js";
import { VolumeSetUpError } from "../volumes/volume-manager.js";
import { Backoff } from "./backoff.js";
import { planPod } from "./container-plan.js";
import { waitingOf, type PodContext } from "./context.js";
import { formatPod } from "./pod-format.js";
import { generatePodStatus } from "./pod-status.js";
import { startContainer } from "./start-container.js";
import { gracePeriodOf, stopPodContainers } from "./termination.js";

export interface PodSource {
  /** The pod as the informer has it now. */
  byUid(uid: string): Pod | undefined;
  /** The last version seen of a pod that was deleted (for its grace period), if remembered. */
  lastKnown(uid: string): Pod | undefined;
}

/** Milliseconds until the pod's activeDeadlineSeconds runs out (from its startTime), if it has one. */
function deadlineLeft(pod: Pod): number | undefined {
  const s = pod.spec?.activeDeadlineSeconds;
  const start = Date.parse(pod.status?.startTime ?? "");
  if (!s || Number.isNaN(start)) return undefined;
  return start + s * 1000 - Date.now();
}

function isTerminalPhase(pod: Pod): boolean {
  return pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed";
}

export class PodSyncer {
  private readonly background = new Map<string, Promise<void>>();
  /** Pods whose deletion this node has completed (the informer may still show them for a moment). */
  private readonly deleted = new Set<string>();
  /** Retry delays after a failed mount (grows to 32 s), and while waiting on someone else — a claim to bind, another pod to let go (up to 8 s). */
  private readonly mountBackoff = new Backoff({ initialMs: 500, maxMs: 32_000 });
  private readonly waitBackoff = new Backoff({ initialMs: 1_000, maxMs: 8_000 });

  constructor(
    private readonly ctx: PodContext,
    private readonly pods: PodSource,
    /** Called when background work for a pod finished, to look at it again. */
    private readonly requeue: (uid: string, afterMs?: number) => void,
  ) {}

  /** Background terminations in flight (stop() waits for them). */
  inFlight(): Promise<void>[] {
    return [...this.background.values()];
  }

  async sync(uid: string): Promise<number | undefined> {
    if (this.background.has(uid)) return undefined;
    const pod = this.pods.byUid(uid);
    if (!pod) {
      if (this.ctx.index.forPod(uid).length === 0 && !this.ctx.volumes.podDirs().includes(uid)) return this.forget(uid);
      this.runInBackground(uid, () => this.cleanUp(uid, this.pods.lastKnown(uid), false));
      return undefined;
    }
    if (pod.metadata.deletionTimestamp) {
      if (this.deleted.has(uid)) return undefined;
      this.runInBackground(uid, () => this.cleanUp(uid, pod, true));
      return undefined;
    }
    if (isTerminalPhase(pod)) {
      await this.stopFinished(pod);
      return undefined;
    }
    return this.syncLive(pod);
  }

  private forget(uid: string): undefined {
    this.ctx.waiting.delete(uid);
    this.ctx.statusWriter.forget(uid);
    this.ctx.probes.forget(uid);
    for (const b of [this.ctx.backoff, this.ctx.imageBackoff, this.ctx.startBackoff]) b.forgetPrefix(`${uid}/`);
    this.mountBackoff.forgetPrefix(uid);
    this.waitBackoff.forgetPrefix(uid);
    return undefined;
  }

  private runInBackground(uid: string, work: () => Promise<void>): void {
    const p = work()
      .then(() => {
        this.background.delete(uid);
        this.requeue(uid);
      })
      .catch((err: unknown) => {
        this.background.delete(uid);
        this.ctx.log.warn("pod cleanup failed; will retry", { uid, err });
        this.requeue(uid, 5_000);
      });
    this.background.set(uid, p);
  }

  /** Stop, remove and unmount everything of pod `uid`; with `confirm`, write the final status and delete the pod. */
  private async cleanUp(uid: string, pod: Pod | undefined, confirm: boolean): Promise<void> {
    const { ctx } = this;
    ctx.probes.forget(uid);
    // Once the pod has left the API (force delete, or deleted while we were away) there is nothing to wait for:
    // the minimum grace applies.
    const grace = () => {
      const cur = this.pods.byUid(uid);
      return cur ? gracePeriodOf(cur) : 0;
    };
    await stopPodContainers(ctx, uid, pod, grace);
    if (confirm && pod) {
      const latest = this.pods.byUid(uid) ?? pod;
      const containers = ctx.index.forPod(uid).filter((c) => c.kind === "container");
      const now = new Date();
      await ctx.statusWriter
        .write(latest, (base) => generatePodStatus({ pod: base, containers, waiting: new Map(), sandboxReady: false, podIsTerminal: true, hostIP: ctx.env.hostIP, now }))
        .catch((err: unknown) => ctx.log.debug("final status not written", { uid, err }));
    }
    await ctx.runtime.removePodSandbox(uid);
    ctx.index.dropPod(uid);
    await ctx.volumes.tearDownPod(uid);
    if (confirm && pod) {
      try {
        await ctx.podsApi.delete(pod.metadata.namespace, pod.metadata.name ?? "", { gracePeriodSeconds: 0, preconditions: { uid } });
      } catch (e) {
        // Gone already, or the name now belongs to a newer pod: either way this one is done.
        if (!isNotFound(e) && !isConflict(e)) throw e;
      }
      if (this.deleted.size > 1000) this.deleted.delete(this.deleted.values().next().value as string);
      this.deleted.add(uid);
    }
    this.forget(uid);
    ctx.log.info("pod cleaned up", { uid, pod: pod ? `${pod.metadata.namespace}/${pod.metadata.name}` : undefined });
  }

  /** A pod the API shows as finished: nothing of it may run (its sandbox included); its containers stay for logs. */
  private async stopFinished(pod: Pod): Promise<void> {
    const uid = pod.metadata.uid ?? "";
    this.ctx.probes.forget(uid);
    const all = await this.ctx.index.refreshPod(uid);
    if (all.some((c) => c.kind === "container" && c.state !== "exited")) await stopPodContainers(this.ctx, uid, pod, () => gracePeriodOf(pod));
    await this.stopSandbox(uid);
  }

  private async stopSandbox(uid: string): Promise<void> {
    for (const sb of this.ctx.index.forPod(uid).filter((c) => c.kind === "sandbox" && c.state !== "exited")) {
      await this.ctx.runtime.killContainer(sb.id, "SIGKILL").catch(() => undefined);
    }
    await this.ctx.index.refreshPod(uid);
  }

  private async syncLive(pod: Pod): Promise<number | undefined> {
    const { ctx } = this;
    const uid = pod.metadata.uid ?? "";
    const waiting = waitingOf(ctx, uid);
    let requeue: number | undefined;
    const later = (ms: number | undefined) => {
      if (ms !== undefined && ms > 0) requeue = requeue === undefined ? ms : Math.min(requeue, ms);
    };

    const left = deadlineLeft(pod);
    if (left !== undefined && left <= 0) {
      await this.failPod(pod, "DeadlineExceeded", "Pod was active on the node longer than the specified deadline");
      return undefined;
    }
    later(left);

    const sandbox = this.startSandboxEarly(pod, uid);
    let volumes;
    try {
      volumes = await ctx.volumes.setUpPod(pod);
      this.mountBackoff.forgetPrefix(uid);
      this.waitBackoff.forgetPrefix(uid);
    } catch (e) {
      await sandbox;
      if (!(e instanceof VolumeSetUpError)) throw e;
      ctx.recorder.event(pod, "Warning", e.reason, e.message);
      const b = e.waiting ? this.waitBackoff : this.mountBackoff;
      b.next(uid, Date.now());
      later(b.get(uid));
      await this.writeStatus(pod, false, false);
      return requeue;
    }
    await sandbox;

    const containers = (await ctx.index.refreshPod(uid)).filter((c) => c.kind === "container");
    const plan = planPod(pod, containers, ctx.backoff, Date.now());
    for (const id of plan.remove) {
      await ctx.runtime.removeContainer(id);
      ctx.index.dropContainer(uid, id);
    }
    for (const b of plan.backoff) {
      const prev = waiting.get(b.name);
      if (prev?.reason !== "CrashLoopBackOff" || prev.message !== b.message) {
        ctx.recorder.event(pod, "Warning", "BackOff", `Back-off restarting failed container ${b.name} in pod ${formatPod(pod)}`);
      }
      waiting.set(b.name, { reason: "CrashLoopBackOff", message: b.message, at: Date.now() });
      later(b.until - Date.now());
    }
    if (plan.terminal) {
      await this.writeStatus(pod, true);
      await this.stopSandbox(uid);
      return undefined;
    }
    const results = await Promise.all(
      plan.start.map((a) => {
        if (waiting.get(a.name)?.reason === "CrashLoopBackOff") waiting.delete(a.name);
        return startContainer(ctx, pod, a, volumes);
      }),
    );
    results.forEach(later);
    this.ctx.probes.sync(pod, await ctx.index.refreshPod(uid));
    // A container that started and exits again is seen by the relist; an init container's end starts the next.
    await this.writeStatus(pod, false);
    return requeue;
  }

  /** The node gives up on a live pod (activeDeadlineSeconds): stop everything, phase Failed with the reason. */
  private async failPod(pod: Pod, reason: string, message: string): Promise<void> {
    const { ctx } = this;
    const uid = pod.metadata.uid ?? "";
    ctx.recorder.event(pod, "Warning", reason, message);
    await stopPodContainers(ctx, uid, pod, () => gracePeriodOf(pod));
    await this.stopSandbox(uid);
    const containers = ctx.index.forPod(uid).filter((c) => c.kind === "container");
    const now = new Date();
    await ctx.statusWriter.write(pod, (base) =>
      generatePodStatus({ pod: base, containers, waiting: new Map(), sandboxReady: false, podIsTerminal: true, hostIP: ctx.env.hostIP, now, failed: { reason, message } }),
    );
  }

  /**
   * A pod nothing of which runs yet gets its sandbox started now, beside the volume set-up; it never fails the sync:
   * if it did not work, starting the first container tries again and reports why.
   */
  private startSandboxEarly(pod: Pod, uid: string): Promise<void> {
    const { ctx } = this;
    if (ctx.index.forPod(uid).length > 0 || !pod.metadata.name || !pod.metadata.namespace) return Promise.resolve();
    return ctx.runtime
      .ensurePodSandbox({ uid, name: pod.metadata.name, namespace: pod.metadata.namespace })
      // Known to the index, the first container's start need not list every container to find its sandbox.
      .then((sb) => ctx.index.add(sb.id))
      .then(
        () => undefined,
        (err: unknown) => ctx.log.debug("early sandbox start failed; the first container start retries it", { uid, err }),
      );
  }

  /** `volumesReady` false: the volumes are not set up, so no sandbox counts as ready (see startSandboxEarly). */
  private async writeStatus(pod: Pod, terminal: boolean, volumesReady = true): Promise<void> {
    const { ctx } = this;
    const uid = pod.metadata.uid ?? "";
    const all = await ctx.index.refreshPod(uid);
    const waiting = new Map([...(ctx.waiting.get(uid) ?? new Map())].map(([k, v]) => [k, { reason: v.reason, message: v.message }]));
    const input = {
      containers: all.filter((c) => c.kind === "container"),
      waiting,
      sandboxReady: all.some((c) => c.kind === "sandbox" && c.state === "running") && (volumesReady || all.some((c) => c.kind === "container")),
      podIsTerminal: terminal,
      probes: (name: string, id: string) => ctx.probes.state(uid, name, id),
      hostIP: ctx.env.hostIP,
      now: new Date(),
    };
    // Computed from whichever copy of the pod the writer writes over (see StatusWriter).
    await ctx.statusWriter.write(pod, (base) => generatePodStatus({ pod: base, ...input }));
  }
}
