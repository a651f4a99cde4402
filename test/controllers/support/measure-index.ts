/**
 * Manual measurement (not a test): the binder's volume index with N volumes — build time, and
 * N claims matched and reserved one after another (each taking its volume out of the pool), as
 * the binder does when N claims meet N volumes.
 *   node --import tsx test/controllers/support/measure-index.ts [N]
 */
import { VolumeIndex } from "../../../src/controllers/index.js";
import { pvObj, pvcObj } from "./objects.js";

const N = Number(process.argv[2] ?? 100_000);
const sizes = ["1Gi", "2Gi", "5Gi", "10Gi", "20Gi"];
const volumes = Array.from({ length: N }, (_, i) => {
  const v = pvObj(`v-${i}`, { size: sizes[i % sizes.length], modes: i % 3 === 0 ? ["ReadWriteOnce"] : ["ReadWriteMany"] });
  v.status = { phase: "Available" };
  return v;
});
const claims = Array.from({ length: N }, (_, i) => {
  const c = pvcObj("ns", `c-${i}`, { size: sizes[(i + 2) % sizes.length], modes: i % 3 === 0 ? ["ReadWriteOnce"] : ["ReadWriteMany"] });
  c.metadata.uid = `u-${i}`;
  return c;
});
let t0 = performance.now();
const index = new VolumeIndex();
for (const v of volumes) index.upsert(v);
console.log(`index ${N} volumes: ${(performance.now() - t0).toFixed(0)} ms`);
t0 = performance.now();
let matched = 0;
for (const c of claims) {
  const pv = index.findBestMatchForClaim(c, false);
  if (!pv) continue;
  matched++;
  // What a successful bind does to the index: the volume leaves the pool.
  index.upsert({ ...pv, spec: { ...pv.spec, claimRef: { namespace: "ns", name: c.metadata.name, uid: c.metadata.uid } }, status: { phase: "Bound" } });
}
const ms = performance.now() - t0;
console.log(`match+bind ${N} claims: ${ms.toFixed(0)} ms (${((ms * 1000) / N).toFixed(1)} µs per claim), ${matched} matched`);
