/**
 * Workload operations that survive crashes and record exactly what was acknowledged:
 * a create/patch/delete is recorded only when this very request got a 2xx; after a transport
 * failure the outcome is unknown, so it is repeated on the next incarnation and an AlreadyExists
 * (or NotFound for a delete) means "some earlier attempt did it" — observed, never acknowledged.
 */
import type { History, Resource } from "./history.js";
import { keyOf } from "./history.js";
import type { ClusterLink, Reply } from "./link.js";
import { isTransportError } from "./link.js";

export interface KubeObj {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace?: string; uid?: string; resourceVersion?: string; annotations?: Record<string, string>; deletionTimestamp?: string };
  spec?: any;
  status?: any;
  [k: string]: unknown;
}

/** Transient answers worth repeating: throttled, or unavailable while an incarnation stops. A 500 is a finding, never retried. */
function transient(r: Reply): boolean {
  return r.status === 429 || r.status === 503 || r.status === 504;
}

export async function send(link: ClusterLink, method: string, path: string, body?: unknown, contentType?: string): Promise<Reply & { epoch: number }> {
  for (;;) {
    const epoch = link.epoch;
    try {
      const r = await link.kube(method, path, body, contentType);
      if (transient(r)) {
        await new Promise((res) => setTimeout(res, 100));
        continue;
      }
      return { ...r, epoch };
    } catch (e) {
      if (!isTransportError(e) || link.isClosed) throw e;
      await link.after(e.epoch);
    }
  }
}

export async function get(link: ClusterLink, path: string): Promise<KubeObj | undefined> {
  const r = await send(link, "GET", path);
  if (r.status === 404) return undefined;
  if (r.status !== 200) throw new Error(`GET ${path}: ${r.status} ${r.text.slice(0, 300)}`);
  return r.body as KubeObj;
}

export async function create(link: ClusterLink, history: History, resource: Resource, collection: string, obj: KubeObj): Promise<KubeObj> {
  for (;;) {
    const epoch = link.epoch;
    let r: Reply;
    try {
      r = await link.kube("POST", collection, obj);
    } catch (e) {
      if (!isTransportError(e) || link.isClosed) throw e;
      await link.after(e.epoch);
      continue;
    }
    if (r.status === 201 || r.status === 200) {
      const o = r.body as KubeObj;
      history.add({ type: "ack", verb: "create", resource, key: keyOf(o), uid: String(o.metadata.uid), rv: Number(o.metadata.resourceVersion), epoch });
      return o;
    }
    if (r.status === 409) {
      const existing = await get(link, `${collection}/${obj.metadata.name}`);
      if (existing) return existing;
      continue;
    }
    if (transient(r)) {
      await new Promise((res) => setTimeout(res, 100));
      continue;
    }
    throw new Error(`create ${resource} ${obj.metadata.name}: ${r.status} ${r.text.slice(0, 300)}`);
  }
}

/** A merge patch setting one annotation; repeated until acknowledged (setting it twice is harmless). */
export async function annotate(link: ClusterLink, history: History, resource: Resource, path: string, key: string, value: string): Promise<void> {
  const r = await send(link, "PATCH", path, { metadata: { annotations: { [key]: value } } }, "application/merge-patch+json");
  if (r.status !== 200) throw new Error(`annotate ${path}: ${r.status} ${r.text.slice(0, 300)}`);
  const o = r.body as KubeObj;
  history.add({ type: "ack", verb: "update", resource, key: keyOf(o), uid: String(o.metadata.uid), rv: Number(o.metadata.resourceVersion), epoch: r.epoch, annotation: [key, value] });
}

export async function remove(link: ClusterLink, history: History, resource: Resource, path: string): Promise<void> {
  const parts = path.split("/");
  const ns = parts.indexOf("namespaces");
  const key = ns >= 0 && parts[ns + 2] !== undefined && parts.length > ns + 3 ? `${parts[ns + 1]}/${parts[parts.length - 1]}` : parts[parts.length - 1];
  history.add({ type: "attempt", verb: "delete", resource, key, epoch: link.epoch });
  const r = await send(link, "DELETE", path);
  if (r.status === 404) return;
  if (r.status !== 200 && r.status !== 202) throw new Error(`delete ${path}: ${r.status} ${r.text.slice(0, 300)}`);
  const o = r.body as KubeObj;
  if (o?.kind === "Status") return; // no object to record a revision of
  history.add({
    type: "ack", verb: "delete", resource, key: keyOf(o), uid: String(o.metadata.uid), rv: Number(o.metadata.resourceVersion), epoch: r.epoch,
    pending: o.metadata.deletionTimestamp !== undefined,
  });
}

/** Poll until `fn` returns a value; undefined after `ms`. */
export async function poll<T>(fn: () => Promise<T | undefined>, ms: number, everyMs = 200): Promise<T | undefined> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const v = await fn();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return undefined;
}

/** Run `fn` over `items` with at most `width` in flight. */
export async function pool<T>(items: T[], width: number, fn: (t: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i], i);
      }
    }),
  );
}
