/**
 * Manual measurement (not a test): raw PV status-update throughput of the API server at several
 * concurrencies, for comparison with the binder's write rate.
 *   node --import tsx test/controllers/support/measure-api.ts [N]
 */
import { startTestCluster } from "./cluster.js";
import { R, api, pvObj } from "./objects.js";

const N = Number(process.argv[2] ?? 2000);
const c = await startTestCluster(process.env.STORE ?? "sqlite://$DIR/state.db");
const pvs = api(c.client, R.pv);
async function pool<T>(items: T[], width: number, fn: (t: T) => Promise<unknown>) {
  let i = 0;
  await Promise.all(Array.from({ length: width }, async () => { while (i < items.length) await fn(items[i++]); }));
}
const idx = Array.from({ length: N }, (_, i) => i);
let t0 = Date.now();
const created = new Array(N);
await pool(idx, 64, async (i) => (created[i] = await pvs.create(pvObj(`raw-${i}`))));
console.log(`create x${N} @64: ${Date.now() - t0} ms`);
for (const width of [8, 32, 128]) {
  t0 = Date.now();
  await pool(idx, width, async (i) => {
    const cur = (await pvs.get(undefined, `raw-${i}`)) as { status?: { phase?: string } } & Parameters<typeof pvs.updateStatus>[0];
    created[i] = await pvs.updateStatus({ ...cur, status: { phase: cur.status?.phase === "Available" ? "Released" : "Available" } });
  });
  console.log(`get+updateStatus x${N} @${width}: ${Date.now() - t0} ms`);
}
await c.stop();
process.exit(0);
