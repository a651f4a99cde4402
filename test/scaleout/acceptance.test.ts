/**
 * Scale-out acceptance: a three-member etcd, two `cistern apiserver` processes, two leader-elected
 * `cistern controllers` processes. PV/PVC pairs (2,000; CISTERN_SCALEOUT_PAIRS to change) are
 * created through alternating API servers in four waves while the leading controller process is
 * SIGKILLed twice (a fresh standby started each time) and the etcd leader is stopped and restarted.
 * Then:
 *   - every claim is Bound to exactly one PV and no PV is bound twice (claimRef UIDs match);
 *   - every acknowledged create is present with the UID it was acknowledged with;
 *   - watches opened at the start (one per API server, resumed from their last resourceVersion on
 *     errors, never re-listed) saw every event of every key exactly once, as the store's own
 *     history (read from etcd) has them: no gap, no duplicate;
 *   - the controllers' writes (from the API servers' audit log) come from one process at a time.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Lease } from "../../src/api/index.js";
import { isAlreadyExists, type KubeClient, type ResourceRef } from "../../src/client/index.js";
import type { PersistentVolume, PersistentVolumeClaim } from "../../src/controllers/index.js";
import { LEASE_RESOURCE } from "../../src/controllers/runtime/index.js";
import { pvObj, pvcObj } from "../controllers/support/objects.js";
import type { CliProcess } from "./support/cli-process.js";
import { eventually, startScaleoutCluster, type ScaleoutCluster } from "./support/scaleout-cluster.js";
import { storeHistory } from "./support/store-history.js";
import { recordWatch, type WatchRecorder } from "./support/watch-recorder.js";

const PAIRS = Number(process.env.CISTERN_SCALEOUT_PAIRS ?? 2000);
const NS = "scaleout";
const PV: ResourceRef = { group: "", version: "v1", kind: "PersistentVolume", plural: "persistentvolumes", namespaced: false };
const PVC: ResourceRef = { group: "", version: "v1", kind: "PersistentVolumeClaim", plural: "persistentvolumeclaims", namespaced: true };
const NSREF: ResourceRef = { group: "", version: "v1", kind: "Namespace", plural: "namespaces", namespaced: false };

let c: ScaleoutCluster;

beforeAll(async () => {
  c = await startScaleoutCluster({ members: 3, apiservers: 2 });
}, 180_000);

afterAll(async () => {
  await c?.stop();
}, 120_000);

const log = (msg: string) => process.stdout.write(`[scaleout ${new Date().toISOString().slice(11, 23)}] ${msg}\n`);

/** Create `obj` until the server answers; true when the answer acknowledged our create. */
async function createUntilAnswered<T extends PersistentVolume | PersistentVolumeClaim>(client: KubeClient, ref: ResourceRef, obj: T, acked: Map<string, string>, key: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      const made = await client.resource<T>(ref).create(obj);
      acked.set(key, made.metadata.uid!);
      return;
    } catch (err) {
      // A retry that finds it: an earlier attempt got through without our hearing of it (not acknowledged).
      if (attempt > 0 && isAlreadyExists(err)) return;
      if (attempt > 100) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

async function pool<T>(items: T[], width: number, fn: (t: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  }));
}

