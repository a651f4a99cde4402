/**
 * The binding workload: N static PVs and N claims in the three ways a binding starts (a free
 * volume that matches, a volume pre-bound to its claim by claimRef, a claim naming its volume),
 * plus one acknowledged annotation update per claim. Work is released in batches, one per
 * incarnation, so the kills fall while pairs are being created and bound rather than after.
 */
import { pvObj, pvcObj } from "../../controllers/support/objects.js";
import type { History } from "./history.js";
import type { ClusterLink } from "./link.js";
import { annotate, create, pool, poll, send, type KubeObj } from "./ops.js";

export const BIND_NS = "crash-bind";
export const TOUCHED = "crash.cistern.dev/touched";

export interface BindingOptions {
  count: number;
  /** Split into this many batches; batch b starts once incarnation b+1 is up (or the last one). */
  batches: number;
  width?: number;
}

function pair(i: number): { pv: KubeObj; pvc: KubeObj } {
  // A claim that names its volume gets a class of its own, so that no free claim takes it first.
  const cls = i % 4 === 2 ? "crash-named" : "crash-bind";
  const pv = pvObj(`cb-${i}`, { cls, claimRef: i % 4 === 1 ? { namespace: BIND_NS, name: `cb-${i}` } : undefined }) as unknown as KubeObj;
  // A valid static handle (a directory of the file system), though binding never looks at it.
  pv.spec.csi.volumeHandle = `fs-12345678:/cb-${i}`;
  const pvc = pvcObj(BIND_NS, `cb-${i}`, { cls, volumeName: i % 4 === 2 ? `cb-${i}` : undefined }) as unknown as KubeObj;
  return { pv, pvc };
}

export async function runBindingWorkload(link: ClusterLink, history: History, o: BindingOptions): Promise<void> {
  await create(link, history, "namespaces", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: BIND_NS } });
  const per = Math.ceil(o.count / o.batches);
  for (let b = 0; b < o.batches; b++) {
    await link.untilBatch(b);
    const ids = Array.from({ length: Math.max(0, Math.min(per, o.count - b * per)) }, (_, k) => b * per + k);
    await pool(ids, o.width ?? 32, async (i) => {
      const { pv, pvc } = pair(i);
      await create(link, history, "persistentvolumes", "/api/v1/persistentvolumes", pv);
      await create(link, history, "persistentvolumeclaims", `/api/v1/namespaces/${BIND_NS}/persistentvolumeclaims`, pvc);
      await annotate(link, history, "persistentvolumeclaims", `/api/v1/namespaces/${BIND_NS}/persistentvolumeclaims/cb-${i}`, TOUCHED, String(i));
    });
  }
}

/** Waits until all `count` claims are Bound; returns how many are not (0 on success). */
export async function settleBinding(link: ClusterLink, count: number, ms: number): Promise<number> {
  let notBound = count;
  await poll(async () => {
    const r = await send(link, "GET", `/api/v1/namespaces/${BIND_NS}/persistentvolumeclaims`);
    const items = (r.body?.items ?? []) as KubeObj[];
    notBound = count - items.filter((c) => c.status?.phase === "Bound").length;
    return notBound === 0 ? true : undefined;
  }, ms, 500);
  return notBound;
}
