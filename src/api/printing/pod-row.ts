/**
 * The Pod table row, following upstream's printPod: READY counts ready regular containers plus
 * started sidecars; STATUS walks init containers (Init:x/y, Init:<reason>, Init:ExitCode:n)
 * then containers in reverse (waiting/terminated reasons, Completed→Running when one still
 * runs), then Terminating/Unknown for deleted pods; RESTARTS adds "(<age> ago)".
 */
import type { Container, ContainerStatus, PodSpec, PodStatus } from "../kinds/pod-types.js";
import { ageSince } from "./duration.js";

interface PodLike {
  metadata: { name?: string; creationTimestamp?: string; deletionTimestamp?: string };
  spec?: PodSpec;
  status?: PodStatus;
}

function isRestartable(c: Container | undefined): boolean {
  return c?.restartPolicy === "Always";
}

function later(current: string | undefined, candidate: string | undefined): string | undefined {
  if (!candidate) return current;
  if (!current) return candidate;
  return Date.parse(candidate) > Date.parse(current) ? candidate : current;
}

export function podStatusCells(pod: PodLike, now: Date): { ready: string; status: string; restarts: string } {
  const spec = pod.spec ?? ({ containers: [] } as PodSpec);
  const status = pod.status ?? {};
  let restarts = 0;
  let restartableRestarts = 0;
  let totalContainers = (spec.containers ?? []).length;
  let readyContainers = 0;
  let lastRestart: string | undefined;
  let lastRestartableRestart: string | undefined;

  const phase = status.phase ?? "";
  let reason = status.reason || phase;
  for (const c of status.conditions ?? []) {
    if (c.type === "PodScheduled" && c.reason === "SchedulingGated") reason = "SchedulingGated";
  }

  const initByName = new Map<string, Container>();
  for (const c of spec.initContainers ?? []) {
    initByName.set(c.name, c);
    if (isRestartable(c)) totalContainers++;
  }

  let initializing = false;
  const initStatuses: ContainerStatus[] = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i];
    restarts += cs.restartCount ?? 0;
    const lastTerm = cs.lastState?.terminated;
    if (lastTerm) lastRestart = later(lastRestart, lastTerm.finishedAt);
    const restartable = isRestartable(initByName.get(cs.name));
    if (restartable) {
      restartableRestarts += cs.restartCount ?? 0;
      if (lastTerm) lastRestartableRestart = later(lastRestartableRestart, lastTerm.finishedAt);
    }
    const term = cs.state?.terminated;
    const waiting = cs.state?.waiting;
    if (term && term.exitCode === 0) continue;
    if (restartable && cs.started === true) {
      if (cs.ready) readyContainers++;
      continue;
    }
    if (term) {
      if (!term.reason) reason = term.signal ? `Init:Signal:${term.signal}` : `Init:ExitCode:${term.exitCode}`;
      else reason = `Init:${term.reason}`;
    } else if (waiting && waiting.reason && waiting.reason !== "PodInitializing") {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${(spec.initContainers ?? []).length}`;
    }
    initializing = true;
    break;
  }

  const initialized = (status.conditions ?? []).some((c) => c.type === "Initialized" && c.status === "True");
  if (!initializing || initialized) {
    restarts = restartableRestarts;
    lastRestart = lastRestartableRestart;
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i];
      restarts += cs.restartCount ?? 0;
      if (cs.lastState?.terminated) lastRestart = later(lastRestart, cs.lastState.terminated.finishedAt);
      const waiting = cs.state?.waiting;
      const term = cs.state?.terminated;
      if (waiting && waiting.reason) reason = waiting.reason;
      else if (term && term.reason) reason = term.reason;
      else if (term) reason = term.signal ? `Signal:${term.signal}` : `ExitCode:${term.exitCode}`;
      else if (cs.ready && cs.state?.running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    if (reason === "Completed" && hasRunning) {
      const podReady = (status.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True");
      reason = podReady ? "Running" : "NotReady";
    }
  }

  if (pod.metadata.deletionTimestamp && status.reason === "NodeLost") reason = "Unknown";
  else if (pod.metadata.deletionTimestamp && phase !== "Succeeded" && phase !== "Failed") reason = "Terminating";

  const restartsCell = restarts !== 0 && lastRestart ? `${restarts} (${ageSince(lastRestart, now)} ago)` : String(restarts);
  return { ready: `${readyContainers}/${totalContainers}`, status: reason, restarts: restartsCell };
}

/** All cells, wide columns included: NAME READY STATUS RESTARTS AGE IP NODE NOMINATED-NODE READINESS-GATES. */
export function podRow(pod: PodLike, now: Date): unknown[] {
  const { ready, status, restarts } = podStatusCells(pod, now);
  const s = pod.status ?? {};
  const ip = s.podIPs?.[0]?.ip || s.podIP || "<none>";
  const node = pod.spec?.nodeName || "<none>";
  const nominated = s.nominatedNodeName || "<none>";
  const gates = pod.spec?.readinessGates ?? [];
  let readinessGates = "<none>";
  if (gates.length > 0) {
    let trueCount = 0;
    for (const g of gates) {
      const cond = (s.conditions ?? []).find((c) => c.type === g.conditionType);
      if (cond?.status === "True") trueCount++;
    }
    readinessGates = `${trueCount}/${gates.length}`;
  }
  return [pod.metadata.name ?? "", ready, status, restarts, ageSince(pod.metadata.creationTimestamp, now), ip, node, nominated, readinessGates];
}
