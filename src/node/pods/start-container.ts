/**
 * Starting one container of a pod, with the kubelet's events and waiting reasons:
 *   image      local only: "Pulled: Container image "x" already present on machine", or Failed (ErrImagePull /
 *              InvalidImageName) then ImagePullBackOff with a back-off of 10 s doubling to 5 min;
 *   config     environment and mounts: CreateContainerConfigError ("Failed: Error: <why>"), retried every 10 s;
 *   run        the runtime creates and starts it: "Created container: x", "Started container x"; a refused
 *              subPath is CreateContainerConfigError, a runc failure RunContainerError (with back-off);
 *   postStart  its hook runs; a failure kills the container (FailedPostStartHook) and restartPolicy decides.
 * Returns the delay after which the pod should be looked at again when the container did not start.
 */
import type { Container, Pod } from "../../api/index.js";
import { isRuntimeError } from "../runtime/index.js";
import type { StartAction } from "./container-plan.js";
import { waitingOf, type PodContext } from "./context.js";
import { ContainerConfigError } from "./errors.js";
import { hookOf, runHook } from "./hooks.js";
import { buildContainerSpec, type VolumeHost } from "./runtime-spec.js";

const CONFIG_RETRY_MS = 10_000;
const IMAGE_REASONS = new Set(["ErrImagePull", "ImagePullBackOff", "InvalidImageName"]);

function specOf(pod: Pod, a: StartAction): Container | undefined {
  return (a.init ? pod.spec?.initContainers : pod.spec?.containers)?.find((c) => c.name === a.name);
}

export async function startContainer(ctx: PodContext, pod: Pod, a: StartAction, volumes: Map<string, VolumeHost>): Promise<number | undefined> {
  const uid = pod.metadata.uid ?? "";
  const c = specOf(pod, a);
  if (!c) return undefined;
  const waiting = waitingOf(ctx, uid);
  const key = `${uid}/${c.name}`;
  const image = c.image ?? "";
  const now = Date.now();
  const warn = (reason: string, message: string) => ctx.recorder.event(pod, "Warning", reason, message);

  const last = waiting.get(c.name);
  if (last && IMAGE_REASONS.has(last.reason) && ctx.imageBackoff.isInBackOffSince(key, last.at)) {
    if (last.reason !== "ImagePullBackOff") {
      waiting.set(c.name, { reason: "ImagePullBackOff", message: `Back-off pulling image "${image}"`, at: last.at });
      ctx.recorder.event(pod, "Normal", "BackOff", `Back-off pulling image "${image}"`);
      warn("Failed", "Error: ImagePullBackOff");
    }
    return Math.max(1, ctx.imageBackoff.releaseTime(key, last.at) - now);
  }
  // Other triggers (status writes, relists) must not turn a failing start into a hot loop.
  if (last?.reason === "RunContainerError" && ctx.startBackoff.isInBackOffSince(key, last.at)) return Math.max(1, ctx.startBackoff.releaseTime(key, last.at) - now);
  if (last?.reason === "CreateContainerConfigError" && now - last.at < CONFIG_RETRY_MS) return CONFIG_RETRY_MS - (now - last.at);
  try {
    await ctx.runtime.ensureImage(image);
  } catch (e) {
    if (!isRuntimeError(e)) throw e;
    const reason = e.code === "InvalidImageName" ? "InvalidImageName" : "ErrImagePull";
    if (reason === "InvalidImageName") {
      warn("InspectFailed", `Failed to apply default image tag "${image}": ${e.message}`);
      warn("Failed", "Error: InvalidImageName");
    } else {
      warn("Failed", `Failed to pull image "${image}": ${e.message}`);
      warn("Failed", "Error: ErrImagePull");
    }
    waiting.set(c.name, { reason, message: e.message, at: now });
    ctx.imageBackoff.next(key, now);
    return ctx.imageBackoff.get(key);
  }
  ctx.recorder.event(pod, "Normal", "Pulled", `Container image "${image}" already present on machine`);

  let built;
  try {
    built = await buildContainerSpec(pod, c, a.attempt, volumes, { pod, objects: ctx.objects, ...ctx.env });
  } catch (e) {
    if (!(e instanceof ContainerConfigError)) throw e;
    waiting.set(c.name, { reason: e.reason, message: e.message, at: now });
    warn("Failed", `Error: ${e.message}`);
    return CONFIG_RETRY_MS;
  }
  for (const msg of built.invalidEnvKeys) warn("InvalidEnvironmentVariableNames", msg);

  let id: string;
  try {
    id = await ctx.runtime.runContainer(built.spec);
  } catch (e) {
    if (!isRuntimeError(e)) throw e;
    const reason = e.kubeReason;
    waiting.set(c.name, { reason, message: e.message, at: now });
    warn("Failed", `Error: ${e.message}`);
    if (reason === "CreateContainerConfigError") return CONFIG_RETRY_MS;
    ctx.startBackoff.next(key, now);
    return ctx.startBackoff.get(key);
  }
  await ctx.index.add(id);
  waiting.delete(c.name);
  ctx.recorder.event(pod, "Normal", "Created", `Created container: ${c.name}`);
  ctx.recorder.event(pod, "Normal", "Started", `Started container ${c.name}`);
  const hook = hookOf(c, "postStart");
  if (hook) {
    const grace = pod.spec?.terminationGracePeriodSeconds ?? 30;
    const r = await runHook(ctx.runtime, id, hook, c, ctx.env.hostIP, 120_000);
    if (!r.success) {
      // The message is not echoed: hook output may hold secrets (as upstream).
      warn("FailedPostStartHook", "PostStartHook failed");
      ctx.recorder.event(pod, "Normal", "Killing", `FailedPostStartHook`);
      await ctx.runtime.stopContainer(id, grace).catch(() => undefined);
    }
  }
  return undefined;
}
