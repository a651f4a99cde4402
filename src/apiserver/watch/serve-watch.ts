/**
 * Streams a watch over HTTP: 200 with headers flushed at once (kubectl wait hangs otherwise),
 * then one JSON document per line. Selector transitions become ADDED/DELETED as upstream's
 * watch cache does; a start below the compaction floor is reported as an ERROR event with a
 * 410 Expired Status; bookmarks are sent when asked for; timeoutSeconds ends the stream.
 */
import type { ServerResponse } from "node:http";
import type { KubeObject, ResourceTraits } from "../../api/types.js";
import { badRequest, StatusError } from "../../api/status.js";
import { isStoreError } from "../../store/types.js";
import type { RegistryContext } from "../registry/context.js";
import { listObjects } from "../registry/read.js";
import type { ObjectFilter } from "../registry/selectors.js";
import { toTable, type IncludeObject } from "../http/table.js";
import type { HubEvent, WatchHub } from "./watch-hub.js";

export interface WatchParams {
  /** Namespace of a namespaced watch; `filter` must also check it for live events. */
  namespace?: string;
  resourceVersion?: string;
  filter?: ObjectFilter;
  table: boolean;
  includeObject: IncludeObject;
  allowBookmarks: boolean;
  timeoutSeconds?: number;
  bookmarkIntervalMs?: number;
  /** Upper bound on queued, unsent events before the watcher is dropped. */
  maxQueued?: number;
}

const DEFAULT_TIMEOUT_S = 1800;

/**
 * JSON lines of watch events, shared by every watcher sent the same object with the same type:
 * the hub hands one decoded object to all subscribers of a resource, so with many watchers an
 * event is serialised once instead of once per watcher. Objects must not change once sent.
 */
const lines = new WeakMap<KubeObject, Map<string, Buffer>>();

function eventLine(type: string, obj: KubeObject): Buffer {
  let byType = lines.get(obj);
  if (!byType) lines.set(obj, (byType = new Map()));
  let line = byType.get(type);
  if (!line) byType.set(type, (line = Buffer.from(JSON.stringify({ type, object: obj }) + "\n")));
  return line;
}

export async function serveWatch(res: ServerResponse, ctx: RegistryContext, hub: WatchHub, t: ResourceTraits, p: WatchParams): Promise<void> {
  let startRv: number;
  const initial: KubeObject[] = [];
  const rv = p.resourceVersion;
  if (rv === undefined || rv === "" || rv === "0") {
    // No starting point: the current state as synthetic ADDED events, then changes after it.
    const listed = await listObjects(ctx, t, p.namespace, { filter: p.filter, limit: 0 });
    initial.push(...listed.items);
    startRv = Number(listed.resourceVersion);
  } else {
    if (!/^\d+$/.test(rv) || !Number.isSafeInteger(Number(rv))) throw badRequest(`invalid resource version: ${rv}`);
    startRv = Number(rv);
  }

  res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-cache, private", "Transfer-Encoding": "chunked" });
  res.flushHeaders();

  let closed = false;
  let headersSent = false;
  let queued = 0;
  const maxQueued = p.maxQueued ?? 10_000;
  let unsubscribe: () => void = () => {};
  const timers: NodeJS.Timeout[] = [];
  const finish = () => {
    if (closed) return;
    closed = true;
    unsubscribe();
    for (const tm of timers) clearTimeout(tm);
    res.end();
  };
  res.on("close", finish);

  const render = (type: string, obj: KubeObject): string | Buffer => {
    if (!p.table) return eventLine(type, obj);
    const object = toTable(t, [obj], { includeObject: p.includeObject, noHeaders: headersSent, resourceVersion: obj.metadata.resourceVersion });
    headersSent = true;
    return JSON.stringify({ type, object }) + "\n";
  };
  const write = (chunk: string | Buffer): boolean => {
    if (closed) return true;
    queued++;
    const ok = res.write(chunk, () => queued--);
    return ok || queued < maxQueued;
  };

  for (const obj of initial) write(render("ADDED", obj));

  let lastSent = startRv;
  const transform = (e: HubEvent): [string, KubeObject] | undefined => {
    if (!p.filter) return [e.type, e.object];
    const cur = e.type !== "DELETED" && p.filter(e.object);
    const old = e.type === "ADDED" ? false : p.filter(e.prev ?? e.object);
    if (e.type === "DELETED") return old ? ["DELETED", e.object] : undefined;
    if (cur && old) return ["MODIFIED", e.object];
    if (cur) return ["ADDED", e.object];
    if (old) {
      const gone = structuredClone(e.prev ?? e.object);
      gone.metadata.resourceVersion = String(e.revision);
      return ["DELETED", gone];
    }
    return undefined;
  };

  try {
    unsubscribe = await hub.subscribe(t, startRv, {
      push(events) {
        if (closed) return true;
        let ok = true;
        for (const e of events) {
          if (e.revision <= lastSent) continue;
          lastSent = e.revision;
          const out = transform(e);
          if (out) ok = write(render(out[0], out[1])) && ok;
        }
        return ok;
      },
      fail(err) {
        if (closed) return;
        // A slow watcher is simply closed (the client re-watches from its last resourceVersion);
        // compacted history and store failures are reported as an ERROR event first.
        if (isStoreError(err, "Compacted")) {
          write(JSON.stringify({ type: "ERROR", object: new StatusError(410, "Expired", `too old resource version: ${startRv} (${err.compactRevision ?? ""})`).toStatus() }) + "\n");
        } else if (!/behind/.test(err.message)) {
          write(JSON.stringify({ type: "ERROR", object: new StatusError(500, "InternalError", `watch ended: ${err.message}`).toStatus() }) + "\n");
        }
        finish();
      },
    });
  } catch (e) {
    if (isStoreError(e, "Compacted")) {
      write(JSON.stringify({ type: "ERROR", object: new StatusError(410, "Expired", `too old resource version: ${startRv}`).toStatus() }) + "\n");
      finish();
      return;
    }
    throw e;
  }
  if (closed) {
    unsubscribe();
    return;
  }

  const timeout = (p.timeoutSeconds && p.timeoutSeconds > 0 ? p.timeoutSeconds : DEFAULT_TIMEOUT_S) * 1000;
  timers.push(setTimeout(finish, timeout));
  if (p.allowBookmarks) {
    const apiVersion = t.group ? `${t.group}/${t.version}` : t.version;
    const every = p.bookmarkIntervalMs ?? 60_000;
    const tick = () => {
      if (closed) return;
      const rvNow = Math.max(lastSent, hub.lastRevision(t));
      write(JSON.stringify({ type: "BOOKMARK", object: { kind: t.kind, apiVersion, metadata: { resourceVersion: String(rvNow) } } }) + "\n");
      timers.push(setTimeout(tick, every));
    };
    timers.push(setTimeout(tick, Math.min(every, 1000)));
  }
}