it(`binds ${PAIRS} pairs across two API servers and a changing leader while etcd loses a member`, async () => {
  const [a, b] = [c.clientOf(0, "scaleout-creator"), c.clientOf(1, "scaleout-creator")];
  const observer = c.client("scaleout-observer");
  await a.resource(NSREF).create({ apiVersion: "v1", kind: "Namespace", metadata: { name: NS } });

  let next = 1;
  const byIdentity = new Map<string, CliProcess>();
  const spawnControllers = async () => {
    const id = `ctl-${next++}`;
    byIdentity.set(id, await c.startControllers(id));
    return id;
  };
  await Promise.all([spawnControllers(), spawnControllers()]);
  const holder = async () => (await observer.resource<Lease>(LEASE_RESOURCE).get("kube-system", "cistern-controllers")).spec?.holderIdentity ?? "";
  const leaderAlive = async () => {
    const h = await holder();
    return byIdentity.get(h)?.alive() ? h : undefined;
  };
  const firstLeader = await eventually(leaderAlive, "a controllers process leads", 60_000, 200);
  log(`controllers ${[...byIdentity.keys()].join(", ")} running; ${firstLeader} leads`);

  // Watches from the start, one through each API server.
  const startRv = (await observer.resource(PVC).list(NS, { limit: 1 })).metadata.resourceVersion!;
  const recorders: Record<string, WatchRecorder> = {
    pv: recordWatch(c.clientOf(0, "scaleout-watch"), PV, undefined, startRv),
    pvc: recordWatch(c.clientOf(1, "scaleout-watch"), PVC, NS, startRv),
  };

  const ackedPv = new Map<string, string>();
  const ackedPvc = new Map<string, string>();
  const createWave = async (from: number, to: number) => {
    const idx = Array.from({ length: to - from }, (_, i) => from + i);
    await pool(idx, 32, async (i) => {
      const via = i % 2 ? b : a;
      await createUntilAnswered(via, PV, pvObj(`so-${i}`, { cls: "scaleout" }), ackedPv, `so-${i}`);
      await createUntilAnswered(i % 3 ? a : b, PVC, pvcObj(NS, `so-${i}`, { cls: "scaleout" }), ackedPvc, `${NS}/so-${i}`);
    });
    log(`created pairs ${from}..${to - 1}`);
  };
  const bound = async () => (await observer.resource<PersistentVolumeClaim>(PVC).listAll(NS)).items.filter((x) => x.status?.phase === "Bound").length;
  const killLeader = async (why: string) => {
    const leader = await eventually(leaderAlive, "a live leader", 60_000, 200);
    await byIdentity.get(leader)!.kill9();
    log(`SIGKILLed leader ${leader} (${why}; ${await bound()} claims Bound)`);
    const standby = await spawnControllers();
    const successor = await eventually(async () => {
      const h = await leaderAlive();
      return h && h !== leader ? h : undefined;
    }, "a new leader", 60_000, 200);
    log(`${successor} took over (standby ${standby} started)`);
  };

  const wave = Math.ceil(PAIRS / 4);
  // Wave 1, then the leader dies while it binds; wave 2 is created while nobody leads yet.
  await createWave(0, wave);
  await eventually(async () => ((await bound()) > wave / 10 ? true : undefined), "binding under way", 60_000, 100);
  const takeover1 = killLeader("binding wave 1");
  await createWave(wave, 2 * wave);
  await takeover1;
  // The etcd leader stops during wave 3 and comes back after it.
  const etcdLeader = await c.etcd.leaderIndex();
  const wave3 = createWave(2 * wave, 3 * wave);
  await new Promise((r) => setTimeout(r, 300));
  await c.etcd.stopMember(etcdLeader);
  log(`stopped etcd member ${etcdLeader} (the etcd leader)`);
  await wave3;
  await new Promise((r) => setTimeout(r, 2_000));
  await c.etcd.startMember(etcdLeader);
  log(`restarted etcd member ${etcdLeader}`);
  // The second kill hits the new leader mid-binding; wave 4 goes in meanwhile.
  const takeover2 = killLeader("binding waves 2-3");
  await createWave(3 * wave, PAIRS);
  await takeover2;

  try {
    await eventually(async () => ((await bound()) === PAIRS ? true : undefined), `all ${PAIRS} claims Bound`, 180_000, 500);
    await eventually(async () => {
      const vols = (await observer.resource<PersistentVolume>(PV).listAll()).items.filter((v) => v.metadata.name?.startsWith("so-"));
      return vols.length === PAIRS && vols.every((v) => v.status?.phase === "Bound") ? true : undefined;
    }, "all volumes Bound", 60_000, 500);
  } catch (err) {
    for (const [id, p] of byIdentity) if (p.alive()) log(`${id} output:\n${p.output().slice(-4000)}`);
    throw err;
  }
  log(`all ${PAIRS} pairs Bound`);

  // 1. Bindings: one volume per claim, one claim per volume, the UIDs agree.
  const claims = (await observer.resource<PersistentVolumeClaim>(PVC).listAll(NS)).items;
  const volumes = (await observer.resource<PersistentVolume>(PV).listAll()).items.filter((v) => v.metadata.name?.startsWith("so-"));
  expect(claims).toHaveLength(PAIRS);
  expect(volumes).toHaveLength(PAIRS);
  const volumeByName = new Map(volumes.map((v) => [v.metadata.name, v]));
  const claimByUid = new Map(claims.map((x) => [x.metadata.uid, x]));
  expect(new Set(claims.map((x) => x.spec.volumeName)).size).toBe(PAIRS);
  for (const claim of claims) {
    const pv = volumeByName.get(claim.spec.volumeName);
    expect(pv?.spec.claimRef?.uid, `volume of ${claim.metadata.name}`).toBe(claim.metadata.uid);
    expect(claim.metadata.annotations?.["pv.kubernetes.io/bind-completed"]).toBe("yes");
  }
  for (const pv of volumes) expect(claimByUid.get(pv.spec.claimRef?.uid)?.spec.volumeName, `claim of ${pv.metadata.name}`).toBe(pv.metadata.name);

  // 2. No acknowledged create lost: each is there with the UID it was acknowledged with.
  const pvcByKey = new Map(claims.map((x) => [`${x.metadata.namespace}/${x.metadata.name}`, x]));
  for (const [name, uid] of ackedPv) expect(volumeByName.get(name)?.metadata.uid, `acknowledged PV ${name}`).toBe(uid);
  for (const [key, uid] of ackedPvc) expect(pvcByKey.get(key)?.metadata.uid, `acknowledged PVC ${key}`).toBe(uid);
  log(`acknowledged creates: ${ackedPv.size} PVs, ${ackedPvc.size} PVCs (the rest answered only on a retry)`);

  // 3. The watches saw every event once: exactly the store's history, key by key.
  // Each watch has caught up once it has seen its resource's newest write.
  const finalRv = {
    pv: Math.max(...volumes.map((v) => Number(v.metadata.resourceVersion))),
    pvc: Math.max(...claims.map((x) => Number(x.metadata.resourceVersion))),
  };
  try {
    await eventually(() => (recorders.pv.lastRv() >= finalRv.pv && recorders.pvc.lastRv() >= finalRv.pvc ? true : undefined), "the watches caught up", 60_000, 200);
  } catch (err) {
    for (const [what, r] of Object.entries(recorders)) log(`${what} watch: at ${r.lastRv()} of ${finalRv[what as "pv" | "pvc"]}, ${r.resumes} resumes, errors ${JSON.stringify(r.errors)}, ${[...r.events.values()].reduce((n, l) => n + l.length, 0)} events`);
    throw err;
  }
  recorders.pv.stop();
  recorders.pvc.stop();
  const checkWatch = async (rec: WatchRecorder, prefix: string, what: string, keep: (key: string) => boolean) => {
    expect(rec.errors, `${what} watch errors`).toEqual([]);
    const history = await storeHistory(c.etcd.url, prefix, Number(startRv));
    const keys = [...history.keys()].filter(keep);
    expect(keys.length).toBe(PAIRS);
    let events = 0;
    for (const key of keys) {
      const want = history.get(key)!.map((h) => h.rv);
      const got = (rec.events.get(key) ?? []).map((e) => e.rv);
      events += got.length;
      expect(got, `${what} ${key}`).toEqual(want);
    }
    expect(rec.events.size).toBe(keys.length);
    log(`${what} watch: ${events} events over ${keys.length} keys, equal to the store's history (${rec.resumes} resumes)`);
  };
  await checkWatch(recorders.pv, "/registry/core/persistentvolumes/", "PV", (k) => k.startsWith("so-"));
  await checkWatch(recorders.pvc, `/registry/core/persistentvolumeclaims/`, "PVC", (k) => k.startsWith(`${NS}/`));

  // 4. One binder at a time: the controllers' PV/PVC writes, per process, in disjoint periods.
  const spans = new Map<string, { first: number; last: number; writes: number }>();
  for (const line of readFileSync(join(c.dataDir, "audit.log"), "utf8").split("\n")) {
    if (!line) continue;
    const e = JSON.parse(line) as { userAgent?: string; verb: string; objectRef?: { resource?: string }; responseStatus?: { code?: number }; requestReceivedTimestamp: string };
    const m = /^cistern-controllers\/0\.1 \((ctl-\d+)\)/.exec(e.userAgent ?? "");
    if (!m || !["persistentvolumes", "persistentvolumeclaims"].includes(e.objectRef?.resource ?? "") || (e.responseStatus?.code ?? 500) >= 300) continue;
    const t = Date.parse(e.requestReceivedTimestamp);
    const s = spans.get(m[1]) ?? { first: t, last: t, writes: 0 };
    s.first = Math.min(s.first, t);
    s.last = Math.max(s.last, t);
    s.writes++;
    spans.set(m[1], s);
  }
  const ordered = [...spans.entries()].sort((x, y) => x[1].first - y[1].first);
  log(`controllers' writes: ${ordered.map(([id, s]) => `${id} ${s.writes}`).join(", ")}`);
  expect(ordered.length).toBeGreaterThanOrEqual(3);
  for (let i = 1; i < ordered.length; i++) expect(ordered[i][1].first, `${ordered[i][0]} started writing after ${ordered[i - 1][0]} stopped`).toBeGreaterThan(ordered[i - 1][1].last);
}, 420_000);
