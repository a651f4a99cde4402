/**
 * Keeps one resource current in the browser the way client-go's reflector does: list, then watch
 * from the list's resourceVersion; when the watch ends, watch again from the last version seen;
 * on 410 Gone (history compacted) list again; on any other failure back off (1 s doubling to
 * 30 s) and list again. Events reach `onEvents` in the batches the network delivered them.
 */
import { JsonLinesDecoder } from "../../../model/json-lines.js";
import type { WatchEventLike } from "../../../model/cluster-state.js";
import { authorizedFetch, UnauthorizedError } from "./session.js";

export type WatchStatus = "listing" | "live" | "retrying";

export interface WatchHandlers {
  onList(items: unknown[]): void;
  onEvents(events: WatchEventLike[]): void;
  onStatus(status: WatchStatus, error?: string): void;
  onUnauthorized(): void;
}

class Expired extends Error {}

interface ListBody {
  metadata?: { resourceVersion?: string };
  items?: unknown[];
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(t), resolve()), { once: true });
  });

async function list(token: string, path: string, signal: AbortSignal): Promise<ListBody> {
  const res = await authorizedFetch(token, path, { signal });
  if (!res.ok) throw new Error(`list ${path}: ${res.status}`);
  return (await res.json()) as ListBody;
}

/** Streams one watch; returns the last resourceVersion seen when the server ends it cleanly. */
async function watchOnce(token: string, path: string, from: string, signal: AbortSignal, h: WatchHandlers): Promise<string> {
  const q = new URLSearchParams({ watch: "1", resourceVersion: from, allowWatchBookmarks: "true", timeoutSeconds: "290" });
  const res = await authorizedFetch(token, `${path}?${q}`, { signal });
  if (res.status === 410) throw new Expired();
  if (!res.ok || !res.body) throw new Error(`watch ${path}: ${res.status}`);
  h.onStatus("live");
  const decoder = new JsonLinesDecoder();
  const text = new TextDecoder();
  const reader = res.body.getReader();
  let rv = from;
  const deliver = (docs: unknown[]) => {
    const events: WatchEventLike[] = [];
    for (const doc of docs) {
      const ev = doc as WatchEventLike & { object?: { code?: number; metadata?: { resourceVersion?: string } } };
      if (ev.type === "ERROR") {
        if (ev.object?.code === 410) throw new Expired();
        throw new Error(`watch ${path}: ${JSON.stringify(ev.object).slice(0, 200)}`);
      }
      const v = ev.object?.metadata?.resourceVersion;
      if (v) rv = v;
      if (ev.type !== "BOOKMARK") events.push(ev);
    }
    if (events.length) h.onEvents(events);
  };
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    deliver(decoder.push(text.decode(value, { stream: true })));
  }
  deliver(decoder.push(text.decode()));
  deliver(decoder.end());
  return rv;
}

/** Starts keeping `path` (a collection, e.g. /api/v1/pods) current; returns the stop function. */
export function watchResource(token: string, path: string, h: WatchHandlers): () => void {
  const abort = new AbortController();
  const { signal } = abort;
  void (async () => {
    let backoff = 1000;
    while (!signal.aborted) {
      try {
        h.onStatus("listing");
        const body = await list(token, path, signal);
        h.onList(body.items ?? []);
        let rv = body.metadata?.resourceVersion ?? "0";
        backoff = 1000;
        while (!signal.aborted) rv = await watchOnce(token, path, rv, signal, h);
      } catch (e) {
        if (signal.aborted) return;
        if (e instanceof UnauthorizedError) return h.onUnauthorized();
        if (e instanceof Expired) continue;
        h.onStatus("retrying", (e as Error).message);
        await sleep(backoff, signal);
        backoff = Math.min(backoff * 2, 30_000);
      }
    }
  })();
  return () => abort.abort();
}
