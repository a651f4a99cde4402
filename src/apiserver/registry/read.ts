/**
 * GET and LIST. resourceVersion semantics follow upstream: unset = most recent, "0" = any
 * (we serve the most recent), N with resourceVersionMatch=Exact = as of N, otherwise "not older
 * than N". Reads below the compaction floor are 410 Expired. Pagination uses an opaque continue
 * token holding the list revision and the last key, so every page is read at the same revision.
 */
import type { KubeObject, ResourceTraits } from "../../api/types.js";
import { badRequest, gone, notFound, StatusError } from "../../api/status.js";
import { isStoreError, type KeyValue } from "../../store/types.js";
import type { RegistryContext } from "./context.js";
import { decodeObject, encodeStoredJson } from "./codec.js";
import { listPrefix, objectKey } from "./keys.js";
import type { ObjectFilter } from "./selectors.js";

export async function getObject(ctx: RegistryContext, t: ResourceTraits, ns: string | undefined, name: string): Promise<KubeObject> {
  const r = await ctx.backend.get(objectKey(t, ns, name));
  if (!r.kv) throw notFound(t.plural, name, t.group);
  return decodeObject(r.kv);
}

export async function tryGetObject(ctx: RegistryContext, t: ResourceTraits, ns: string | undefined, name: string): Promise<KubeObject | undefined> {
  const r = await ctx.backend.get(objectKey(t, ns, name));
  return r.kv ? decodeObject(r.kv) : undefined;
}

export interface ListParams {
  filter?: ObjectFilter;
  limit: number;
  continueToken?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
}

export interface ListOutput<T = KubeObject> {
  items: T[];
  resourceVersion: string;
  continueToken?: string;
  remainingItemCount?: number;
}

interface ContinueState {
  rv: number;
  start: string;
}

function encodeContinue(s: ContinueState): string {
  return Buffer.from(JSON.stringify({ v: "meta.k8s.io/v1", rv: s.rv, start: s.start })).toString("base64url");
}

function decodeContinue(token: string, prefix: string): ContinueState {
  try {
    const raw = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    if (raw.v !== "meta.k8s.io/v1" || typeof raw.rv !== "number" || typeof raw.start !== "string") throw new Error("bad");
    if (!raw.start.startsWith(prefix)) throw new Error("bad");
    return { rv: raw.rv, start: raw.start };
  } catch {
    throw badRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
  }
}

function parseRv(s: string): number {
  if (!/^\d+$/.test(s) || !Number.isSafeInteger(Number(s))) throw badRequest(`invalid resource version: ${s}`);
  return Number(s);
}

export function listObjects(ctx: RegistryContext, t: ResourceTraits, ns: string | undefined, p: ListParams): Promise<ListOutput> {
  const filter = p.filter;
  return listItems(ctx, t, ns, p, (kv) => {
    const obj = decodeObject(kv);
    return !filter || filter(obj) ? obj : undefined;
  });
}

/**
 * LIST without a filter, each item as the JSON bytes the object would serialise to (see
 * encodeStoredJson): what a plain JSON LIST response needs, without parsing every object.
 */
export function listObjectsRaw(ctx: RegistryContext, t: ResourceTraits, ns: string | undefined, p: Omit<ListParams, "filter">): Promise<ListOutput<Buffer>> {
  return listItems(ctx, t, ns, p, encodeStoredJson);
}

/** The paging loop of LIST; `take` turns a stored value into an item, or undefined when the filter drops it. */
async function listItems<T>(ctx: RegistryContext, t: ResourceTraits, ns: string | undefined, p: ListParams, take: (kv: KeyValue) => T | undefined): Promise<ListOutput<T>> {
  const prefix = listPrefix(t, ns);
  let revision: number | undefined;
  let startAfter: string | undefined;
  if (p.continueToken) {
    if (p.resourceVersion && p.resourceVersion !== "0") throw badRequest("specifying resource version is not allowed when using continue");
    const c = decodeContinue(p.continueToken, prefix);
    revision = c.rv;
    startAfter = c.start;
  } else if (p.resourceVersion && p.resourceVersion !== "0") {
    const want = parseRv(p.resourceVersion);
    const current = await ctx.backend.currentRevision();
    if (p.resourceVersionMatch === "Exact") revision = want;
    else if (want > current) {
      throw new StatusError(504, "Timeout", `Too large resource version: ${want}, current: ${current}`, { retryAfterSeconds: 1 });
    }
  } else if (p.resourceVersionMatch === "Exact") {
    throw badRequest("resourceVersionMatch is forbidden unless resourceVersion is provided");
  }

  const items: T[] = [];
  const limit = p.limit > 0 ? p.limit : 0;
  // With a filter, keep reading pages until the limit is met or the keys run out (as upstream).
  const pageSize = limit > 0 ? (p.filter ? Math.max(limit, 500) : limit) : 0;
  let lastKey: string | undefined;
  let more = false;
  let remaining = 0;
  try {
    for (;;) {
      const page = await ctx.backend.list({ prefix, startAfter, limit: pageSize, revision });
      revision = page.revision;
      let leftInPage = 0;
      for (let i = 0; i < page.items.length; i++) {
        const kv = page.items[i];
        const item = take(kv);
        lastKey = kv.key;
        if (item === undefined) continue;
        items.push(item);
        if (limit > 0 && items.length >= limit) {
          leftInPage = page.items.length - 1 - i;
          break;
        }
      }
      if (limit > 0 && items.length >= limit) {
        more = leftInPage > 0 || page.more;
        remaining = leftInPage + (page.more ? page.remaining : 0);
        break;
      }
      if (!page.more || page.items.length === 0) break;
      startAfter = page.items[page.items.length - 1].key;
    }
  } catch (e) {
    if (isStoreError(e, "Compacted")) {
      if (p.continueToken) throw new StatusError(410, "Expired", "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.");
      throw gone(`too old resource version: ${p.resourceVersion} (${e.compactRevision ?? ""})`);
    }
    if (isStoreError(e, "FutureRevision")) throw new StatusError(504, "Timeout", `Too large resource version: ${p.resourceVersion}`, { retryAfterSeconds: 1 });
    throw e;
  }
  const out: ListOutput<T> = { items, resourceVersion: String(revision ?? (await ctx.backend.currentRevision())) };
  if (more && lastKey !== undefined) {
    out.continueToken = encodeContinue({ rv: revision!, start: lastKey });
    if (!p.filter) out.remainingItemCount = remaining;
  }
  return out;
}
