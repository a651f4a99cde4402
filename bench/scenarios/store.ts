/**
 * Store: raw SQLite durable commits (the limit) against durable creates through the API server
 * (HTTPS, admission, validation, one conditional store write, fsynced before the 201).
 *   - create latency with one request in flight (the latency a single user sees);
 *   - creates/s with 64 in flight (group commit batches them; may exceed the commit rate).
 */
import { closedLoop } from "../core/load.js";
import { latencyFigure, valueFigure, type FigureSink } from "../core/result.js";
import { summarize } from "../core/stats.js";
import type { Scenario, ScenarioContext } from "../core/scenario.js";
import { startApiServerProcess } from "../harness/cistern-process.js";
import { configMap, namespace, paths } from "../harness/objects.js";

export const storeScenario: Scenario = {
  name: "store",
  title: "Store: durable commits vs API creates",
  async run(ctx: ScenarioContext, sink: FigureSink) {
    const limit = ctx.sqliteLimit();
    const commitLimit = { label: "raw SQLite durable commits/s (WAL, synchronous=FULL, same disk)", value: limit.commitsPerSecond, unit: "/s" as const };
    const lc = summarize(limit.commitLatencies);
    sink.add(latencyFigure("store.sqlite.commit", "raw SQLite durable commit (1 row, 1 KiB)", limit.commitLatencies, { value: limit.commitsPerSecond, note: "the limit" }));
    sink.add(valueFigure("store.sqlite.batched", "raw SQLite rows/s, 100 rows per commit", "/s", limit.batchedRowsPerSecond, undefined, "ceiling for group commit"));
    ctx.log(`raw SQLite: ${Math.round(limit.commitsPerSecond)} commits/s (p99 ${lc.p99.toFixed(2)} ms), ${Math.round(limit.batchedRowsPerSecond)} rows/s batched`);

    const api = await startApiServerProcess({ tag: "store" });
    try {
      const client = api.client(64);
      await client.expect("POST", paths.namespaces, namespace("bench"));
      const data = { payload: "x".repeat(700) }; // ~1 KiB stored, like the raw SQLite rows
      const warm = ctx.options.quick ? 200 : 500;
      await closedLoop(warm, 8, (i) => client.expect("POST", paths.configMaps("bench"), configMap("bench", `warm-${i}`, data)));

      const serialN = ctx.options.quick ? 1000 : 3000;
      const serial = await closedLoop(serialN, 1, (i) => client.expect("POST", paths.configMaps("bench"), configMap("bench", `s-${i}`, data)));
      sink.add(latencyFigure("api.create.serial", "API durable create, 1 in flight", serial.latencies, { value: serial.perSecond, limit: { ...commitLimit } }));

      const burstN = ctx.options.quick ? 5000 : 20000;
      const cpu0 = api.cpuMs();
      const burst = await closedLoop(burstN, 64, (i) => client.expect("POST", paths.configMaps("bench"), configMap("bench", `b-${i}`, data)));
      sink.add(latencyFigure("api.create.concurrent", "API durable creates, 64 in flight", burst.latencies, { value: burst.perSecond, limit: { ...commitLimit } }));
      sink.add(valueFigure("api.create.cpu", "API server CPU per durable create (64 in flight)", "ms", (api.cpuMs() - cpu0) / burstN, undefined, "HTTPS, admission, validation, managed fields, store write, audit line"));
      ctx.log(`API creates: serial p99 ${summarize(serial.latencies).p99.toFixed(2)} ms; ${Math.round(burst.perSecond)}/s with 64 in flight`);
    } finally {
      await api.stop();
    }
  },
};
