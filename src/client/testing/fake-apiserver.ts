/**
 * A small Kubernetes-shaped HTTP(S) server for client, informer and controller-runtime tests:
 * enough real behaviour (CRUD with optimistic concurrency, finalizers, label selectors, paginated
 * lists, watch replay from a resourceVersion, bookmarks, 410 after compaction, Status errors) to
 * run the client against, plus hooks to inject faults (drop or end watches, send raw watch lines,
 * intercept any request). It is a test fixture, not an API server: no validation, no admission,
 * strategic merge treated as JSON merge. Test use only.
 */
import * as http from "node:http";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import fastJsonPatch from "fast-json-patch";
import { StatusError, alreadyExists, conflict, notFound, type StatusObject } from "../../api/status.js";
import type { KubeObject } from "../../api/types.js";
import type { ResourceRef } from "../paths.js";
import { FakeStore, type StoredEvent } from "./fake-store.js";
import { mergePatch } from "./merge-patch.js";
import { selfSignedCert } from "./self-signed.js";

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface FakeApiServerOptions {
  resources: ResourceRef[];
  tls?: boolean;
  /** When set, requests without `Authorization: Bearer <token>` get 401. */
  token?: string;
  /** How a watch from a compacted resourceVersion fails: an ERROR event on a 200 stream (as the watch cache) or an HTTP 410. */
  expiredWatchAs?: "event" | "http";
  /** Answer DELETE with a Success Status instead of the object. */
  deleteReturnsStatus?: boolean;
}

interface ParsedPath {
  ref: ResourceRef;
  resource: string;
  namespace?: string;
  name?: string;
  subresource?: string;
}

interface WatchConn {
  ref: ResourceRef;
  namespace?: string;
  labelSelector?: string;
  bookmarks: boolean;
  res: http.ServerResponse;
}

/** An interceptor answers the request itself (return true) or lets the fake handle it. */
export type Interceptor = (req: RecordedRequest, res: http.ServerResponse) => boolean | Promise<boolean>;

function resourceKey(ref: ResourceRef): string {
  return `${ref.group}/${ref.plural}`;
}

function matchesLabels(obj: KubeObject, selector: string | undefined): boolean {
  if (!selector) return true;
  const labels = obj.metadata.labels ?? {};
  return selector.split(",").every((term) => {
    const neq = term.split("!=");
    if (neq.length === 2) return labels[neq[0].trim()] !== neq[1].trim();
    const [k, v] = term.split("=").map((s) => s.trim());
    return v === undefined ? k in labels : labels[k] === v;
  });
}

function matchesFields(obj: KubeObject, selector: string | undefined): boolean {
  if (!selector) return true;
  return selector.split(",").every((term) => {
    const [k, v] = term.split("=");
    if (k === "metadata.name") return obj.metadata.name === v;
    if (k === "metadata.namespace") return (obj.metadata.namespace ?? "") === v;
    throw new StatusError(400, "BadRequest", `field label not supported: ${k}`);
  });
}

export class FakeApiServer {
  readonly store = new FakeStore();
  readonly requests: RecordedRequest[] = [];
  readonly watches = new Set<WatchConn>();
  intercept: Interceptor | undefined;
  /** TCP (or TLS) connections accepted since start; keep-alive keeps this low. */
  connectionsAccepted = 0;
  caPem: string | undefined;
  url = "";
  private server!: http.Server;
  private readonly sockets = new Set<import("node:net").Socket>();

  private constructor(private readonly options: FakeApiServerOptions) {
    this.store.listeners.add((e) => this.fanOut(e));
  }

  static async start(options: FakeApiServerOptions): Promise<FakeApiServer> {
    const fake = new FakeApiServer(options);
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => void fake.handle(req, res);
    if (options.tls) {
      const { certPem, keyPem } = await selfSignedCert();
      fake.caPem = certPem;
      fake.server = https.createServer({ cert: certPem, key: keyPem }, handler);
    } else {
      fake.server = http.createServer(handler);
    }
    fake.server.on(options.tls ? "secureConnection" : "connection", (s: import("node:net").Socket) => {
      fake.connectionsAccepted++;
      fake.sockets.add(s);
      s.on("close", () => fake.sockets.delete(s));
    });
    await new Promise<void>((resolve) => fake.server.listen(0, "127.0.0.1", resolve));
    const port = (fake.server.address() as AddressInfo).port;
    fake.url = `${options.tls ? "https" : "http"}://127.0.0.1:${port}`;
    return fake;
  }

  /** Number of TCP connections accepted so far that are still open (keep-alive checks). */
  get openSockets(): number {
    return this.sockets.size;
  }

