/**
 * Records everything a watch shows, from a starting resourceVersion, resuming from the last
 * resourceVersion it saw whenever the stream ends or fails (never re-listing: a 410 is recorded as
 * a failure, since a re-list could hide a gap). The result is each key's sequence of events, to be
 * compared with the store's own history.
 */
import type { KubeObject } from "../../../src/api/types.js";
import { objectKey, type KubeClient, type ResourceRef } from "../../../src/client/index.js";

export interface RecordedEvent {
  type: "ADDED" | "MODIFIED" | "DELETED";
  rv: number;
}

export interface WatchRecorder {
  /** Events per key ("ns/name" or "name"), in arrival order. */
  events: Map<string, RecordedEvent[]>;
  /** Times the watch had to be reopened. */
  resumes: number;
  /** 410s and other ERROR events (each a failure of the no-gap guarantee). */
  errors: string[];
  /** The newest resourceVersion seen (events and bookmarks). */
  lastRv(): number;
  stop(): void;
}

export function recordWatch(client: KubeClient, ref: ResourceRef, namespace: string | undefined, fromRv: string): WatchRecorder {
  const events = new Map<string, RecordedEvent[]>();
  let last = fromRv;
  let stopped = false;
  let cancel: (() => void) | undefined;
  const rec: WatchRecorder = {
    events,
    resumes: 0,
    errors: [],
    lastRv: () => Number(last),
    stop() {
      stopped = true;
      cancel?.();
    },
  };
  void (async () => {
    while (!stopped) {
      try {
        const w = await client.resource<KubeObject>(ref).watch(namespace, { resourceVersion: last, allowWatchBookmarks: true, timeoutSeconds: 30, timeoutMs: 10_000, idleTimeoutMs: 20_000 });
        cancel = () => w.cancel();
        if (stopped) w.cancel();
        for await (const e of w) {
          if (e.type === "ERROR") {
            rec.errors.push(`${e.object.code} ${e.object.reason}: ${e.object.message}`);
            break;
          }
          last = e.object.metadata.resourceVersion ?? last;
          if (e.type === "BOOKMARK") continue;
          const key = objectKey(e.object);
          let list = events.get(key);
          if (!list) events.set(key, (list = []));
          list.push({ type: e.type, rv: Number(e.object.metadata.resourceVersion) });
        }
      } catch {
        // dropped or refused: resume below
      }
      if (stopped) break;
      rec.resumes++;
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  return rec;
}
