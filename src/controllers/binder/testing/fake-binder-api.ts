/**
 * An in-memory API for binder tests, with the API server's rules that matter to binding:
 * every write is conditional on resourceVersion (409 on mismatch), a main-resource update keeps
 * the stored status and a status update keeps the stored spec and metadata, and any write can be
 * made to fail on purpose (as upstream's volume reactor injects errors). Test support only.
 */
import { StatusError } from "../../../api/status.js";
import type { KubeObject } from "../../../api/types.js";
import type { ObjectReference, PersistentVolume, PersistentVolumeClaim } from "../../model/types.js";
import type { BinderKind, EventSpec } from "../plan.js";
import type { StepTarget } from "../execute.js";

export interface InjectedError {
  verb: "update" | "updateStatus" | "create" | "delete";
  kind: BinderKind | "*";
  error: Error;
}

export interface RecordedEvent extends EventSpec {
  involved: ObjectReference;
}

function key(kind: string, obj: { metadata: { namespace?: string; name?: string } }): string {
  return `${kind}/${obj.metadata.namespace ?? ""}/${obj.metadata.name ?? ""}`;
}

export class FakeBinderApi implements StepTarget {
  private readonly objects = new Map<string, KubeObject>();
  private revision = 1;
  readonly events: RecordedEvent[] = [];
  readonly enqueued: string[] = [];
  readonly errors: InjectedError[] = [];
  /** Keys of objects written since the last `takeChanged()`. */
  private changed = new Set<string>();
  writes = 0;

  constructor(volumes: PersistentVolume[] = [], claims: PersistentVolumeClaim[] = []) {
    for (const v of volumes) this.put("PersistentVolume", v);
    for (const c of claims) this.put("PersistentVolumeClaim", c);
  }

  /** Store an object as given (a test's initial state), stamping a fresh resourceVersion. */
  put(kind: BinderKind, obj: KubeObject): KubeObject {
    const stored = structuredClone(obj);
    stored.kind = kind;
    stored.apiVersion = "v1";
    stored.metadata.resourceVersion = String(++this.revision);
    this.objects.set(key(kind, obj), stored);
    return structuredClone(stored);
  }

  remove(kind: BinderKind, namespace: string | undefined, name: string): void {
    this.objects.delete(`${kind}/${namespace ?? ""}/${name}`);
  }

  get(kind: BinderKind, namespace: string | undefined, name: string): KubeObject | undefined {
    const o = this.objects.get(`${kind}/${namespace ?? ""}/${name}`);
    return o && structuredClone(o);
  }

  list(kind: BinderKind): KubeObject[] {
    return [...this.objects.entries()].filter(([k]) => k.startsWith(kind + "/")).map(([, o]) => structuredClone(o));
  }

  volumes(): PersistentVolume[] {
    return this.list("PersistentVolume") as PersistentVolume[];
  }

  claims(): PersistentVolumeClaim[] {
    return this.list("PersistentVolumeClaim") as PersistentVolumeClaim[];
  }

  takeChanged(): string[] {
    const c = [...this.changed];
    this.changed = new Set();
    return c;
  }

  private injected(verb: InjectedError["verb"], kind: BinderKind): Error | undefined {
    const i = this.errors.findIndex((e) => e.verb === verb && (e.kind === "*" || e.kind === kind));
    if (i < 0) return undefined;
    return this.errors.splice(i, 1)[0].error;
  }

  private write(kind: BinderKind, obj: KubeObject, status: boolean): KubeObject {
    const injected = this.injected(status ? "updateStatus" : "update", kind);
    if (injected) throw injected;
    const k = key(kind, obj);
    const current = this.objects.get(k);
    if (!current) throw new StatusError(404, "NotFound", `${kind} "${obj.metadata.name}" not found`);
    if (obj.metadata.resourceVersion !== current.metadata.resourceVersion) {
      throw new StatusError(409, "Conflict", `Operation cannot be fulfilled on ${kind} "${obj.metadata.name}": the object has been modified; please apply your changes to the latest version and try again`);
    }
    const next = structuredClone(obj) as KubeObject & { status?: unknown; spec?: unknown };
    if (status) {
      next.spec = structuredClone((current as { spec?: unknown }).spec);
      next.metadata = structuredClone(current.metadata);
    } else {
      next.status = structuredClone((current as { status?: unknown }).status);
    }
    next.kind = kind;
    next.apiVersion = "v1";
    next.metadata.resourceVersion = String(++this.revision);
    this.objects.set(k, next);
    this.changed.add(k);
    this.writes++;
    return structuredClone(next);
  }

  async update(kind: BinderKind, obj: KubeObject): Promise<KubeObject> {
    return this.write(kind, obj, false);
  }

  async updateStatus(kind: BinderKind, obj: KubeObject): Promise<KubeObject> {
    return this.write(kind, obj, true);
  }

  event(involved: ObjectReference, spec: EventSpec): void {
    this.events.push({ involved, ...spec });
  }

  enqueueClaim(k: string): void {
    this.enqueued.push(k);
  }
}
