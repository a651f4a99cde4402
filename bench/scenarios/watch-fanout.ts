/**
 * Watch fan-out: `watchers` watches on one namespace, then `events` durable updates of one
 * ConfigMap there, one at a time. For each update: the time from sending the write to each
 * watcher receiving the event, and to the last of them receiving it. The watchers live in the
 * bench process, so their TLS and parsing cost is on the same two cores as the server's; lines
 * are matched by a marker instead of being parsed to keep that cost small.
 */
import { sleep, waitUntil } from "../core/load.js";
import type { ApiClient, WatchStream } from "../harness/api-client.js";
import { configMap, paths } from "../harness/objects.js";

export interface FanOutResult {
  events: number;
  /** Write sent → one watcher has the event, for every (event, watcher). */
  perWatcher: number[];
  /** Write sent → every watcher has the event, per event. */
  allWatchers: number[];
}

export async function measureFanOut(client: ApiClient, o: { watchers: number; events: number; namespace: string }): Promise<FanOutResult> {
  const created = await client.expect("POST", paths.configMaps(o.namespace), configMap(o.namespace, "probe", { seq: "-1" }));
  const rv = created.metadata.resourceVersion as string;
  let current = -1;
  let sentAt = 0;
  let received = 0;
  let lastAt = 0;
  const perWatcher: number[] = [];
  const streams: WatchStream[] = [];
  for (let i = 0; i < o.watchers; i += 50) {
    const batch: WatchStream[] = [];
    for (let j = i; j < Math.min(o.watchers, i + 50); j++) {
      batch.push(
        client.watchLines(`${paths.configMaps(o.namespace)}?watch=1&resourceVersion=${rv}&timeoutSeconds=600`, (line, at) => {
          if (current >= 0 && line.includes(`"seq":"${current}"`)) {
            perWatcher.push(at - sentAt);
            received++;
            lastAt = at;
          }
        }),
      );
    }
    await Promise.all(batch.map((s) => s.ready));
    streams.push(...batch);
  }
  try {
    await sleep(500);
    const allWatchers: number[] = [];
    for (let e = 0; e < o.events; e++) {
      received = 0;
      current = e;
      sentAt = performance.now();
      await client.expect("PATCH", paths.configMap(o.namespace, "probe"), { data: { seq: String(e) } });
      await waitUntil(() => received >= o.watchers, `event ${e} at ${o.watchers} watchers (got ${received})`, 30_000, 1);
      allWatchers.push(lastAt - sentAt);
      await sleep(100);
    }
    return { events: o.events, perWatcher, allWatchers };
  } finally {
    for (const s of streams) s.close();
  }
}
