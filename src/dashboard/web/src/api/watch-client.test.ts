import { describe, it, expect, afterEach, vi } from "vitest";
import { watchResource, type WatchStatus } from "./watch-client.js";
import type { WatchEventLike } from "../../../model/cluster-state.js";

/** A scripted API server: each call to fetch takes the next answer for its kind of request. */
function scriptedFetch(answers: { list: (() => Response)[]; watch: (() => Response)[] }) {
  const calls: string[] = [];
  const fetchMock = vi.fn(async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input);
    calls.push(url);
    expect(new Headers(init?.headers).get("Authorization")).toBe("Bearer t0ken");
    const next = (url.includes("watch=1") ? answers.watch : answers.list).shift();
    if (!next) return new Promise<Response>((_, reject) => init?.signal?.addEventListener("abort", () => reject(new Error("aborted"))));
    return next();
  });
  vi.stubGlobal("fetch", fetchMock);
  return calls;
}

const json = (body: unknown, status = 200) => () => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
const stream = (...chunks: string[]) => () =>
  new Response(new ReadableStream({
    start(c) {
      for (const chunk of chunks) c.enqueue(new TextEncoder().encode(chunk));
      c.close();
    },
  }));
const pv = (name: string, rv: string, phase = "Bound") => ({ kind: "PersistentVolume", metadata: { name, resourceVersion: rv }, status: { phase } });

function collect() {
  const seen: { lists: unknown[][]; events: WatchEventLike[]; statuses: WatchStatus[]; unauthorized: number } = { lists: [], events: [], statuses: [], unauthorized: 0 };
  return {
    seen,
    handlers: {
      onList: (items: unknown[]) => seen.lists.push(items),
      onEvents: (events: WatchEventLike[]) => seen.events.push(...events),
      onStatus: (s: WatchStatus) => seen.statuses.push(s),
      onUnauthorized: () => seen.unauthorized++,
    },
  };
}

async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 1));
}

afterEach(() => vi.unstubAllGlobals());

describe("watchResource", () => {
  it("lists, then watches from the list's version and re-watches from the last version seen", async () => {
    const modified = `${JSON.stringify({ type: "MODIFIED", object: pv("a", "11", "Released") })}\n`;
    const calls = scriptedFetch({
      list: [json({ metadata: { resourceVersion: "10" }, items: [pv("a", "9")] })],
      watch: [
        // One event cut across two chunks, then a bookmark that only moves the version.
        stream(modified.slice(0, 30), `${modified.slice(30)}{"type":"BOOKMARK","object":{"kind":"PersistentVolume","metadata":{"resourceVersion":"15"}}}\n`),
        stream(`{"type":"DELETED","object":${JSON.stringify(pv("a", "16"))}}\n`),
      ],
    });
    const { seen, handlers } = collect();
    const stop = watchResource("t0ken", "/api/v1/persistentvolumes", handlers);
    await until(() => seen.events.length === 2 && calls.length === 4);
    stop();
    expect(seen.lists).toEqual([[pv("a", "9")]]);
    expect(seen.events.map((e) => [e.type, (e.object as { status: { phase: string } }).status.phase])).toEqual([["MODIFIED", "Released"], ["DELETED", "Bound"]]);
    const watchFrom = calls.filter((c) => c.includes("watch=1")).map((c) => new URL(c, "https://x").searchParams.get("resourceVersion"));
    expect(watchFrom).toEqual(["10", "15", "16"]);
    expect(new URL(calls[1], "https://x").searchParams.get("allowWatchBookmarks")).toBe("true");
    expect(seen.statuses.slice(0, 2)).toEqual(["listing", "live"]);
  });

  it("lists again when the watch answers 410 Gone or streams an Expired error", async () => {
    const calls = scriptedFetch({
      list: [json({ metadata: { resourceVersion: "5" }, items: [] }), json({ metadata: { resourceVersion: "50" }, items: [pv("b", "49")] }), json({ metadata: { resourceVersion: "60" }, items: [] })],
      watch: [json({ kind: "Status", code: 410 }, 410), stream(`{"type":"ERROR","object":{"kind":"Status","code":410,"reason":"Expired"}}\n`)],
    });
    const { seen, handlers } = collect();
    const stop = watchResource("t0ken", "/api/v1/persistentvolumes", handlers);
    await until(() => seen.lists.length === 3);
    stop();
    expect(seen.lists[1]).toEqual([pv("b", "49")]);
    expect(calls.filter((c) => !c.includes("watch=1"))).toHaveLength(3);
    expect(seen.statuses).not.toContain("retrying");
  });

  it("backs off and lists again after a failure, and stops for good on 401", async () => {
    scriptedFetch({
      list: [json({ message: "boom" }, 500), json({ message: "no" }, 401)],
      watch: [],
    });
    const { seen, handlers } = collect();
    vi.useFakeTimers({ toFake: ["setTimeout"] });
    try {
      watchResource("t0ken", "/api/v1/pods", handlers);
      await vi.waitFor(() => expect(seen.statuses).toContain("retrying"));
      await vi.advanceTimersByTimeAsync(1000);
      await vi.waitFor(() => expect(seen.unauthorized).toBe(1));
    } finally {
      vi.useRealTimers();
    }
    expect(seen.lists).toEqual([]);
  });
});
