/**
 * Runs scenarios one after another (never concurrently: each has the machine to itself), keeps
 * each one's figures even when it fails, and returns the whole run.
 */
import { measureSqliteLimit, type SqliteLimit } from "../limits/sqlite-limit.js";
import { loadAverage, machineInfo, type MachineInfo } from "./machine.js";
import { FigureSink, type ScenarioResult } from "./result.js";
import type { BenchOptions, Scenario, ScenarioContext } from "./scenario.js";

export interface BenchRun {
  startedAt: string;
  command: string;
  options: BenchOptions;
  machine: MachineInfo;
  durationMs: number;
  results: ScenarioResult[];
}

export async function runScenarios(scenarios: Scenario[], options: BenchOptions, o: { repo: string; command: string; log: (m: string) => void }): Promise<BenchRun> {
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  let limit: SqliteLimit | undefined;
  const results: ScenarioResult[] = [];
  for (const s of scenarios) {
    const ctx: ScenarioContext = {
      options,
      log: (m) => o.log(`[${s.name}] ${m}`),
      sqliteLimit: () => (limit ??= measureSqliteLimit(options.quick ? 2 : 5)),
    };
    const sink = new FigureSink();
    const st = performance.now();
    o.log(`[${s.name}] ${s.title}`);
    const result: ScenarioResult = { name: s.name, title: s.title, figures: sink.figures, durationMs: 0 };
    const loadAtStart = loadAverage();
    try {
      const r = await s.run(ctx, sink);
      if (r && "unavailable" in r) result.unavailable = r.unavailable;
    } catch (err) {
      result.error = (err as Error).message.split("\n").slice(0, 6).join(" | ");
      o.log(`[${s.name}] FAILED: ${(err as Error).stack ?? err}`);
    }
    result.durationMs = Math.round(performance.now() - st);
    result.loadAverage = { start: loadAtStart, end: loadAverage() };
    o.log(`[${s.name}] done in ${(result.durationMs / 1000).toFixed(1)} s`);
    results.push(result);
  }
  return { startedAt, command: o.command, options, machine: machineInfo(o.repo), durationMs: Math.round(performance.now() - t0), results };
}
