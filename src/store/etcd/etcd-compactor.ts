/**
 * Compaction of a shared etcd, coordinated the way kube-apiserver coordinates it, so that several
 * API servers (and kube-apiservers) on one etcd compact once per interval between them, not once each.
 *
 * The version of the key `compact_rev_key` (outside every namespace: compaction is cluster-wide)
 * is a logical clock. Each pass, every API server tries Txn(version(compact_rev_key) == its clock ?
 * put(compact_rev_key, R) : get(compact_rev_key)), where R is the revision it saw one pass ago:
 * - the winner advances the clock, compacts etcd to R (physical), and remembers the revision of
 *   its put as the next R: history of at least one interval is always kept;
 * - the others adopt the clock they read and try again next interval, so if the winner dies,
 *   another takes over within two intervals.
 * The very first winning pass only records a revision (nothing to compact yet), as upstream.
 */
import { createLogger } from "../../lib/log.js";
import { startCompactionLoop, type Compactor } from "../compaction-loop.js";
import { isStoreError } from "../types.js";
import type { EtcdBackend } from "./etcd-backend.js";

const log = createLogger("store/etcd/compactor");
const COMPACT_REV_KEY = Buffer.from("compact_rev_key");

export interface EtcdCompactorOptions {
  /** Time between passes (default 5 min, kube-apiserver's --etcd-compaction-interval). */
  intervalMs?: number;
}

export function startEtcdCompactor(backend: EtcdBackend, opts: EtcdCompactorOptions = {}): Compactor {
  let clock = 0; // the version of compact_rev_key this server expects
  let lastSeen = 0; // the revision of the previous pass, the next compaction target
  const kv = backend.rpc.etcd.kv;

  const pass = async (): Promise<number> => {
    const res = await backend.rpc.write("compaction clock", (call) =>
      kv.txn(
        {
          compare: [{ key: COMPACT_REV_KEY, target: "Version", result: "Equal", version: clock }],
          success: [{ request_put: { key: COMPACT_REV_KEY, value: Buffer.from(String(lastSeen)) } }],
          failure: [{ request_range: { key: COMPACT_REV_KEY } }],
        },
        call,
      ),
    );
    const target = lastSeen;
    lastSeen = Number(res.header.revision);
    if (!res.succeeded) {
      // Another server compacted this interval (or we lost a race): follow its clock.
      const cur = res.responses[0]?.response_range?.kvs[0];
      clock = cur ? Number(cur.version) : 0;
    } else {
      clock++;
      if (target > 0) {
        await backend.compact(target);
        log.debug("compacted", { backend: backend.name, revision: target });
      }
    }
    return backend.compactRevision();
  };

  return startCompactionLoop({
    intervalMs: Math.max(1, opts.intervalMs ?? 5 * 60_000),
    pass,
    // Unavailable from an open client is a member or network problem: retry. Closed is final.
    isFinal: (err) => isStoreError(err, "Unavailable") && backend.rpc.isClosed,
    onRetry: (err) => log.warn("etcd compaction pass failed; retrying next interval", { backend: backend.name, err }),
  });
}
