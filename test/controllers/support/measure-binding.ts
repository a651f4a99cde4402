/**
 * Manual measurement (not a test): N volumes + N claims bound through a real API server.
 *   node --import tsx test/controllers/support/measure-binding.ts [N] [precreated|concurrent]
 * STORE=memory:// for the memory store; WORKERS=n for claim workers.
 */
import { startTestCluster } from "./cluster.js";
import { R, api, pvObj, pvcObj } from "./objects.js";
import { startControllers } from "../../../src/controllers/index.js";

const N = Number(process.argv[2] ?? 10000);
const mode = process.argv[3] ?? "precreated";
const c = await startTestCluster(process.env.STORE ?? "sqlite://$DIR/state.db");
await api(c.client, R.ns).create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "p" } });
const pvs = api(c.client, R.pv), pvcs = api(c.client, R.pvc);
async function pool<T>(items: T[], width: number, fn: (t: T) => Promise<unknown>) { let i = 0; await Promise.all(Array.from({ length: width }, async () => { while (i < items.length) await fn(items[i++]); })); }
const idx = Array.from({ length: N }, (_, i) => i);
let t0 = Date.now();
let ctrl;
if (mode === "precreated") {
  await pool(idx, 64, (i) => pvs.create(pvObj(`p-${i}`, { cls: "perf" })));
  await pool(idx, 64, (i) => pvcs.create(pvcObj("p", `p-${i}`, { cls: "perf" })));
  console.log(`created ${2 * N} objects in ${Date.now() - t0} ms`);
  t0 = Date.now();
  ctrl = await startControllers({ client: c.client, workers: Number(process.env.WORKERS ?? 32), withoutScheduler: true });
  console.log(`controllers started (informers synced) after ${Date.now() - t0} ms`);
} else {
  ctrl = await startControllers({ client: c.client, workers: Number(process.env.WORKERS ?? 32), withoutScheduler: true });
  t0 = Date.now();
  await pool(idx, 64, async (i) => { await pvs.create(pvObj(`p-${i}`, { cls: "perf" })); await pvcs.create(pvcObj("p", `p-${i}`, { cls: "perf" })); });
  console.log(`created ${2 * N} objects in ${Date.now() - t0} ms`);
}
while (true) {
  const items = (await pvcs.listAll("p")).items as any[];
  const bound = items.filter((x) => x.status?.phase === "Bound").length;
  if (bound === N) break;
  process.stdout.write(`  ${Date.now() - t0} ms: ${bound} bound ${JSON.stringify(ctrl.binder.stats)}\n`);
  await new Promise((r) => setTimeout(r, 500));
}
console.log(`all ${N} bound after ${Date.now() - t0} ms`, JSON.stringify(ctrl.binder.stats));
const events = (await api(c.client, R.event).listAll("p")).items as unknown as { reason: string; count?: number }[];
const byReason: Record<string, number> = {};
for (const e of events) byReason[e.reason] = (byReason[e.reason] ?? 0) + (e.count ?? 1);
console.log("events", events.length, JSON.stringify(byReason));
await ctrl.stop(); await c.stop();
process.exit(0);