  async close(): Promise<void> {
    for (const w of this.watches) w.res.destroy();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Create or replace an object directly (no request), returning it with its resourceVersion. */
  seed(ref: ResourceRef, obj: KubeObject): KubeObject {
    const existing = this.store.get(resourceKey(ref), obj.metadata.namespace, obj.metadata.name as string);
    const full = { ...obj, metadata: { uid: randomUUID(), creationTimestamp: new Date().toISOString(), ...obj.metadata } };
    return this.store.write(resourceKey(ref), existing ? "MODIFIED" : "ADDED", full);
  }

  /** Delete directly (no request, finalizers ignored). */
  remove(ref: ResourceRef, namespace: string | undefined, name: string): void {
    const existing = this.store.get(resourceKey(ref), namespace, name);
    if (existing) this.store.write(resourceKey(ref), "DELETED", existing);
  }

  /** Cut every open watch connection without a clean end (a dropped stream). */
  dropWatches(): void {
    for (const w of this.watches) w.res.destroy();
    this.watches.clear();
  }

  /** End every open watch cleanly, as a server does when timeoutSeconds elapses. */
  endWatches(): void {
    for (const w of this.watches) w.res.end();
    this.watches.clear();
  }

  /** Write raw text to every open watch (stale events, garbage, partial documents). */
  sendRaw(text: string): void {
    for (const w of this.watches) w.res.write(text);
  }

  /** Send a BOOKMARK at the current revision to watches that allowed bookmarks. */
  bookmark(): void {
    for (const w of this.watches) {
      if (!w.bookmarks) continue;
      const object = { kind: w.ref.kind, apiVersion: w.ref.group ? `${w.ref.group}/${w.ref.version}` : w.ref.version, metadata: { resourceVersion: String(this.store.rv) } };
      w.res.write(JSON.stringify({ type: "BOOKMARK", object }) + "\n");
    }
  }

  requestsTo(method: string, pathPrefix: string): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && r.path.startsWith(pathPrefix));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? "/", "http://x");
    const rec: RecordedRequest = { method: req.method ?? "GET", path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
    this.requests.push(rec);
    try {
      if (this.options.token && req.headers.authorization !== `Bearer ${this.options.token}`) throw new StatusError(401, "Unauthorized", "Unauthorized");
      if (this.intercept && (await this.intercept(rec, res))) return;
      await this.route(rec, res);
    } catch (err) {
      const status = err instanceof StatusError ? err.toStatus() : new StatusError(500, "InternalError", String(err)).toStatus();
      if (!res.headersSent) this.send(res, status.code, status);
      else res.destroy();
    }
  }

  private send(res: http.ServerResponse, code: number, body: unknown): void {
    res.writeHead(code, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  }

  private parse(path: string): ParsedPath | undefined {
    const parts = path.split("/").filter(Boolean);
    let i: number;
    let group = "";
    let version: string | undefined;
    if (parts[0] === "api") {
      version = parts[1];
      i = 2;
    } else if (parts[0] === "apis") {
      group = parts[1];
      version = parts[2];
      i = 3;
    } else return undefined;
    let namespace: string | undefined;
    if (parts[i] === "namespaces" && parts.length >= i + 3) {
      namespace = decodeURIComponent(parts[i + 1]);
      i += 2;
    }
    const ref = this.options.resources.find((r) => r.group === group && r.version === version && r.plural === parts[i]);
    if (!ref) return undefined;
    const name = parts[i + 1];
    return { ref, resource: resourceKey(ref), namespace, name: name && decodeURIComponent(name), subresource: parts[i + 2] };
  }

  private async route(req: RecordedRequest, res: http.ServerResponse): Promise<void> {
    const discovery = /^\/(?:api\/([^/]+)|apis\/([^/]+)\/([^/]+))$/.exec(req.path);
    if (discovery && req.method === "GET") return this.discovery(res, discovery[2] ?? "", discovery[1] ?? discovery[3]);
    const p = this.parse(req.path);
    if (!p) throw new StatusError(404, "NotFound", "the server could not find the requested resource");
    const { method } = req;
    if (!p.name) {
      if (method === "GET" && req.query.get("watch") === "true") return this.watch(p, req, res);
      if (method === "GET") return this.send(res, 200, this.list(p, req));
      if (method === "POST") return this.send(res, 201, this.create(p, JSON.parse(req.body) as KubeObject));
    } else if (p.subresource && p.subresource !== "status") {
      if (method === "GET") return this.send(res, 200, this.mustGet(p));
      if (method === "POST") return this.send(res, 201, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 });
    } else {
      if (method === "GET") return this.send(res, 200, this.mustGet(p));
      if (method === "PUT") return this.send(res, 200, this.update(p, JSON.parse(req.body) as KubeObject));
      if (method === "PATCH") return this.patch(p, req, res);
      if (method === "DELETE" && !p.subresource) return this.delete(p, req.body ? JSON.parse(req.body) : {}, res);
    }
    throw new StatusError(405, "MethodNotAllowed", `${method} is not supported here`);
  }

  private discovery(res: http.ServerResponse, group: string, version: string): void {
    const resources = this.options.resources
      .filter((r) => r.group === group && r.version === version)
      .map((r) => ({ name: r.plural, namespaced: r.namespaced, kind: r.kind, verbs: ["get", "list", "watch", "create", "update", "patch", "delete"] }));
    if (resources.length === 0) throw new StatusError(404, "NotFound", "the server could not find the requested resource");
    this.send(res, 200, { kind: "APIResourceList", apiVersion: "v1", groupVersion: group ? `${group}/${version}` : version, resources });
  }

  private mustGet(p: ParsedPath): KubeObject {
    const obj = this.store.get(p.resource, p.namespace, p.name as string);
    if (!obj) throw notFound(p.ref.plural, p.name as string, p.ref.group);
    return obj;
  }

  private list(p: ParsedPath, req: RecordedRequest): unknown {
    const all = this.store
      .list(p.resource, p.namespace)
      .filter((o) => matchesLabels(o, req.query.get("labelSelector") ?? undefined) && matchesFields(o, req.query.get("fieldSelector") ?? undefined));
    const limit = Number(req.query.get("limit") ?? 0);
    const token = req.query.get("continue");
    let offset = 0;
    let listRv = String(this.store.rv);
    if (token) {
      const decoded = JSON.parse(Buffer.from(token, "base64").toString("utf8")) as { offset: number; rv: string };
      if (Number(decoded.rv) <= this.store.compactedRv) throw new StatusError(410, "Expired", "The provided continue parameter is too old to display a consistent list result.");
      offset = decoded.offset;
      listRv = decoded.rv;
    }
    // Items are returned without apiVersion/kind, as kube-apiserver does for typed lists.
    let items = all.map(({ apiVersion: _a, kind: _k, ...rest }) => rest);
    const metadata: Record<string, unknown> = { resourceVersion: listRv };
    if (limit > 0) {
      const page = items.slice(offset, offset + limit);
      if (offset + limit < items.length) metadata.continue = Buffer.from(JSON.stringify({ offset: offset + limit, rv: listRv })).toString("base64");
      items = page;
    }
    const apiVersion = p.ref.group ? `${p.ref.group}/${p.ref.version}` : p.ref.version;
    return { kind: `${p.ref.kind}List`, apiVersion, metadata, items };
  }

  private create(p: ParsedPath, body: KubeObject): KubeObject {
    const meta = { ...body.metadata };
    if (!meta.name && meta.generateName) meta.name = `${meta.generateName}${randomUUID().slice(0, 5)}`;
    if (!meta.name) throw new StatusError(422, "Invalid", "metadata.name: Required value");
    if (p.ref.namespaced) meta.namespace = p.namespace;
    if (this.store.get(p.resource, meta.namespace, meta.name)) throw alreadyExists(p.ref.plural, meta.name, p.ref.group);
    meta.uid = randomUUID();
    meta.creationTimestamp = new Date().toISOString();
    delete meta.resourceVersion;
    return this.store.write(p.resource, "ADDED", { ...body, metadata: meta });
  }

  /** Write an updated object, honouring finalizers on an object being deleted. */
  private commit(p: ParsedPath, next: KubeObject): KubeObject {
    if (next.metadata.deletionTimestamp && !(next.metadata.finalizers ?? []).length) return this.store.write(p.resource, "DELETED", next);
    return this.store.write(p.resource, "MODIFIED", next);
  }

  private update(p: ParsedPath, body: KubeObject): KubeObject {
    const old = this.mustGet(p);
    const rv = body.metadata?.resourceVersion;
    if (rv && rv !== old.metadata.resourceVersion) throw conflict(p.ref.plural, p.name as string, p.ref.group);
    let next: KubeObject;
    if (p.subresource === "status") next = { ...old, status: body.status };
    else next = { ...body, status: old.status, metadata: { ...body.metadata, uid: old.metadata.uid, creationTimestamp: old.metadata.creationTimestamp, deletionTimestamp: old.metadata.deletionTimestamp } };
    if (next.status === undefined) delete next.status;
    return this.commit(p, next);
  }

  private patch(p: ParsedPath, req: RecordedRequest, res: http.ServerResponse): void {
    const type = req.headers["content-type"] ?? "";
    const patch = JSON.parse(req.body) as unknown;
    const old = this.store.get(p.resource, p.namespace, p.name as string);
    if (!old) {
      if (!type.startsWith("application/apply-patch")) throw notFound(p.ref.plural, p.name as string, p.ref.group);
      const created = this.create(p, { ...(patch as KubeObject), metadata: { ...(patch as KubeObject).metadata, name: p.name } });
      return this.send(res, 201, created);
    }
    let next: KubeObject;
    if (type.startsWith("application/json-patch+json")) {
      next = fastJsonPatch.applyPatch(old, patch as fastJsonPatch.Operation[], true, false).newDocument;
    } else {
      const wantRv = (patch as KubeObject)?.metadata?.resourceVersion;
      if (wantRv && wantRv !== old.metadata.resourceVersion) throw conflict(p.ref.plural, p.name as string, p.ref.group);
      next = mergePatch(old, patch) as KubeObject;
    }
    next.metadata = { ...next.metadata, uid: old.metadata.uid, deletionTimestamp: old.metadata.deletionTimestamp };
    this.send(res, 200, this.commit(p, next));
  }

  private delete(p: ParsedPath, opts: { preconditions?: { uid?: string; resourceVersion?: string } }, res: http.ServerResponse): void {
    const old = this.mustGet(p);
    const pre = opts.preconditions;
    if (pre?.uid && pre.uid !== old.metadata.uid) throw conflict(p.ref.plural, p.name as string, p.ref.group, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${old.metadata.uid}`);
    if (pre?.resourceVersion && pre.resourceVersion !== old.metadata.resourceVersion) throw conflict(p.ref.plural, p.name as string, p.ref.group, "Precondition failed: resourceVersion mismatch");
    let result: KubeObject;
    if ((old.metadata.finalizers ?? []).length > 0) {
      result = old.metadata.deletionTimestamp ? old : this.store.write(p.resource, "MODIFIED", { ...old, metadata: { ...old.metadata, deletionTimestamp: new Date().toISOString() } });
    } else {
      result = this.store.write(p.resource, "DELETED", old);
    }
    if (this.options.deleteReturnsStatus) {
      const status: StatusObject = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 200, details: { name: p.name, kind: p.ref.plural } };
      return this.send(res, 200, status);
    }
    this.send(res, 200, result);
  }

  private watch(p: ParsedPath, req: RecordedRequest, res: http.ServerResponse): void {
    const rvParam = req.query.get("resourceVersion") ?? "";
    const from = rvParam === "" || rvParam === "0" ? undefined : Number(rvParam);
    const expired = from !== undefined && from < this.store.compactedRv;
    if (expired && this.options.expiredWatchAs === "http") throw new StatusError(410, "Expired", `too old resource version: ${from} (${this.store.compactedRv})`);
    res.writeHead(200, { "content-type": "application/json", "transfer-encoding": "chunked" });
    res.flushHeaders();
    if (expired) {
      const status = new StatusError(410, "Expired", `too old resource version: ${from} (${this.store.compactedRv})`).toStatus();
      res.end(JSON.stringify({ type: "ERROR", object: status }) + "\n");
      return;
    }
    const conn: WatchConn = { ref: p.ref, namespace: p.namespace, labelSelector: req.query.get("labelSelector") ?? undefined, bookmarks: req.query.get("allowWatchBookmarks") === "true", res };
    if (from === undefined) {
      for (const obj of this.store.list(p.resource, p.namespace)) this.deliver(conn, { rv: Number(obj.metadata.resourceVersion), type: "ADDED", resource: p.resource, object: obj });
    } else {
      for (const e of this.store.history) if (e.rv > from && e.resource === p.resource) this.deliver(conn, e);
    }
    this.watches.add(conn);
    res.on("close", () => this.watches.delete(conn));
    const timeout = Number(req.query.get("timeoutSeconds") ?? 0);
    if (timeout > 0) setTimeout(() => res.end(), timeout * 1000).unref();
  }

  private deliver(conn: WatchConn, e: StoredEvent): void {
    if (conn.namespace !== undefined && e.object.metadata.namespace !== conn.namespace) return;
    if (!matchesLabels(e.object, conn.labelSelector)) return;
    conn.res.write(JSON.stringify({ type: e.type, object: e.object }) + "\n");
  }

  private fanOut(e: StoredEvent): void {
    for (const conn of this.watches) if (resourceKey(conn.ref) === e.resource) this.deliver(conn, e);
  }
}
