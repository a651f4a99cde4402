/**
 * Stopping a pod's containers as the kubelet does on deletion: "Killing: Stopping container x" for each running
 * container, its preStop hook (within the grace period), SIGTERM, wait for the rest of the grace period (re-read
 * while waiting, so a shorter grace or a force delete takes effect at once; never less than 2 s, as the
 * kubelet's minimum), then SIGKILL.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { Pod } from "../../api/index.js";
import type { ContainerStatus } from "../runtime/index.js";
import type { PodContext } from "./context.js";
import { hookOf, runHook } from "./hooks.js";

const MIN_GRACE_S = 2;

/** A container that runs or may still start; an abandoned created one has no process and never will. */
function mayRun(c: ContainerStatus): boolean {
  return c.kind === "container" && c.state !== "exited" && !c.abandoned;
}

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
  const live = (await ctx.index.refreshPod(uid)).filter(mayRun);
  if (live.length === 0) return;
  if (pod) for (const c of live) ctx.recorder.event(pod, "Normal", "Killing", `Stopping container ${c.name}`);
  const started = Date.now();
  await Promise.all(
    live.map(async (rc) => {
      const spec = pod?.spec?.containers.find((x) => x.name === rc.name);
      const hook = spec && rc.state === "running" ? hookOf(spec, "preStop") : undefined;
      if (!spec || !hook || !pod) return;
      const r = await runHook(ctx.runtime, rc.id, hook, spec, ctx.env.hostIP, Math.max(MIN_GRACE_S, currentGrace()) * 1000);
      if (!r.success) ctx.recorder.event(pod, "Warning", "FailedPreStopHook", `PreStopHook failed`);
    }),
  );
  await Promise.all(live.map((c) => ctx.runtime.killContainer(c.id, "SIGTERM").catch((err: unknown) => ctx.log.warn("SIGTERM failed", { id: c.id, err }))));
  const termAt = Date.now();
  for (;;) {
    const still = (await ctx.index.refreshPod(uid)).filter(mayRun);
    if (still.length === 0) return;
    // The hooks' time counts against the grace period, but SIGTERM always gets at least the minimum.
    const deadline = Math.max(started + currentGrace() * 1000, termAt + MIN_GRACE_S * 1000);
    if (Date.now() >= deadline) {
      await Promise.all(still.map((c) => ctx.runtime.killContainer(c.id, "SIGKILL").catch(() => undefined)));
      await Promise.all(still.map((c) => ctx.runtime.waitContainer(c.id, 10_000).catch(() => undefined)));
      await ctx.index.refreshPod(uid);
      return;
    }
    await sleep(100);
  }
}
