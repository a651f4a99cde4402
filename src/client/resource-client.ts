/**
 * Typed verbs on one resource (group, version, plural), shaped like client-go's dynamic
 * ResourceInterface. Namespaced kinds take a namespace on every per-object verb; cluster-scoped
 * kinds take `undefined` (or ""). Errors: StatusError from the server, NetworkError below HTTP,
 * RequestConstructionError for arguments that cannot form a request (nothing is sent then).
 */
import type { StatusObject } from "../api/status.js";
import type { KubeObject } from "../api/types.js";
import { RequestConstructionError } from "./errors.js";
import type { KubeHttp, QueryValue } from "./http.js";
import { apiVersionOf, collectionPath, objectPath, type ResourceRef } from "./paths.js";
import { WatchStream, type Watch } from "./watch.js";

export interface CallOptions {
  /** Deadline for this call (default: the client's). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface ListOptions extends CallOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  /** "" = consistent read (default); "0" = any cached state; "<rv>" = not older than rv. */
  resourceVersion?: string;
  resourceVersionMatch?: "Exact" | "NotOlderThan";
}

export interface ListResult<T extends KubeObject> {
  apiVersion: string;
  kind: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  items: T[];
}

export interface WriteOptions extends CallOptions {
  /** Validate and run admission without persisting (dryRun=All). */
  dryRun?: boolean;
  fieldManager?: string;
  fieldValidation?: "Strict" | "Warn" | "Ignore";
}

export type PatchType = "merge" | "strategic" | "json" | "apply";

export interface PatchOptions extends WriteOptions {
  /** Server-side apply only: take ownership of conflicting fields. */
  force?: boolean;
  /** e.g. "status" to patch the status subresource. */
  subresource?: string;
}

export interface DeleteOptions extends CallOptions {
  propagationPolicy?: "Foreground" | "Background" | "Orphan";
  gracePeriodSeconds?: number;
  /** The delete fails with 409 Conflict unless the live object still has this uid / resourceVersion. */
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export interface WatchOptions {
  resourceVersion?: string;
  allowWatchBookmarks?: boolean;
  labelSelector?: string;
  fieldSelector?: string;
  /** Ask the server to end the watch after this long. */
  timeoutSeconds?: number;
  /** Abort when nothing (event or bookmark) arrives for this long. Default: max(5 min, timeoutSeconds + 30 s). */
  idleTimeoutMs?: number;
  /** Deadline for the response headers (default: the client's request timeout). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export const patchContentTypes: Record<PatchType, string> = {
  merge: "application/merge-patch+json",
  strategic: "application/strategic-merge-patch+json",
  json: "application/json-patch+json",
  apply: "application/apply-patch+yaml",
};

export interface ResourceClientDefaults {
  /** Used for writes that name no fieldManager (required by the server for apply). */
  fieldManager?: string;
}

export class ResourceClient<T extends KubeObject = KubeObject> {
  readonly apiVersion: string;

  constructor(
    private readonly http: KubeHttp,
    readonly ref: ResourceRef,
    private readonly defaults: ResourceClientDefaults = {},
  ) {
    this.apiVersion = apiVersionOf(ref);
  }

  /** Read one object. 404 → StatusError NotFound. */
  async get(namespace: string | undefined, name: string, opts: CallOptions & { resourceVersion?: string } = {}): Promise<T> {
    return this.http.json<T>({ method: "GET", path: objectPath(this.ref, namespace || undefined, name), query: { resourceVersion: opts.resourceVersion }, ...call(opts) });
  }

  /** One page of a list. Items get apiVersion/kind filled in (the server omits them in lists). */
  async list(namespace?: string, opts: ListOptions = {}): Promise<ListResult<T>> {
    const list = await this.http.json<ListResult<T>>({
      method: "GET",
      path: collectionPath(this.ref, namespace || undefined),
      query: {
        labelSelector: opts.labelSelector,
        fieldSelector: opts.fieldSelector,
        limit: opts.limit,
        continue: opts.continue,
        resourceVersion: opts.resourceVersion,
        resourceVersionMatch: opts.resourceVersionMatch,
      },
      ...call(opts),
    });
    list.items = (list.items ?? []).map((item) => this.typed(item));
    list.metadata ??= {};
    return list;
  }

  /**
   * Every page, following `continue` tokens; the result carries the first page's resourceVersion
   * (pages of one paginated list are one snapshot). 410 on a continue token → StatusError Expired.
   */
  async listAll(namespace?: string, opts: Omit<ListOptions, "continue"> = {}): Promise<ListResult<T>> {
    const first = await this.list(namespace, opts);
    const items = [...first.items];
    let next = first.metadata.continue;
    while (next) {
      const page = await this.list(namespace, { ...opts, resourceVersion: undefined, continue: next });
      items.push(...page.items);
      next = page.metadata.continue;
    }
    return { ...first, metadata: { resourceVersion: first.metadata.resourceVersion }, items };
  }

  /** Create; the namespace comes from `obj.metadata.namespace`. 409 AlreadyExists if present. */
  async create(obj: T, opts: WriteOptions = {}): Promise<T> {
    const ns = this.namespaceOf(obj);
    if (this.ref.namespaced && !ns) throw new RequestConstructionError(`${this.ref.plural}: metadata.namespace is required to create`);
    return this.http.json<T>({ method: "POST", path: collectionPath(this.ref, ns), query: this.writeQuery(opts), body: this.typed(obj), ...call(opts) });
  }

  /** Replace (PUT). With metadata.resourceVersion set, a stale write fails with 409 Conflict. */
  async update(obj: T, opts: WriteOptions = {}): Promise<T> {
    return this.put(obj, undefined, opts);
  }

