/**
 * API container statuses from what the runtime reports (the kubelet's convertToAPIContainerStatuses, simplified to
 * a runtime that keeps every attempt's record until the pod goes): the newest attempt gives state and restartCount,
 * the one before it lastState; a container that should start (again) and last failed to, or is waiting out a
 * back-off, shows that reason as `waiting` (the kubelet's reason cache). A running container is started once its
 * startup probe (if any) succeeded, and ready once started and its readiness probe (if any) succeeds; an init
 * container is ready once it exited 0.
 */
import type { Container, ContainerState, ContainerStatus, Pod } from "../../api/index.js";
import type { ContainerStatus as RuntimeContainer } from "../runtime/index.js";
import { metaTime } from "./time.js";

export interface WaitingReason {
  reason: string;
  message?: string;
}

/** Newest attempt first. */
export function attemptsOf(containers: RuntimeContainer[], name: string): RuntimeContainer[] {
  return containers.filter((c) => c.kind === "container" && c.name === name).sort((a, b) => b.attempt - a.attempt || b.createdAt.localeCompare(a.createdAt));
}

export function containerIdOf(c: RuntimeContainer): string {
  return `runc://${c.id}`;
}

export function apiState(c: RuntimeContainer): ContainerState {
  if (c.state === "running") return { running: { startedAt: metaTime(c.startedAt) ?? metaTime(c.createdAt) } };
  // Created but not started: being made (or, abandoned by an earlier agent, about to be made again). A waiting
  // state always says why.
  if (c.state === "created") return { waiting: { reason: "ContainerCreating" } };
  const t: NonNullable<ContainerState["terminated"]> = { exitCode: c.exitCode ?? 0 };
  if (c.signal) t.signal = c.signal;
  if (c.reason) t.reason = c.reason;
  if (c.message) t.message = c.message;
  t.startedAt = metaTime(c.startedAt) ?? metaTime(c.createdAt);
  t.finishedAt = metaTime(c.finishedAt) ?? t.startedAt;
  t.containerID = containerIdOf(c);
  return { terminated: t };
}

/**
 * Whether the kubelet would (re)start this container given its newest attempt (restartPolicy; init containers only
 * on failure). An abandoned created attempt never ran, so it is started whatever the policy (as the kubelet does).
 */
export function shouldStart(latest: RuntimeContainer | undefined, policy: string, isInit: boolean): boolean {
  if (!latest || latest.abandoned) return true;
  if (latest.state !== "exited") return false;
  const code = latest.exitCode ?? 0;
  if (isInit) return code !== 0 && policy !== "Never";
  if (policy === "Never") return false;
  if (policy === "OnFailure") return code !== 0;
  return true;
}

export interface StatusesInput {
  pod: Pod;
  specs: Container[];
  isInit: boolean;
  containers: RuntimeContainer[];
  waiting: Map<string, WaitingReason>;
  /** Nothing will be (re)started any more: no waiting reasons are shown. */
  podIsTerminal: boolean;
  /** Probe results of a running container instance (no entry: the probe is not defined). */
  probes?: (name: string, containerId: string) => { ready?: boolean; started?: boolean };
}

export function containerStatuses(i: StatusesInput): ContainerStatus[] {
  const { pod } = i;
  const policy = pod.spec?.restartPolicy ?? "Always";
  const hasInit = (pod.spec?.initContainers ?? []).length > 0;
  const previous = new Map((i.isInit ? pod.status?.initContainerStatuses : pod.status?.containerStatuses)?.map((s) => [s.name, s]) ?? []);
  const out: ContainerStatus[] = [];
  for (const spec of i.specs) {
    const [latest, prev] = attemptsOf(i.containers, spec.name);
    let s: ContainerStatus = {
      name: spec.name,
      state: { waiting: { reason: hasInit ? "PodInitializing" : "ContainerCreating" } },
      lastState: {},
      ready: false,
      restartCount: 0,
      image: spec.image ?? "",
      imageID: "",
      started: false,
    };
    const old = previous.get(spec.name);
    if (latest) {
      s.state = apiState(latest);
      s.restartCount = latest.attempt;
      s.imageID = latest.imageId;
      s.containerID = containerIdOf(latest);
      if (prev && prev.state === "exited") s.lastState = apiState(prev);
      const running = latest.state === "running";
      const probed = running && !i.isInit ? (i.probes?.(spec.name, latest.id) ?? {}) : {};
      s.started = running && (spec.startupProbe && !i.isInit ? probed.started === true : true);
      s.ready = i.isInit ? latest.state === "exited" && (latest.exitCode ?? 0) === 0 : s.started && (spec.readinessProbe ? probed.ready === true : true);
    } else if (old?.state?.terminated) {
      // The runtime no longer has it (removed after the pod finished): keep what was reported.
      s = { ...old };
    } else if (old) {
      s.restartCount = old.restartCount ?? 0;
      if (old.lastState) s.lastState = old.lastState;
    }
    const reason = i.waiting.get(spec.name);
    if (!i.podIsTerminal && reason && shouldStart(latest, policy, i.isInit)) {
      if (s.state?.terminated) s.lastState = s.state;
      s.state = { waiting: reason.message ? { reason: reason.reason, message: reason.message } : { reason: reason.reason } };
      s.ready = false;
      s.started = false;
    }
    const mounts = (spec.volumeMounts ?? []).map((m) => ({
      name: m.name,
      mountPath: m.mountPath,
      ...(m.readOnly ? { readOnly: true, recursiveReadOnly: "Disabled" } : {}),
    }));
    if (mounts.length) s.volumeMounts = mounts;
    out.push(s);
  }
  if (!i.isInit) out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return out;
}
