/**
 * What `cistern explain pod` reads from a pod the node agent reports on: container statuses (init containers
 * first) and the kubelet's conditions. The controllers' Pod type leaves the status open, so this reads it
 * defensively: a field of an unexpected shape counts as absent.
 */
import type { Pod } from "../model/types.js";
import type { ContainerLine } from "./report.js";

export interface TerminatedState {
  exitCode?: number;
  signal?: number;
  reason?: string;
  message?: string;
}

export interface ContainerStatusView {
  name: string;
  image?: string;
  ready?: boolean;
  restartCount?: number;
  state?: { waiting?: { reason?: string; message?: string }; running?: object; terminated?: TerminatedState };
  lastState?: { terminated?: TerminatedState };
}

export interface PodConditionView {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export interface ContainerSpecView {
  name: string;
  image?: string;
}

function arrayOf<T>(v: unknown): T[] {
  return Array.isArray(v) ? (v.filter((x) => x && typeof x === "object" && typeof (x as { name?: unknown }).name === "string") as T[]) : [];
}

/** Container statuses with whether each is an init container, init containers first. */
export function containerStatuses(pod: Pod): { init: boolean; status: ContainerStatusView }[] {
  const st = pod.status ?? {};
  return [
    ...arrayOf<ContainerStatusView>(st.initContainerStatuses).map((status) => ({ init: true, status })),
    ...arrayOf<ContainerStatusView>(st.containerStatuses).map((status) => ({ init: false, status })),
  ];
}

export function containerSpecs(pod: Pod): ContainerSpecView[] {
  return [...arrayOf<ContainerSpecView>(pod.spec.initContainers), ...arrayOf<ContainerSpecView>(pod.spec.containers)];
}

export function podCondition(pod: Pod, type: string): PodConditionView | undefined {
  return (pod.status?.conditions ?? []).find((c) => c.type === type);
}

/** Whether any container of the pod has run (so its volumes were set up and its sandbox started). */
export function anyContainerStarted(pod: Pod): boolean {
  return containerStatuses(pod).some(({ status: s }) => !!s.state?.running || !!s.state?.terminated || !!s.lastState?.terminated || (s.restartCount ?? 0) > 0);
}

export function describeExit(t: TerminatedState): string {
  const how = t.signal ? `signal ${t.signal}` : `exit code ${t.exitCode ?? "?"}`;
  return t.reason ? `${how}, ${t.reason}` : how;
}

export function containerLines(pod: Pod): ContainerLine[] {
  return containerStatuses(pod).map(({ init, status: s }) => {
    const line: ContainerLine = { name: s.name, init, state: "Unknown", ready: !!s.ready, restarts: s.restartCount ?? 0 };
    if (s.state?.waiting) Object.assign(line, { state: "Waiting", reason: s.state.waiting.reason, message: s.state.waiting.message });
    else if (s.state?.running) line.state = "Running";
    else if (s.state?.terminated) Object.assign(line, { state: "Terminated", reason: describeExit(s.state.terminated), message: s.state.terminated.message });
    if (s.lastState?.terminated) line.lastExit = describeExit(s.lastState.terminated);
    return line;
  });
}
