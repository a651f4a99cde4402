/**
 * Stopping a pod's containers as the kubelet does on deletion: "Killing: Stopping container x" for each running
 * container, SIGTERM, wait up to the grace period (re-read while waiting, so a shorter grace or a force delete
 * takes effect at once; never less than 2 s, as the kubelet's minimum), then SIGKILL.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { Pod } from "../../api/index.js";
import type { PodContext } from "./context.js";

const MIN_GRACE_S = 2;

/** The grace period a deletion asks for: the deletion's own, else the spec's, else 30 s. */
export function gracePeriodOf(pod: Pod | undefined): number {
  if (!pod) return 0;
  return pod.metadata.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
}

/**
 * Stop every running container of pod `uid`. `currentGrace` is asked again while waiting (the latest pod's
 * grace period; 0 once the pod is gone). `pod` (when known) receives the Killing events.
 */
export async function stopPodContainers(ctx: PodContext, uid: string, pod: Pod | undefined, currentGrace: () => number): Promise<void> {
  const live = (await ctx.index.refreshPod(uid)).filter((c) => c.kind === "container" && c.state !== "exited");
  if (live.length === 0) return;
  if (pod) for (const c of live) ctx.recorder.event(pod, "Normal", "Killing", `Stopping container ${c.name}`);
  await Promise.all(live.map((c) => ctx.runtime.killContainer(c.id, "SIGTERM").catch((err: unknown) => ctx.log.warn("SIGTERM failed", { id: c.id, err }))));
  const started = Date.now();
  for (;;) {
    const still = (await ctx.index.refreshPod(uid)).filter((c) => c.kind === "container" && c.state !== "exited");
    if (still.length === 0) return;
    if (Date.now() - started >= Math.max(MIN_GRACE_S, currentGrace()) * 1000) {
      await Promise.all(still.map((c) => ctx.runtime.killContainer(c.id, "SIGKILL").catch(() => undefined)));
      await Promise.all(still.map((c) => ctx.runtime.waitContainer(c.id, 10_000).catch(() => undefined)));
      await ctx.index.refreshPod(uid);
      return;
    }
    await sleep(100);
  }
}
