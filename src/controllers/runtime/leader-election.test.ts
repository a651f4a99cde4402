import { afterEach, describe, expect, it } from "vitest";
import type { Lease, LeaseSpec } from "../../api/index.js";
import { StatusError } from "../../api/status.js";
import { NetworkError, type Transport, type TransportRequest } from "../../client/index.js";
import { FakeClock } from "./leader-election-clock.js";
import { fenceTransport } from "./leader-election-fence.js";
import type { LeaseLock } from "./leader-election-lock.js";
import { LeaderElector, NotLeaderError, type LeaderElectorOptions, type LeaderTerm } from "./leader-election.js";

/** One Lease with resourceVersions, shared by candidates; each candidate's link can be cut. */
class FakeLeaseStore {
  lease: Lease | undefined;
  private rv = 0;
  /** Candidates whose requests never answer (a partition, or a paused process). */
  readonly cut = new Set<string>();
  readonly writes: { who: string; spec: LeaseSpec }[] = [];

  lockFor(who: string): LeaseLock {
    const call = <T>(signal: AbortSignal, fn: () => T): Promise<T> =>
      new Promise<T>((resolve, reject) => {
        if (this.cut.has(who)) {
          signal.addEventListener("abort", () => reject(signal.reason), { once: true });
          return;
        }
        try {
          resolve(structuredClone(fn()));
        } catch (err) {
          reject(err);
        }
      });
    return {
      describe: "kube-system/test",
      get: (signal) => call(signal, () => this.lease),
      create: (spec, signal) =>
        call(signal, () => {
          if (this.lease) throw new StatusError(409, "AlreadyExists", "leases \"test\" already exists");
          return this.write(who, spec);
        }),
      update: (current, spec, signal) =>
        call(signal, () => {
          if (!this.lease || this.lease.metadata.resourceVersion !== current.metadata.resourceVersion) throw new StatusError(409, "Conflict", "the object has been modified");
          return this.write(who, spec);
        }),
    };
  }

  /** Another party (kubectl, a foreign elector) rewrites the Lease. */
  foreignWrite(spec: LeaseSpec): void {
    this.write("foreign", spec);
  }

  private write(who: string, spec: LeaseSpec): Lease {
    this.rv++;
    this.lease = { apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: { name: "test", namespace: "kube-system", resourceVersion: String(this.rv) }, spec: structuredClone(spec) };
    this.writes.push({ who, spec: structuredClone(spec) });
    return this.lease;
  }
}

let electors: LeaderElector[] = [];
afterEach(async () => {
  electors = [];
});

function candidate(store: FakeLeaseStore, clock: FakeClock, identity: string, extra: Partial<LeaderElectorOptions> = {}) {
  const events: string[] = [];
  const terms: LeaderTerm[] = [];
  const elector = new LeaderElector({
    lock: store.lockFor(identity),
    identity,
    clock,
    onStartedLeading: (t) => {
      terms.push(t);
      events.push("started");
    },
    onStoppedLeading: () => void events.push("stopped"),
    onNewLeader: (id) => events.push(`leader:${id}`),
    ...extra,
  });
  electors.push(elector);
  return { elector, events, terms };
}