  /** Replace the status subresource (PUT …/status); the server keeps the spec. */
  async updateStatus(obj: T, opts: WriteOptions = {}): Promise<T> {
    return this.put(obj, "status", opts);
  }

  /**
   * Patch. `patch` is sent as JSON for every type (apply bodies are JSON, which is valid YAML).
   * Apply needs a fieldManager (from opts or the client default); `force` is only valid for apply.
   */
  async patch(namespace: string | undefined, name: string, type: PatchType, patch: unknown, opts: PatchOptions = {}): Promise<T> {
    const fieldManager = opts.fieldManager ?? this.defaults.fieldManager;
    if (type === "apply" && !fieldManager) throw new RequestConstructionError("server-side apply requires a fieldManager");
    if (opts.force !== undefined && type !== "apply") throw new RequestConstructionError("force is only valid for apply patches");
    let body = patch;
    if (type === "apply" && patch && typeof patch === "object" && !Array.isArray(patch)) body = { apiVersion: this.apiVersion, kind: this.ref.kind, ...(patch as object) };
    return this.http.json<T>({
      method: "PATCH",
      path: objectPath(this.ref, namespace || undefined, name, opts.subresource),
      query: { ...this.writeQuery({ ...opts, fieldManager }), force: opts.force },
      body,
      contentType: patchContentTypes[type],
      ...call(opts),
    });
  }

  /**
   * Delete. Resolves to the object when the server returns it (still present with a
   * deletionTimestamp because of finalizers, or its final state), or undefined when the server
   * answers with a Success Status. 404 → StatusError NotFound.
   */
  async delete(namespace: string | undefined, name: string, opts: DeleteOptions = {}): Promise<T | undefined> {
    const body: Record<string, unknown> = { kind: "DeleteOptions", apiVersion: "v1" };
    if (opts.propagationPolicy) body.propagationPolicy = opts.propagationPolicy;
    if (opts.gracePeriodSeconds !== undefined) body.gracePeriodSeconds = opts.gracePeriodSeconds;
    if (opts.preconditions) body.preconditions = opts.preconditions;
    if (opts.dryRun) body.dryRun = ["All"];
    const res = await this.http.json<T | StatusObject | undefined>({ method: "DELETE", path: objectPath(this.ref, namespace || undefined, name), body, ...call(opts) });
    if (!res || res.kind === "Status") return undefined;
    return res as T;
  }

  /** Open a watch; resolves once the server has answered with headers. */
  async watch(namespace?: string, opts: WatchOptions = {}): Promise<Watch<T>> {
    const stream = await this.http.stream({
      method: "GET",
      path: collectionPath(this.ref, namespace || undefined),
      query: {
        watch: true,
        resourceVersion: opts.resourceVersion,
        allowWatchBookmarks: opts.allowWatchBookmarks,
        labelSelector: opts.labelSelector,
        fieldSelector: opts.fieldSelector,
        timeoutSeconds: opts.timeoutSeconds,
      },
      timeoutMs: opts.timeoutMs,
      signal: opts.signal,
    });
    const idle = opts.idleTimeoutMs ?? Math.max(300_000, (opts.timeoutSeconds ?? 0) * 1000 + 30_000);
    return new WatchStream<T>(stream, idle);
  }

  /** GET a subresource as JSON (e.g. "status", "scale"). */
  async getSubresource<R = unknown>(namespace: string | undefined, name: string, subresource: string, opts: CallOptions & { query?: Record<string, QueryValue> } = {}): Promise<R> {
    return this.http.json<R>({ method: "GET", path: objectPath(this.ref, namespace || undefined, name, subresource), query: opts.query, ...call(opts) });
  }

  /** GET a subresource as text (e.g. pods/log). */
  async getSubresourceText(namespace: string | undefined, name: string, subresource: string, opts: CallOptions & { query?: Record<string, QueryValue> } = {}): Promise<string> {
    return this.http.text({ method: "GET", path: objectPath(this.ref, namespace || undefined, name, subresource), query: opts.query, accept: "*/*", ...call(opts) });
  }

  /** POST to a subresource (e.g. pods/binding, pods/eviction). */
  async postSubresource<R = unknown>(namespace: string | undefined, name: string, subresource: string, body: unknown, opts: WriteOptions = {}): Promise<R> {
    return this.http.json<R>({ method: "POST", path: objectPath(this.ref, namespace || undefined, name, subresource), query: this.writeQuery(opts), body, ...call(opts) });
  }

  private async put(obj: T, subresource: string | undefined, opts: WriteOptions): Promise<T> {
    const name = obj.metadata?.name;
    if (!name) throw new RequestConstructionError(`${this.ref.plural}: metadata.name is required to update`);
    return this.http.json<T>({ method: "PUT", path: objectPath(this.ref, this.namespaceOf(obj), name, subresource), query: this.writeQuery(opts), body: this.typed(obj), ...call(opts) });
  }

  private namespaceOf(obj: T): string | undefined {
    return this.ref.namespaced ? obj.metadata?.namespace || undefined : undefined;
  }

  private writeQuery(opts: WriteOptions): Record<string, QueryValue> {
    return {
      dryRun: opts.dryRun ? "All" : undefined,
      fieldManager: opts.fieldManager ?? this.defaults.fieldManager,
      fieldValidation: opts.fieldValidation,
    };
  }

  /** The server omits apiVersion/kind on list items; fill them (also on request bodies). */
  private typed(obj: T): T {
    if (obj.apiVersion && obj.kind) return obj;
    return { ...obj, apiVersion: obj.apiVersion || this.apiVersion, kind: obj.kind || this.ref.kind };
  }
}

function call(opts: CallOptions): CallOptions {
  return { timeoutMs: opts.timeoutMs, signal: opts.signal };
}
