/**
 * Container probes (the kubelet's prober workers): one worker per running container and probe kind, every
 * periodSeconds after initialDelaySeconds, with successThreshold / failureThreshold. Readiness starts false and
 * decides `ready`; startup starts false, decides `started` and holds the other probes back until it succeeds;
 * liveness (and a failed startup) kills the container — "Container x failed liveness probe, will be restarted" —
 * and restartPolicy decides what happens next. Every failure is a Warning "Unhealthy" event, as upstream.
 * A worker belongs to one container instance (its id): a restarted container gets fresh workers and results.
 */
import type { Container, Pod, Probe } from "../../api/index.js";
import type { EventRecorder } from "../../controllers/runtime/index.js";
import type { Logger } from "../../lib/log.js";
import type { ContainerStatus as RuntimeContainer, Runtime } from "../runtime/index.js";
import { attemptsOf } from "./container-statuses.js";
import { runProbe } from "./probe-check.js";

type Kind = "readiness" | "liveness" | "startup";

const TITLE: Record<Kind, string> = { readiness: "Readiness", liveness: "Liveness", startup: "Startup" };

export interface ProbeState {
  ready?: boolean;
  started?: boolean;
}

interface Worker {
  kind: Kind;
  containerId: string;
  timer?: ReturnType<typeof setTimeout>;
  stopped: boolean;
  successes: number;
  failures: number;
}

export interface ProberDeps {
  runtime: Runtime;
  recorder: EventRecorder;
  hostIP: string;
  log: Logger;
  /** A result changed: look at the pod again (status). */
  changed(uid: string): void;
}

function probeOf(c: Container, kind: Kind): Probe | undefined {
  return kind === "readiness" ? c.readinessProbe : kind === "liveness" ? c.livenessProbe : c.startupProbe;
}

export class Prober {
  private readonly workers = new Map<string, Worker>();
  private readonly states = new Map<string, ProbeState & { containerId: string }>();

  constructor(private readonly deps: ProberDeps) {}

  /** Start workers for the pod's running containers that have probes; stop those of containers no longer running. */
  sync(pod: Pod, containers: RuntimeContainer[]): void {
    const uid = pod.metadata.uid ?? "";
    for (const c of pod.spec?.containers ?? []) {
      const [latest] = attemptsOf(containers, c.name);
      const live = latest?.state === "running" ? latest.id : undefined;
      for (const kind of ["startup", "readiness", "liveness"] as Kind[]) {
        const key = `${uid}/${c.name}/${kind}`;
        const w = this.workers.get(key);
        if (w && w.containerId === live) continue;
        if (w) this.stopWorker(key);
        const probe = probeOf(c, kind);
        if (live && probe) this.startWorker(pod, c, kind, probe, key, live);
      }
      const st = this.states.get(`${uid}/${c.name}`);
      if (st && st.containerId !== live) this.states.delete(`${uid}/${c.name}`);
    }
  }

  /** Probe results for a container instance (undefined fields: that probe is not defined or not yet decided). */
  state(uid: string, name: string, containerId: string): ProbeState {
    const st = this.states.get(`${uid}/${name}`);
    return st && st.containerId === containerId ? st : {};
  }

  forget(uid: string): void {
    for (const key of [...this.workers.keys()]) if (key.startsWith(`${uid}/`)) this.stopWorker(key);
    for (const key of [...this.states.keys()]) if (key.startsWith(`${uid}/`)) this.states.delete(key);
  }

  stop(): void {
    for (const key of [...this.workers.keys()]) this.stopWorker(key);
  }

  private stopWorker(key: string): void {
    this.finishWorker(key);
    this.workers.delete(key);
  }

  /** Stop probing but remember the worker, so this container instance is not probed again (startup done, killed). */
  private finishWorker(key: string): void {
    const w = this.workers.get(key);
    if (!w) return;
    w.stopped = true;
    if (w.timer) clearTimeout(w.timer);
  }

  private set(uid: string, name: string, containerId: string, patch: ProbeState): void {
    const key = `${uid}/${name}`;
    const cur = this.states.get(key);
    const base = cur && cur.containerId === containerId ? cur : { containerId };
    this.states.set(key, { ...base, ...patch });
  }

  private startWorker(pod: Pod, c: Container, kind: Kind, probe: Probe, key: string, containerId: string): void {
    const uid = pod.metadata.uid ?? "";
    const w: Worker = { kind, containerId, stopped: false, successes: 0, failures: 0 };
    this.workers.set(key, w);
    if (kind === "readiness") this.set(uid, c.name, containerId, { ready: false });
    if (kind === "startup") this.set(uid, c.name, containerId, { started: false });
    const period = Math.max(1, probe.periodSeconds ?? 10) * 1000;
    const tick = async () => {
      if (w.stopped) return;
      const started = this.state(uid, c.name, containerId).started;
      if (kind !== "startup" && c.startupProbe && started !== true) return schedule(period);
      const r = await runProbe(this.deps.runtime, containerId, probe, c, this.deps.hostIP);
      if (w.stopped) return;
      if (r.success) {
        w.successes++;
        w.failures = 0;
        const threshold = kind === "readiness" ? (probe.successThreshold ?? 1) : 1;
        if (w.successes >= threshold) this.decide(uid, c.name, containerId, kind, true);
        if (kind === "startup" && w.successes >= 1) return this.finishWorker(key);
      } else {
        w.failures++;
        w.successes = 0;
        this.deps.recorder.event(pod, "Warning", "Unhealthy", `${TITLE[kind]} probe failed: ${r.output.trim()}`);
        if (w.failures >= (probe.failureThreshold ?? 3)) {
          this.decide(uid, c.name, containerId, kind, false);
          if (kind !== "readiness") {
            this.finishWorker(key);
            await this.kill(pod, c, kind, probe, containerId);
            return;
          }
        }
      }
      schedule(period);
    };
    const schedule = (ms: number) => {
      if (w.stopped) return;
      w.timer = setTimeout(() => void tick().catch((err: unknown) => this.deps.log.warn("probe failed to run", { key, err })), ms);
      w.timer.unref?.();
    };
    schedule(Math.max(0, probe.initialDelaySeconds ?? 0) * 1000);
  }

  private decide(uid: string, name: string, containerId: string, kind: Kind, ok: boolean): void {
    const before = this.state(uid, name, containerId);
    if (kind === "readiness" && before.ready !== ok) this.set(uid, name, containerId, { ready: ok });
    else if (kind === "startup" && before.started !== ok) this.set(uid, name, containerId, { started: ok });
    else return;
    this.deps.changed(uid);
  }

  private async kill(pod: Pod, c: Container, kind: Kind, probe: Probe, containerId: string): Promise<void> {
    this.deps.recorder.event(pod, "Normal", "Killing", `Container ${c.name} failed ${kind} probe, will be restarted`);
    const grace = probe.terminationGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
    await this.deps.runtime.stopContainer(containerId, grace).catch((err: unknown) => this.deps.log.warn("could not stop a container that failed its probe", { containerId, err }));
    this.deps.changed(pod.metadata.uid ?? "");
  }
}
