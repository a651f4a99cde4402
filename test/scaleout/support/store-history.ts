/**
 * The store's own history of a key prefix above a revision, read straight from etcd through the
 * store backend (a store watch replays every revision): the reference a recorded API watch must
 * match event for event. Meant for prefixes whose keys are not deleted (the replay ends at the
 * newest modRevision a list shows).
 */
import { openBackend, type StoreEvent } from "../../../src/store/index.js";

export interface StoreRevision {
  type: "put" | "delete";
  rv: number;
}

/** Every event under `prefix` above `afterRevision`, per key (the key with `prefix` cut off). */
export async function storeHistory(etcdUrl: string, prefix: string, afterRevision: number): Promise<Map<string, StoreRevision[]>> {
  const backend = await openBackend(etcdUrl);
  try {
    let newest = afterRevision;
    for (let startAfter: string | undefined; ; ) {
      const page = await backend.list({ prefix, startAfter, limit: 1000 });
      for (const kv of page.items) newest = Math.max(newest, kv.modRevision);
      if (!page.more) break;
      startAfter = page.items[page.items.length - 1].key;
    }
    const out = new Map<string, StoreRevision[]>();
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        handle.cancel();
        reject(new Error(`store history of ${prefix} did not reach revision ${newest}`));
      }, 60_000);
      const finish = () => {
        clearTimeout(timer);
        handle.cancel();
        resolve();
      };
      const handle = backend.watch({
        prefix,
        afterRevision,
        onEvents: (events: StoreEvent[]) => {
          for (const e of events) {
            const key = e.kv.key.slice(prefix.length);
            let list = out.get(key);
            if (!list) out.set(key, (list = []));
            list.push({ type: e.type, rv: e.revision });
            if (e.revision >= newest) queueMicrotask(finish);
          }
        },
        onError: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      });
      if (newest <= afterRevision) finish();
    });
    return out;
  } finally {
    await backend.close();
  }
}
