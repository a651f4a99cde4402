import { describe, expect, it } from "vitest";
import { StoreError, type StoreEvent } from "../types.js";
import { WatchHub, type HistorySource } from "./watch-hub.js";

const ev = (revision: number, key = `/k/${revision}`): StoreEvent => ({
  type: "put",
  revision,
  created: true,
  kv: { key, value: new Uint8Array(0), createRevision: revision, modRevision: revision, lease: 0 },
});

/** A history of events 1..n under /k/, with a floor the test can move. */
class FakeSource implements HistorySource {
  floor = 0;
  reads = 0;
  constructor(public events: StoreEvent[]) {}
  currentRevision() {
    return this.events.length ? this.events[this.events.length - 1].revision : 0;
  }
  compactRevision() {
    return this.floor;
  }
  readHistory(prefix: string, after: number, upTo: number, limit: number) {
    this.reads++;
    return this.events.filter((e) => e.revision > after && e.revision <= upTo && e.kv.key.startsWith(prefix)).slice(0, limit);
  }
}

const turns = async (n = 20) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

function collect() {
  const got: number[] = [];
  const errors: StoreError[] = [];
  let batches = 0;
  return {
    got,
    errors,
    get batches() {
      return batches;
    },
    onEvents: (events: StoreEvent[]) => {
      batches++;
      got.push(...events.map((e) => e.revision));
    },
    onError: (err: StoreError) => errors.push(err),
  };
}

describe("WatchHub", () => {
  it("pages through history, then delivers live events, dropping duplicates", async () => {
    const source = new FakeSource(Array.from({ length: 25 }, (_, i) => ev(i + 1)));
    const hub = new WatchHub(source, { name: "t", bufferEvents: 100, historyPage: 10 });
    const c = collect();
    hub.watch({ prefix: "/k/", afterRevision: 3, ...c });
    // Published before the history is read: overlaps history (24, 25) and extends it (26).
    source.events.push(ev(26));
    hub.publish([ev(24), ev(25), ev(26)]);
    await turns();
    expect(c.got).toEqual(Array.from({ length: 23 }, (_, i) => i + 4));
    expect(source.reads).toBe(3); // 10 + 10 + 2 rows of the 22 in (3, 25]
    hub.publish([ev(26), ev(27)]);
    await turns();
    expect(c.got.slice(-1)).toEqual([27]);
    expect(c.got.filter((r) => r === 26)).toHaveLength(1);
    expect(c.errors).toEqual([]);
  });

  it("batches events published together into one delivery", async () => {
    const hub = new WatchHub(new FakeSource([]), { name: "t", bufferEvents: 100, historyPage: 10 });
    const c = collect();
    hub.watch({ prefix: "/", afterRevision: 0, ...c });
    await turns();
    hub.publish([ev(1), ev(2)]);
    hub.publish([ev(3)]);
    await turns();
    expect(c.got).toEqual([1, 2, 3]);
    expect(c.batches).toBe(1);
  });

  it("drops a watcher whose buffer overflows while it reads history, with Unavailable, and keeps the others", async () => {
    const hub = new WatchHub(new FakeSource([]), { name: "t", bufferEvents: 5, historyPage: 10 });
    const slow = collect();
    const narrow = collect();
    hub.watch({ prefix: "/k/", afterRevision: 0, ...slow });
    hub.watch({ prefix: "/other/", afterRevision: 0, ...narrow });
    hub.publish(Array.from({ length: 6 }, (_, i) => ev(i + 1)));
    await turns();
    expect(slow.errors.map((e) => e.code)).toEqual(["Unavailable"]);
    expect(slow.got).toEqual([]);
    expect(hub.size).toBe(1);
    hub.publish([ev(7, "/other/x")]);
    await turns();
    expect(narrow.got).toEqual([7]);
  });

  it("ends with Compacted when the floor passes the watcher while it reads history", async () => {
    const source = new FakeSource(Array.from({ length: 30 }, (_, i) => ev(i + 1)));
    const hub = new WatchHub(source, { name: "t", bufferEvents: 100, historyPage: 10 });
    const c = collect();
    hub.watch({
      prefix: "/k/",
      afterRevision: 0,
      onEvents: (events) => {
        c.onEvents(events);
        source.floor = 15; // compaction runs between two history pages
      },
      onError: c.onError,
    });
    await turns();
    expect(c.got).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    expect(c.errors[0]).toMatchObject({ code: "Compacted", compactRevision: 15 });
    expect(hub.size).toBe(0);
  });

  it("ends a watch whose consumer throws", async () => {
    const hub = new WatchHub(new FakeSource([]), { name: "t", bufferEvents: 100, historyPage: 10 });
    const errors: StoreError[] = [];
    let calls = 0;
    hub.watch({
      prefix: "/",
      afterRevision: 0,
      onEvents: () => {
        calls++;
        throw new Error("boom");
      },
      onError: (e) => errors.push(e),
    });
    await turns();
    hub.publish([ev(1)]);
    await turns();
    hub.publish([ev(2)]);
    await turns();
    expect(calls).toBe(1);
    expect(errors.map((e) => e.code)).toEqual(["Unavailable"]);
  });

  it("ends every watch on endAll and reports history read failures as Unavailable", async () => {
    const source = new FakeSource([ev(1)]);
    source.readHistory = () => {
      throw new Error("disk gone");
    };
    const hub = new WatchHub(source, { name: "t", bufferEvents: 100, historyPage: 10 });
    const failing = collect();
    hub.watch({ prefix: "/", afterRevision: 0, ...failing });
    await turns();
    expect(failing.errors[0]?.message).toMatch(/disk gone/);
    const live = collect();
    hub.watch({ prefix: "/", afterRevision: 1, ...live });
    hub.endAll(new StoreError("Unavailable", "closing"));
    await turns();
    expect(live.errors.map((e) => e.message)).toEqual(["closing"]);
  });

  it("never drops a live watcher for a large burst from one commit", async () => {
    const hub = new WatchHub(new FakeSource([]), { name: "t", bufferEvents: 5, historyPage: 10 });
    const c = collect();
    hub.watch({ prefix: "/", afterRevision: 0, ...c });
    await turns();
    hub.publish(Array.from({ length: 50 }, (_, i) => ev(i + 1)));
    await turns();
    expect(c.errors).toEqual([]);
    expect(c.got).toHaveLength(50);
  });
});
