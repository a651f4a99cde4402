/**
 * API server reads and watch: GET of one PV, LIST of 10,000 PVs, one event fanned out to 1,000
 * watchers, and the server's RSS holding 100,000 objects (`cistern apiserver` alone on SQLite,
 * so the RSS is the API server's own) — as the OS sees it after the load settles (V8 keeps
 * garbage until its next major GC), and after a full GC asked for through the inspector.
 */
import { closedLoop, sleep } from "../core/load.js";
import { latencyFigure, valueFigure, type FigureSink } from "../core/result.js";
import type { Scenario, ScenarioContext } from "../core/scenario.js";
import type { ApiClient } from "../harness/api-client.js";
import { startApiServerProcess } from "../harness/cistern-process.js";
import { claim, namespace, paths, staticPv } from "../harness/objects.js";
import { collectGarbage } from "../harness/inspector.js";
import { measureFanOut } from "./watch-fanout.js";

const MB = 1e6;

async function createPvs(client: ApiClient, from: number, to: number): Promise<number> {
  const r = await closedLoop(to - from, 64, (i) => client.expect("POST", paths.pvs, staticPv(`pv-${from + i}`, { storageClassName: "bench" })));
  return r.perSecond;
}

export const apiScenario: Scenario = {
  name: "api",
  title: "API server: GET, LIST, watch fan-out, RSS",
  async run(ctx: ScenarioContext, sink: FigureSink) {
    const q = ctx.options.quick;
    // The inspector (on a free port, idle unless asked) lets the bench ask for a full GC at the end.
    const api = await startApiServerProcess({ tag: "api", nodeFlags: ["--inspect=127.0.0.1:0"] });
    try {
      const client = api.client(64);
      const rate = await createPvs(client, 0, 10_000);
      ctx.log(`10,000 PVs created (${Math.round(rate)}/s)`);

      const gets = await closedLoop(q ? 2000 : 10_000, 1, (i) => client.expect("GET", paths.pv(`pv-${(i * 7919) % 10_000}`)));
      sink.add(latencyFigure("api.get", "GET one PV (10,000 stored), 1 in flight", gets.latencies, { value: gets.perSecond }));

      // Timed to the last byte of the response; the bench parses it afterwards, outside the clock, to check it.
      const bodies: Buffer[] = [];
      const lists = await closedLoop(q ? 5 : 20, 1, async () => void bodies.push(await client.requestBytes("GET", paths.pvs)));
      for (const b of bodies.splice(0)) {
        const n = (JSON.parse(b.toString("utf8")) as { items: unknown[] }).items.length;
        if (n !== 10_000) throw new Error(`LIST returned ${n} PVs, want 10000`);
      }
      sink.add(latencyFigure("api.list10k", "LIST of 10,000 PVs (one JSON response, to its last byte)", lists.latencies));
      ctx.log(`GET p99 ${sink.figures.at(-2)!.p99} ms, LIST 10k p99 ${sink.figures.at(-1)!.p99} ms`);

      await client.expect("POST", paths.namespaces, namespace("fanout"));
      const fan = await measureFanOut(client, { watchers: 1000, events: q ? 20 : 50, namespace: "fanout" });
      sink.add(latencyFigure("api.watch.fanout.all", "write sent → event at all 1,000 watchers (per event)", fan.allWatchers, { note: `${fan.events} events, each a durable ConfigMap update` }));
      sink.add(latencyFigure("api.watch.fanout.each", "write sent → event at one watcher (each of 1,000)", fan.perWatcher));
      ctx.log(`fan-out to 1,000 watchers p99 ${sink.figures.at(-2)!.p99} ms`);

      // Hold 100,000 objects: 10,000 PVs so far, then PVs and claims (the kinds a storage cluster keeps).
      const total = q ? 20_000 : 100_000;
      const more = (total - 10_000) / 2;
      await client.expect("POST", paths.namespaces, namespace("held"));
      await createPvs(client, 10_000, 10_000 + more);
      await closedLoop(more, 64, (i) => client.expect("POST", paths.pvcs("held"), claim("held", `c-${i}`, { storageClassName: "bench" })));
      await sleep(3000); // let the heap settle after the load
      const rss = api.proc.rssBytes() / MB;
      const label = `API server RSS holding ${total.toLocaleString("en-US")} objects`;
      sink.add(valueFigure(total === 100_000 ? "api.rss.100k" : `api.rss.${total / 1000}k`, label, "MB", rss, undefined, `peak ${Math.round(api.proc.peakRssBytes() / MB)} MB during the load`));
      await collectGarbage(api.proc);
      await sleep(500);
      sink.add(valueFigure(total === 100_000 ? "api.rss.100k.afterGc" : `api.rss.${total / 1000}k.afterGc`, `${label}, after a full GC (live set + SQLite page cache)`, "MB", api.proc.rssBytes() / MB));
      const listHeld = await closedLoop(q ? 3 : 10, 1, () => client.expect("GET", paths.pvs + "?limit=500"));
      sink.add(latencyFigure("api.list.page", `first page of 500 PVs of ${(10_000 + more).toLocaleString("en-US")}`, listHeld.latencies));
      ctx.log(`${label}: ${Math.round(rss)} MB`);
    } finally {
      await api.stop();
    }
  },
};
