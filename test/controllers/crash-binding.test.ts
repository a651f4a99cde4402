/**
 * Binding holds under crashes: 2,000 claims are bound while the controller process is killed
 * with SIGKILL at random moments and made to exit at random writes (failpoints between the
 * binding's writes), then restarted. In the end every claim is Bound to exactly one volume,
 * every volume is bound to at most one claim, and both sides of every binding agree.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import type { PersistentVolume, PersistentVolumeClaim } from "../../src/controllers/index.js";
import { startTestCluster, type TestCluster } from "./support/cluster.js";
import { startControllersProcess, type ControllersProcess } from "./support/controllers-process.js";
import { R, api, eventually, pvObj, pvcObj } from "./support/objects.js";

const N = Number(process.env.CISTERN_CRASH_BINDS ?? 2000);
const NS = "crash";

let cluster: TestCluster;

beforeAll(async () => {
  cluster = await startTestCluster("sqlite://$DIR/state.db");
  await api(cluster.client, R.ns).create({ apiVersion: "v1", kind: "Namespace", metadata: { name: NS } });
});

afterAll(async () => {
  await cluster?.stop();
});

/** Run `fn` over items with at most `width` in flight, retrying transient failures. */
async function pool<T>(items: T[], width: number, fn: (t: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const item = items[next++];
        await fn(item);
      }
    }),
  );
}

function rand(min: number, max: number): number {
  return min + Math.floor(Math.random() * (max - min + 1));
}

it(`${N} binds survive kill -9 at random points`, async () => {
  const pvs = api<PersistentVolume>(cluster.client, R.pv);
  const pvcs = api<PersistentVolumeClaim>(cluster.client, R.pvc);
  // A mix of the ways a binding starts: free volumes, volumes pre-bound by name, claims naming a volume.
  // A claim that names its volume gets a class of its own for it, so no free claim takes it first.
  const cls = (i: number) => (i % 4 === 2 ? "crash-named" : "crash");
  const volumes = Array.from({ length: N }, (_, i) => pvObj(`crash-${i}`, { cls: cls(i), claimRef: i % 4 === 1 ? { namespace: NS, name: `crash-${i}` } : undefined }));
  const claims = Array.from({ length: N }, (_, i) => pvcObj(NS, `crash-${i}`, { cls: cls(i), volumeName: i % 4 === 2 ? `crash-${i}` : undefined }));
  const creating = (async () => {
    const ignoreExists = (e: unknown) => {
      if ((e as { reason?: string }).reason !== "AlreadyExists") throw e;
    };
    await pool(
      volumes.map((v, i) => [v, claims[i]] as const),
      32,
      async ([v, c]) => {
        await pvs.create(v).catch(ignoreExists);
        await pvcs.create(c).catch(ignoreExists);
      },
    );
  })();

  let proc: ControllersProcess | undefined;
  let crashes = 0;
  let failpointExits = 0;
  const deadline = Date.now() + 240_000;
  // Crash loop: alternate SIGKILL after a random delay with an exit at a random write.
  for (let round = 0; round < 10; round++) {
    const viaFailpoint = round % 3 === 2;
    proc = await startControllersProcess(cluster.kubeconfig, { workers: 16, failpoints: viaFailpoint ? `pv-binder/after-write=${rand(5, 200)}*exit` : undefined });
    if (viaFailpoint) {
      const code = await Promise.race([proc.exited, new Promise<"alive">((r) => setTimeout(() => r("alive"), 4_000))]);
      if (code === "alive") await proc.kill9();
      else failpointExits++;
    } else {
      await new Promise((r) => setTimeout(r, rand(150, 1500)));
      await proc.kill9();
    }
    crashes++;
    expect(Date.now()).toBeLessThan(deadline);
  }
  await creating;
  proc = await startControllersProcess(cluster.kubeconfig, { workers: 16 });
  try {
    await eventually(async () => {
      const items = (await pvcs.listAll(NS)).items;
      return items.length === N && items.every((c) => c.status?.phase === "Bound") ? true : undefined;
    }, `all ${N} claims Bound`, 180_000);
    // Let any rollback of a lost race finish: the volume side settles after the claims.
    await eventually(async () => {
      const vols = (await pvs.listAll()).items.filter((v) => v.metadata.name?.startsWith("crash-"));
      return vols.every((v) => v.status?.phase === "Bound") ? true : undefined;
    }, "all volumes Bound", 60_000);
  } catch (err) {
    const items = (await pvcs.listAll(NS)).items;
    const vols = (await pvs.listAll()).items.filter((v) => v.metadata.name?.startsWith("crash-"));
    const phases = (xs: { status?: { phase?: string } }[]) => xs.reduce<Record<string, number>>((m, x) => ((m[x.status?.phase ?? "?"] = (m[x.status?.phase ?? "?"] ?? 0) + 1), m), {});
    const stuck = items.filter((c) => c.status?.phase !== "Bound").slice(0, 3);
    console.log("claims", items.length, phases(items), "volumes", phases(vols));
    for (const c of stuck) console.log(JSON.stringify({ claim: c.metadata, spec: c.spec, status: c.status, volume: vols.find((v) => v.metadata.name === c.spec.volumeName || v.spec.claimRef?.name === c.metadata.name) }));
    console.log(proc.output().slice(-5000));
    throw err;
  } finally {
    await proc.stop();
  }

  const claimList = (await pvcs.listAll(NS)).items;
  const volumeList = (await pvs.listAll()).items.filter((v) => v.metadata.name?.startsWith("crash-"));
  const byName = new Map(volumeList.map((v) => [v.metadata.name, v]));
  const claimByUid = new Map(claimList.map((c) => [c.metadata.uid, c]));
  expect(claimList).toHaveLength(N);
  expect(new Set(claimList.map((c) => c.spec.volumeName)).size).toBe(N);
  for (const c of claimList) {
    expect(c.metadata.annotations?.["pv.kubernetes.io/bind-completed"]).toBe("yes");
    const pv = byName.get(c.spec.volumeName);
    expect(pv, `volume of ${c.metadata.name}`).toBeDefined();
    expect(pv?.spec.claimRef?.uid).toBe(c.metadata.uid);
  }
  for (const v of volumeList) {
    const owner = claimByUid.get(v.spec.claimRef?.uid);
    expect(owner?.spec.volumeName, `claim of ${v.metadata.name}`).toBe(v.metadata.name);
  }
  // Pre-bindings were honoured.
  for (let i = 1; i < N; i += 4) expect(claimList.find((c) => c.metadata.name === `crash-${i}`)?.spec.volumeName).toBe(`crash-${i}`);
  for (let i = 2; i < N; i += 4) expect(claimList.find((c) => c.metadata.name === `crash-${i}`)?.spec.volumeName).toBe(`crash-${i}`);
  expect(crashes).toBe(10);
  console.log(`crash test: ${crashes} crashes (${failpointExits} at a failpoint between binding writes)`);
}, 600_000);
