/**
 * The client root: configuration → transport → per-resource clients. `resource(traits)` is
 * synchronous (the caller already knows the REST mapping); `resourceFor(apiVersion, kind)` maps a
 * kind through the caller's resolver, falling back to legacy discovery (`/api/v1`,
 * `/apis/<group>/<version>`), cached per group/version, as client-go's REST mapper does.
 * With `servers` (several API servers on one store) the client fails over between them (http.ts).
 */
import type { KubeObject, ResourceTraits } from "../api/types.js";
import { RequestConstructionError } from "./errors.js";
import { KubeHttp, type RequestSpec } from "./http.js";
import type { ClientConfig } from "./kubeconfig.js";
import { nodeTransport, type NodeTransport } from "./node-transport.js";
import type { ResourceRef } from "./paths.js";
import { ResourceClient } from "./resource-client.js";
import type { Transport } from "./transport.js";

export const defaultUserAgent = "cistern/0.1";

export interface ClientOptions extends ClientConfig {
  /** Replaces the Node transport, e.g. `fetchTransport(apiserver.fetch)` in tests or a browser. */
  transport?: Transport;
  /** Default "cistern/0.1"; components identify themselves, e.g. "cistern-controllers/0.1". */
  userAgent?: string;
  /** Deadline per request (watches: until headers). Default 30 s. */
  timeoutMs?: number;
  /** Automatic retries of idempotent or unsent requests. Default 3. */
  maxRetries?: number;
  /** Largest response body accepted (non-streaming). Default 64 MiB. */
  maxResponseBytes?: number;
  /** fieldManager for writes that name none. */
  fieldManager?: string;
  /** Map apiVersion/kind to a resource without asking the server (e.g. from src/api's registry). */
  resolveKind?: (apiVersion: string, kind: string) => ResourceRef | undefined;
}

interface ApiResource {
  name: string;
  namespaced: boolean;
  kind: string;
}

export class KubeClient {
  readonly http: KubeHttp;
  private readonly transport: Transport;
  private readonly discovered = new Map<string, Promise<ApiResource[]>>();

  constructor(readonly options: ClientOptions) {
    let server: URL;
    try {
      server = new URL(options.server);
    } catch {
      throw new RequestConstructionError(`server ${JSON.stringify(options.server)} is not a URL`);
    }
    if (server.protocol !== "https:" && server.protocol !== "http:") throw new RequestConstructionError("server must be an http(s) URL");
    for (const other of options.servers ?? []) {
      let url: URL;
      try {
        url = new URL(other);
      } catch {
        throw new RequestConstructionError(`server ${JSON.stringify(other)} is not a URL`);
      }
      if (url.protocol !== "https:" && url.protocol !== "http:") throw new RequestConstructionError("every server must be an http(s) URL");
    }
    this.transport =
      options.transport ??
      nodeTransport({
        ca: options.caData,
        insecureSkipTlsVerify: options.insecureSkipTlsVerify,
        tlsServerName: options.tlsServerName,
        cert: options.clientCertData,
        key: options.clientKeyData,
      });
    this.http = new KubeHttp({
      server: options.server.replace(/\/+$/, ""),
      servers: options.servers,
      transport: this.transport,
      token: options.token,
      userAgent: options.userAgent ?? defaultUserAgent,
      timeoutMs: options.timeoutMs ?? 30_000,
      maxRetries: options.maxRetries ?? 3,
      maxResponseBytes: options.maxResponseBytes ?? 64 * 1024 * 1024,
    });
  }

  /** A client for the resource the traits describe; cheap, create as many as needed. */
  resource<T extends KubeObject>(traits: ResourceTraits<T>): ResourceClient<T>;
  resource<T extends KubeObject = KubeObject>(ref: ResourceRef): ResourceClient<T>;
  resource<T extends KubeObject>(ref: ResourceRef): ResourceClient<T> {
    return new ResourceClient<T>(this.http, ref, { fieldManager: this.options.fieldManager });
  }

  /**
   * A client for apiVersion/kind. Uses `resolveKind` first, then discovery. An unknown kind →
   * RequestConstructionError; a failed discovery request is not cached.
   */
  async resourceFor<T extends KubeObject = KubeObject>(apiVersion: string, kind: string): Promise<ResourceClient<T>> {
    const known = this.options.resolveKind?.(apiVersion, kind);
    if (known) return this.resource<T>(known);
    const slash = apiVersion.indexOf("/");
    const group = slash < 0 ? "" : apiVersion.slice(0, slash);
    const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
    const resources = await this.discover(group, version);
    const match = resources.find((r) => r.kind === kind && !r.name.includes("/"));
    if (!match) throw new RequestConstructionError(`no matches for kind "${kind}" in version "${apiVersion}"`);
    return this.resource<T>({ group, version, kind, plural: match.name, namespaced: match.namespaced });
  }

  /** A raw JSON request, for endpoints outside the resource model (/version, /healthz …). */
  request<T>(spec: RequestSpec): Promise<T> {
    return this.http.json<T>(spec);
  }

  /** Release pooled connections (Node transport). */
  close(): void {
    (this.transport as Partial<NodeTransport>).close?.();
  }

  private discover(group: string, version: string): Promise<ApiResource[]> {
    const key = `${group}/${version}`;
    let pending = this.discovered.get(key);
    if (!pending) {
      const path = group ? `/apis/${encodeURIComponent(group)}/${encodeURIComponent(version)}` : `/api/${encodeURIComponent(version)}`;
      pending = this.http.json<{ resources?: ApiResource[] }>({ method: "GET", path }).then((list) => list?.resources ?? []);
      pending.catch(() => this.discovered.delete(key));
      this.discovered.set(key, pending);
    }
    return pending;
  }
}

export function createClient(options: ClientOptions): KubeClient {
  return new KubeClient(options);
}
