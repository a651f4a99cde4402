/**
 * The agent's view of its runtime's containers, by pod uid (the kubelet's PLEG). `relist()` reads every container
 * the runtime has (cheap: state files) and reports which pods changed since the last relist, so exits are noticed
 * within one relist period; workers refresh just their pod's containers before deciding, and record the
 * containers they start or remove at once. Nothing here is the source of truth: it is rebuilt from the runtime
 * after a restart.
 */
import { isRuntimeError, type ContainerStatus, type Runtime } from "../runtime/index.js";

interface Entry {
  status: ContainerStatus;
  /** When this process recorded it (a relist that began earlier must not drop it). */
  recordedAt: number;
}

function signature(list: Iterable<Entry>): string {
  return [...list]
    .map((e) => `${e.status.id}:${e.status.state}:${e.status.exitCode ?? ""}`)
    .sort()
    .join(",");
}

export class ContainerIndex {
  private byPod = new Map<string, Map<string, Entry>>();

  constructor(private readonly runtime: Runtime) {}

  /** Re-read everything; returns the uids whose containers changed (appeared, changed state, disappeared). */
  async relist(): Promise<Set<string>> {
    const started = Date.now();
    const listed = await this.runtime.listContainers();
    const next = new Map<string, Map<string, Entry>>();
    for (const s of listed) {
      let m = next.get(s.pod.uid);
      if (!m) next.set(s.pod.uid, (m = new Map()));
      m.set(s.id, { status: s, recordedAt: started });
    }
    // Containers recorded by a worker while we were listing are newer than our listing.
    for (const [uid, m] of this.byPod) {
      for (const [id, e] of m) {
        if (e.recordedAt <= started) continue;
        let n = next.get(uid);
        if (!n) next.set(uid, (n = new Map()));
        if (!n.has(id)) n.set(id, e);
      }
    }
    const changed = new Set<string>();
    for (const uid of new Set([...this.byPod.keys(), ...next.keys()])) {
      if (signature(this.byPod.get(uid)?.values() ?? []) !== signature(next.get(uid)?.values() ?? [])) changed.add(uid);
    }
    this.byPod = next;
    return changed;
  }

  /** Every container and sandbox of the pod, as last seen. */
  forPod(uid: string): ContainerStatus[] {
    return [...(this.byPod.get(uid)?.values() ?? [])].map((e) => e.status);
  }

  podUids(): string[] {
    return [...this.byPod.keys()];
  }

  /** Re-read the pod's known containers from the runtime. */
  async refreshPod(uid: string): Promise<ContainerStatus[]> {
    const m = this.byPod.get(uid);
    if (!m) return [];
    for (const [id, e] of [...m]) {
      try {
        m.set(id, { status: await this.runtime.containerStatus(id), recordedAt: e.recordedAt });
      } catch (err) {
        if (!isRuntimeError(err, "ContainerNotFound")) throw err;
        m.delete(id);
      }
    }
    return this.forPod(uid);
  }

  /** Record a container this process just created. */
  async add(id: string): Promise<ContainerStatus> {
    const s = await this.runtime.containerStatus(id);
    let m = this.byPod.get(s.pod.uid);
    if (!m) this.byPod.set(s.pod.uid, (m = new Map()));
    m.set(id, { status: s, recordedAt: Date.now() });
    // The sandbox was created with the first container: pick it up too.
    if (![...m.values()].some((e) => e.status.kind === "sandbox")) {
      for (const c of await this.runtime.listContainers()) if (c.kind === "sandbox" && c.pod.uid === s.pod.uid) m.set(c.id, { status: c, recordedAt: Date.now() });
    }
    return s;
  }

  dropContainer(uid: string, id: string): void {
    this.byPod.get(uid)?.delete(id);
  }

  dropPod(uid: string): void {
    this.byPod.delete(uid);
  }
}
