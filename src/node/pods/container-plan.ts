/**
 * What to do next for a live pod (the kubelet's computePodActions, for runtimes that keep exited attempts):
 *   - init containers run one at a time, in order; a failed one is restarted (back-off applies) unless
 *     restartPolicy is Never, which makes the pod terminal (Failed);
 *   - once every init container exited 0, every regular container that has never run is started, and every
 *     exited one that restartPolicy says to restart is started again — at once the first time, then after a
 *     crash-loop back-off (10 s doubling to 5 min, measured from its finish time);
 *   - a pod whose containers have all exited and none will restart is terminal;
 *   - exited attempts older than the previous one are garbage-collected (the previous one serves --previous);
 *   - an attempt an earlier agent created but died before starting (abandoned) is removed and made again under the
 *     same attempt number, whatever restartPolicy says and without back-off: it never ran, so this is its first
 *     start, not a restart (the kubelet always restarts a container in the created state). One still being
 *     started (its shim is running runc) is left alone.
 * Deciding a restart records it in the back-off (as the kubelet does), so call this once per sync.
 */
import type { Pod } from "../../api/index.js";
import type { ContainerStatus as RuntimeContainer } from "../runtime/index.js";
import { Backoff } from "./backoff.js";
import { attemptsOf, shouldStart } from "./container-statuses.js";
import { formatPod } from "./pod-format.js";

export interface StartAction {
  name: string;
  init: boolean;
  attempt: number;
}

export interface BackoffWait {
  name: string;
  message: string;
  /** Epoch ms at which the back-off ends. */
  until: number;
}

export interface PodPlan {
  start: StartAction[];
  backoff: BackoffWait[];
  /** Nothing will run any more. */
  terminal: boolean;
  /** Exited attempts to garbage-collect. */
  remove: string[];
}

export function backoffKey(pod: Pod, container: string): string {
  return `${pod.metadata.uid}/${container}`;
}

function finishedMs(c: RuntimeContainer, now: number): number {
  const t = c.finishedAt ? Date.parse(c.finishedAt) : NaN;
  return Number.isNaN(t) ? now : t;
}

/**
 * The attempt number for a container the runtime has no record of: 0, or — when the API shows it ran before (its
 * containers were removed, e.g. by a clean agent stop) — one more than the restarts it reported, as the kubelet
 * counts restarts across a runtime that lost its state.
 */
function firstAttempt(pod: Pod, name: string, init: boolean): number {
  const s = (init ? pod.status?.initContainerStatuses : pod.status?.containerStatuses)?.find((c) => c.name === name);
  return s?.containerID ? (s.restartCount ?? 0) + 1 : 0;
}

export function planPod(pod: Pod, containers: RuntimeContainer[], backoff: Backoff, now: number): PodPlan {
  const spec = pod.spec ?? { containers: [] };
  const policy = spec.restartPolicy ?? "Always";
  const plan: PodPlan = { start: [], backoff: [], terminal: false, remove: [] };
  const names = [...(spec.initContainers ?? []).map((c) => c.name), ...spec.containers.map((c) => c.name)];
  for (const name of names) for (const old of attemptsOf(containers, name).slice(2)) if (old.state === "exited") plan.remove.push(old.id);

  const restart = (name: string, init: boolean, latest: RuntimeContainer): void => {
    const key = backoffKey(pod, name);
    const finished = finishedMs(latest, now);
    if (backoff.isInBackOffSince(key, finished)) {
      const delay = Backoff.format(backoff.get(key));
      plan.backoff.push({ name, message: `back-off ${delay} restarting failed container=${name} pod=${formatPod(pod)}`, until: backoff.releaseTime(key, finished) });
      return;
    }
    backoff.next(key, finished);
    plan.start.push({ name, init, attempt: latest.attempt + 1 });
  };

  const replace = (name: string, init: boolean, abandoned: RuntimeContainer): void => {
    plan.remove.push(abandoned.id);
    plan.start.push({ name, init, attempt: abandoned.attempt });
  };

  for (const c of spec.initContainers ?? []) {
    const [latest] = attemptsOf(containers, c.name);
    if (!latest) {
      plan.start.push({ name: c.name, init: true, attempt: firstAttempt(pod, c.name, true) });
      return plan;
    }
    if (latest.abandoned) {
      replace(c.name, true, latest);
      return plan;
    }
    if (latest.state !== "exited") return plan;
    if ((latest.exitCode ?? 0) === 0) continue;
    if (policy === "Never") {
      plan.terminal = true;
      return plan;
    }
    restart(c.name, true, latest);
    return plan;
  }

  let done = 0;
  for (const c of spec.containers) {
    const [latest] = attemptsOf(containers, c.name);
    if (!latest) plan.start.push({ name: c.name, init: false, attempt: firstAttempt(pod, c.name, false) });
    else if (latest.abandoned) replace(c.name, false, latest);
    else if (latest.state !== "exited") continue;
    else if (shouldStart(latest, policy, false)) restart(c.name, false, latest);
    else done++;
  }
  plan.terminal = done === spec.containers.length;
  return plan;
}
