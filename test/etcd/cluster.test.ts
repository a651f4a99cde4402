/**
 * The etcd backend on a real three-member cluster: a watch resumes across a leader change with
 * no gap and no duplicate, writes succeed with one member down, and a second client (on another
 * member) sees the same revisions and compare-and-swap outcomes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EtcdBackend, isStoreError, type Backend, type StoreEvent } from "../../src/store/index.js";
import { eventually, startEtcdCluster, type EtcdTestCluster } from "./support.js";

const bytes = (s: string) => new TextEncoder().encode(s);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let cluster: EtcdTestCluster;
const opened: Backend[] = [];

beforeAll(async () => {
  cluster = await startEtcdCluster(3);
});
afterAll(async () => {
  for (const b of opened) await b.close();
  await cluster?.stop();
});

async function open(prefix: string, endpoints = cluster.endpoints): Promise<EtcdBackend> {
  const b = await EtcdBackend.open({ endpoints, prefix });
  opened.push(b);
  return b;
}

/** Creates keys one after another until stopped, riding out failures whose outcome is unknown. */
function startWriter(b: Backend, dir: string) {
  const state = { acked: [] as number[], unknownOutcomes: 0, stop: false, done: Promise.resolve() };
  state.done = (async () => {
    for (let i = 0; !state.stop; i++) {
      const key = `${dir}${String(i).padStart(6, "0")}`;
      for (;;) {
        try {
          state.acked.push((await b.create(key, bytes(`v${i}`))).modRevision);
          break;
        } catch (err) {
          // A retried create whose first attempt did apply: that write is committed.
          if (isStoreError(err, "KeyExists") && err.current) {
            state.acked.push(err.current.modRevision);
            break;
          }
          if (!isStoreError(err, "Unavailable")) throw err;
          state.unknownOutcomes++;
          await sleep(50);
        }
      }
    }
  })();
  return state;
}

describe("etcd backend on three members", () => {
  it("a watch resumes across a leader change mid-stream: every revision once, in order", async () => {
    const writerBackend = await open("/lc");
    const watcherBackend = await open("/lc");
    const start = await writerBackend.currentRevision();
    const seen: StoreEvent[] = [];
    const errors: unknown[] = [];
    const handle = watcherBackend.watch({ prefix: "/keys/", afterRevision: start, onEvents: (evs) => seen.push(...evs), onError: (e) => errors.push(e) });

    const writer = startWriter(writerBackend, "/keys/");
    await eventually("30 writes", () => writer.acked.length >= 30);

    // Make the member that serves this watch the leader, so stopping the leader breaks the stream.
    let watchMember = -1;
    await eventually("the watch to be served by a member", async () => {
      for (let i = 0; i < 3; i++) if ((await cluster.watchersOn(i)) === 1) watchMember = i;
      return watchMember >= 0;
    });
    await cluster.moveLeaderTo(watchMember);
    expect(await cluster.leaderIndex()).toBe(watchMember);
    const beforeStop = writer.acked.length;
    await eventually("more writes", () => writer.acked.length >= beforeStop + 20);

    await cluster.stopMember(watchMember);
    const afterStop = writer.acked.length;
    await eventually("writes with the old leader down", () => writer.acked.length >= afterStop + 40, 60_000);
    const newLeader = await cluster.leaderIndex();
    expect(newLeader).not.toBe(watchMember);
    // The watch now lives on another member.
    await eventually("the watch to move", async () => {
      for (let i = 0; i < 3; i++) if (i !== watchMember && (await cluster.watchersOn(i)) === 1) return true;
      return false;
    });

    await cluster.startMember(watchMember);
    const afterRestart = writer.acked.length;
    await eventually("writes after the restart", () => writer.acked.length >= afterRestart + 20);
    writer.stop = true;
    await writer.done;

    // Every key was created once, so the complete event history is each key's create revision.
    const all = await writerBackend.list({ prefix: "/keys/" });
    const expected = all.items.map((kv) => kv.modRevision).sort((a, b) => a - b);
    await eventually("the watch to catch up", () => seen.length >= expected.length);
    await sleep(200);
    handle.cancel();

    expect(errors).toEqual([]);
    const revisions = seen.map((e) => e.revision);
    expect(revisions).toEqual(expected);
    for (let i = 1; i < revisions.length; i++) expect(revisions[i]).toBeGreaterThan(revisions[i - 1]);
    expect(new Set(writer.acked).size).toBe(writer.acked.length);
    for (const rev of writer.acked) expect(revisions).toContain(rev);
    expect(seen.every((e) => e.type === "put" && e.created)).toBe(true);
  });

  it("writes succeed while one member is down, and the member catches up when it returns", async () => {
    const b = await open("/quorum");
    const down = await cluster.leaderIndex();
    await cluster.stopMember(down);
    await eventually("a new leader", async () => (await cluster.leaderIndex().catch(() => down)) !== down);

    const revs: number[] = [];
    for (let i = 0; i < 20; i++) revs.push((await b.create(`/k/${i}`, bytes(`${i}`))).modRevision);
    const updated = await b.update("/k/0", bytes("again"), revs[0]);
    expect(updated.modRevision).toBeGreaterThan(revs[19]);
    expect((await b.count("/k/")).count).toBe(20);

    await cluster.startMember(down);
    // A client of the returning member alone reads what was written while it was away.
    const onlyReturned = await open("/quorum", [cluster.endpoints[down]]);
    const listed = await onlyReturned.list({ prefix: "/k/" });
    expect(listed.items).toHaveLength(20);
    expect(listed.items.find((kv) => kv.key === "/k/0")?.modRevision).toBe(updated.modRevision);
    expect(listed.items.filter((kv) => kv.key !== "/k/0").map((kv) => kv.modRevision).sort((x, y) => x - y)).toEqual(revs.slice(1));
  });

  it("a second client on another member sees the same revisions, history and CAS outcomes", async () => {
    const a = await open("/two", [cluster.endpoints[0]]);
    const b = await open("/two", [cluster.endpoints[2]]);
    const start = await a.currentRevision();
    const created = await a.create("/obj", bytes("1"));
    const fromB = await b.get("/obj");
    expect(fromB.kv).toMatchObject({ key: "/obj", modRevision: created.modRevision, createRevision: created.modRevision });
    expect(fromB.revision).toBeGreaterThanOrEqual(created.modRevision);

    // B wins a CAS with A's revision; A's stale update then conflicts and sees B's write.
    const byB = await b.update("/obj", bytes("2"), created.modRevision);
    const stale = await a.update("/obj", bytes("x"), created.modRevision).catch((e) => e);
    expect(isStoreError(stale, "Conflict")).toBe(true);
    expect(stale.current).toMatchObject({ modRevision: byB.modRevision });
    const deleted = await a.delete("/obj", byB.modRevision);

    // Both clients replay the same history from the same revision.
    const replay = (c: Backend) =>
      new Promise<number[]>((resolve, reject) => {
        const got: number[] = [];
        const h = c.watch({
          prefix: "/",
          afterRevision: start,
          onEvents: (evs) => {
            got.push(...evs.map((e) => e.revision));
            if (got.length >= 3) {
              h.cancel();
              resolve(got);
            }
          },
          onError: reject,
        });
      });
    const [ra, rb] = await Promise.all([replay(a), replay(b)]);
    expect(ra).toEqual([created.modRevision, byB.modRevision, deleted.modRevision]);
    expect(rb).toEqual(ra);
    expect((await b.list({ prefix: "/", revision: byB.modRevision })).items.map((kv) => kv.modRevision)).toEqual([byB.modRevision]);
  });
});