describe("LeaderElector (client-go's algorithm on a fake Lease and clock)", () => {
  it("creates the Lease with upstream's defaults and renews it every retry period", async () => {
    const store = new FakeLeaseStore();
    const clock = new FakeClock();
    const a = candidate(store, clock, "a");
    a.elector.start();
    await clock.advance(0);
    expect(a.elector.isLeader()).toBe(true);
    expect(a.events).toEqual(["leader:a", "started"]);
    const spec = store.lease!.spec!;
    expect(spec).toMatchObject({ holderIdentity: "a", leaseDurationSeconds: 15, leaseTransitions: 0 });
    expect(spec.acquireTime).toBe(spec.renewTime);
    expect(spec.renewTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    await clock.advance(10_000);
    // One create, then a renewal every 2 s; acquireTime stays, renewTime moves.
    expect(store.writes.length).toBe(6);
    expect(store.lease!.spec!.acquireTime).toBe(spec.acquireTime);
    expect(store.lease!.spec!.renewTime).not.toBe(spec.renewTime);
    await a.elector.stop();
  });

  it("keeps a standby waiting while the leader renews, and takes over within the lease duration once it stops", async () => {
    const store = new FakeLeaseStore();
    const clock = new FakeClock();
    const a = candidate(store, clock, "a");
    const b = candidate(store, clock, "b");
    a.elector.start();
    await clock.advance(0);
    b.elector.start();
    await clock.advance(60_000);
    expect(a.elector.isLeader()).toBe(true);
    expect(b.elector.isLeader()).toBe(false);
    expect(b.elector.leader).toBe("a");
    expect(store.writes.every((w) => w.who === "a")).toBe(true);

    // a's link dies: its last renewal is the last write it makes.
    store.cut.add("a");
    const lastRenewal = clock.now();
    await clock.advance(9_000);
    expect(a.elector.isLeader()).toBe(true);
    await clock.advance(1_100);
    // Fenced at the renew deadline: the term's signal is aborted and guard() refuses.
    expect(a.elector.isLeader()).toBe(false);
    expect(a.terms[0].signal.aborted).toBe(true);
    expect(() => a.terms[0].guard()).toThrow(NotLeaderError);
    expect(a.events).toContain("stopped");
    expect(b.elector.isLeader()).toBe(false);

    // b takes over once the record has not changed for 15 s by its own clock (plus a jittered retry).
    let tookOver = -1;
    for (let t = 0; t < 30_000 && tookOver < 0; t += 100) {
      await clock.advance(100);
      if (b.elector.isLeader()) tookOver = clock.now();
    }
    expect(tookOver).toBeGreaterThan(lastRenewal + 15_000);
    // a's last renewal is at the cut (renewals every 2 s from t=0). b sees that record at its next
    // jittered poll (≤ 2 s × 2.2 later), then needs 15 s without change, then takes the Lease at the
    // poll after that (≤ 2 s × 2.2 again); the loop samples every 100 ms.
    expect(tookOver).toBeLessThanOrEqual(lastRenewal + 2_000 * 2.2 + 15_000 + 2_000 * 2.2 + 100);
    expect(store.lease!.spec).toMatchObject({ holderIdentity: "b", leaseTransitions: 1 });
    expect(b.events).toContain("started");
    store.cut.delete("a");
    await Promise.all([a.elector.stop(), b.elector.stop(), clock.advance(5_000)]);
  });

  it("never has two valid terms at once, whatever the timing of a partition", async () => {
    // Cut the leader off at many phases relative to its renewals and the standby's jittered polls.
    const cuts = [0, 700, 1_300, 1_999, 2_001, 5_555, ...Array.from({ length: 40 }, (_, i) => (i * 97) % 4_400)];
    for (const cutAfter of cuts) {
      const store = new FakeLeaseStore();
      const clock = new FakeClock();
      const a = candidate(store, clock, "a");
      const b = candidate(store, clock, "b");
      a.elector.start();
      await clock.advance(0);
      b.elector.start();
      await clock.advance(3_000 + cutAfter);
      store.cut.add("a");
      for (let t = 0; t < 40_000; t += 50) {
        await clock.advance(50);
        expect(a.elector.isLeader() && b.elector.isLeader(), `overlap at ${clock.now()} (cut after ${cutAfter})`).toBe(false);
      }
      expect(b.elector.isLeader()).toBe(true);
      store.cut.delete("a");
      await Promise.all([a.elector.stop(), b.elector.stop(), clock.advance(5_000)]);
    }
  });

  it("refuses writes as soon as a paused process runs again, before any timer fires", async () => {
    const store = new FakeLeaseStore();
    const clock = new FakeClock();
    const a = candidate(store, clock, "a");
    a.elector.start();
    await clock.advance(0);
    const term = a.terms[0];
    expect(() => term.guard()).not.toThrow();
    // Time passes without a single timer running (SIGSTOP, a long GC pause, a stalled event loop).
    (clock as unknown as { t: number }).t += 11_000;
    expect(term.valid()).toBe(false);
    expect(() => a.elector.guard()).toThrow(NotLeaderError);
    expect(a.elector.isLeader()).toBe(false);
    await Promise.all([a.elector.stop(), clock.advance(5_000)]);
  });

  it("lets exactly one of two simultaneous candidates win the create race", async () => {
    const store = new FakeLeaseStore();
    const clock = new FakeClock();
    const a = candidate(store, clock, "a");
    const b = candidate(store, clock, "b");
    a.elector.start();
    b.elector.start();
    await clock.advance(30_000);
    expect([a.elector.isLeader(), b.elector.isLeader()].filter(Boolean)).toHaveLength(1);
    expect(store.writes.filter((w) => w.spec.leaseTransitions === 0 && w.spec.acquireTime === w.spec.renewTime)).toHaveLength(1);
    await Promise.all([a.elector.stop(), b.elector.stop(), clock.advance(5_000)]);
  });

  it("ends the term when someone else writes the Lease (the optimistic renewal conflicts, the re-read shows the new holder)", async () => {
    const store = new FakeLeaseStore();
    const clock = new FakeClock();
    const a = candidate(store, clock, "a");
    a.elector.start();
    await clock.advance(0);
    store.foreignWrite({ holderIdentity: "intruder", leaseDurationSeconds: 15, leaseTransitions: 1, renewTime: "2026-01-01T00:00:01.000000Z", acquireTime: "2026-01-01T00:00:01.000000Z" });
    await clock.advance(2_100);
    expect(a.elector.isLeader()).toBe(false);
    expect(a.events).toEqual(["leader:a", "started", "leader:intruder", "stopped"]);
    // Still a candidate: it waits out the intruder's lease (it never renews) and leads again.
    await clock.advance(20_000);
    expect(a.elector.isLeader()).toBe(true);
    expect(store.lease!.spec!.leaseTransitions).toBe(2);
    expect(a.elector.termsWon).toBe(2);
    await Promise.all([a.elector.stop(), clock.advance(5_000)]);
  });

  it("releases the Lease on stop so a standby takes over at its next retry, not after 15 s", async () => {
    const store = new FakeLeaseStore();
    const clock = new FakeClock();
    const a = candidate(store, clock, "a");
    const b = candidate(store, clock, "b");
    a.elector.start();
    await clock.advance(0);
    b.elector.start();
    await clock.advance(4_000);
    const stopping = a.elector.stop();
    await clock.advance(0);
    await stopping;
    expect(store.lease!.spec!.holderIdentity).toBeUndefined();
    expect(store.lease!.spec!.leaseDurationSeconds).toBe(1);
    expect(store.lease!.spec!.leaseTransitions).toBe(0);
    // The order client-go demands: what the term ran is stopped before the Lease is given up.
    expect(a.events.at(-1)).toBe("stopped");
    await clock.advance(2_000 * 2.2 + 100);
    expect(b.elector.isLeader()).toBe(true);
    expect(store.lease!.spec).toMatchObject({ holderIdentity: "b", leaseTransitions: 1 });
    await Promise.all([b.elector.stop(), clock.advance(5_000)]);
  });

  it("resumes at once after a restart with the same identity, keeping acquireTime and transitions", async () => {
    const store = new FakeLeaseStore();
    const clock = new FakeClock();
    const first = candidate(store, clock, "a", { releaseOnStop: false });
    first.elector.start();
    await clock.advance(4_000);
    store.cut.add("a");
    await Promise.all([first.elector.stop(), clock.advance(12_000)]);
    store.cut.delete("a");
    const acquired = store.lease!.spec!.acquireTime;
    const again = candidate(store, clock, "a");
    again.elector.start();
    await clock.advance(0);
    expect(again.elector.isLeader()).toBe(true);
    expect(store.lease!.spec).toMatchObject({ holderIdentity: "a", leaseTransitions: 0, acquireTime: acquired });
    await Promise.all([again.elector.stop(), clock.advance(5_000)]);
  });

  it("refuses timings client-go refuses", () => {
    const lock = new FakeLeaseStore().lockFor("a");
    expect(() => new LeaderElector({ lock, identity: "a", leaseDurationMs: 10_000, renewDeadlineMs: 10_000 })).toThrow(/leaseDuration/);
    expect(() => new LeaderElector({ lock, identity: "a", renewDeadlineMs: 2_000, retryPeriodMs: 2_000 })).toThrow(/retryPeriod/);
    expect(() => new LeaderElector({ lock, identity: "" })).toThrow(/identity/);
  });
});

describe("fenceTransport", () => {
  function term(): { fence: { guard(): void; signal: AbortSignal }; end(): void; valid: boolean } {
    const ctl = new AbortController();
    const t = {
      valid: true,
      fence: {
        guard: () => {
          if (!t.valid) throw new NotLeaderError("not leading");
        },
        signal: ctl.signal,
      },
      end: () => {
        t.valid = false;
        ctl.abort(new NotLeaderError("term ended"));
      },
    };
    return t;
  }

  /** A server that answers GETs at once and holds writes until their signal aborts (or `release`). */
  function slowWrites() {
    const sent: TransportRequest[] = [];
    const transport: Transport = (req) => {
      sent.push(req);
      if (req.method === "GET") return Promise.resolve({ status: 200, headers: {}, body: (async function* () { yield Buffer.from("{}"); })() });
      return new Promise((_resolve, reject) => req.signal.addEventListener("abort", () => reject(req.signal.reason), { once: true }));
    };
    return { sent, transport };
  }

  const req = (method: TransportRequest["method"]): TransportRequest => ({ method, url: "https://x/api/v1/namespaces/a/configmaps", headers: {}, signal: new AbortController().signal });

  it("refuses a write outside the term before sending it, and lets reads through", async () => {
    const t = term();
    const server = slowWrites();
    const fenced = fenceTransport(server.transport, t.fence);
    t.end();
    await expect(fenced(req("POST"))).rejects.toBeInstanceOf(NotLeaderError);
    await expect(fenced(req("PUT"))).rejects.toBeInstanceOf(NotLeaderError);
    await expect(fenced(req("DELETE"))).rejects.toBeInstanceOf(NotLeaderError);
    expect(server.sent).toHaveLength(0);
    const res = await fenced(req("GET"));
    expect(res.status).toBe(200);
    expect(server.sent.map((r) => r.method)).toEqual(["GET"]);
  });

  it("cancels writes in flight when the term ends", async () => {
    const t = term();
    const server = slowWrites();
    const fenced = fenceTransport(server.transport, t.fence);
    const inFlight = fenced(req("PATCH"));
    const outcome = inFlight.then(() => "answered", (e: unknown) => e);
    await new Promise((r) => setImmediate(r));
    expect(server.sent).toHaveLength(1);
    t.end();
    const err = await outcome;
    expect(err).toBeInstanceOf(NotLeaderError);
    expect((err as NetworkError).retryable).toBe(false);
  });

  it("still honours the caller's own cancellation", async () => {
    const t = term();
    const server = slowWrites();
    const fenced = fenceTransport(server.transport, t.fence);
    const mine = new AbortController();
    const p = fenced({ ...req("POST"), signal: mine.signal });
    mine.abort(new Error("caller gave up"));
    await expect(p).rejects.toThrow("caller gave up");
  });
});
