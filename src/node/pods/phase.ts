/**
 * The pod phase from its container statuses: the kubelet's getPhase (kubelet_pods.go) for regular init containers
 * and regular containers (Cistern has no restartable "sidecar" init containers).
 *   Failed     an init container failed and restartPolicy is Never
 *   Pending    an init container has not succeeded yet, or a container has never started
 *   Running    every container has started and one is running (or all stopped and will be restarted)
 *   Succeeded  all stopped, all with exit code 0, and none will be restarted
 *   Failed     all stopped, one failed, restartPolicy Never (or the pod is terminal)
 */
import type { ContainerStatus, PodSpec } from "../../api/index.js";

function find(statuses: ContainerStatus[], name: string): ContainerStatus | undefined {
  return statuses.find((s) => s.name === name);
}

export function podPhase(spec: PodSpec, statuses: ContainerStatus[], podIsTerminal: boolean): "Pending" | "Running" | "Succeeded" | "Failed" {
  const policy = spec.restartPolicy ?? "Always";
  let pendingInit = 0;
  let failedInit = 0;
  for (const c of spec.initContainers ?? []) {
    const s = find(statuses, c.name);
    if (!s) {
      pendingInit++;
      continue;
    }
    if (s.state?.running) pendingInit++;
    else if (s.state?.terminated) {
      if (s.state.terminated.exitCode !== 0) failedInit++;
    } else if (s.state?.waiting) {
      if (s.lastState?.terminated) {
        if (s.lastState.terminated.exitCode !== 0) failedInit++;
      } else pendingInit++;
    } else pendingInit++;
  }

  let unknown = 0;
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const c of spec.containers ?? []) {
    const s = find(statuses, c.name);
    if (!s) {
      unknown++;
      continue;
    }
    if (s.state?.running) running++;
    else if (s.state?.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.state?.waiting) {
      if (s.lastState?.terminated) stopped++;
      else waiting++;
    } else unknown++;
  }

  if (failedInit > 0 && policy === "Never") return "Failed";
  const anyRegularStarted = (spec.containers ?? []).some((c) => {
    const s = find(statuses, c.name);
    return !!s && (!!s.state?.running || !!s.state?.terminated || !!s.lastState?.terminated || (s.restartCount ?? 0) > 0);
  });
  if ((pendingInit > 0 && !anyRegularStarted) || waiting > 0) return "Pending";
  if (running > 0 && unknown === 0) return "Running";
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (podIsTerminal) return stopped === succeeded ? "Succeeded" : "Failed";
    if (policy === "Always") return "Running";
    if (stopped === succeeded) return "Succeeded";
    if (policy === "Never") return "Failed";
    return "Running";
  }
  return "Pending";
}
