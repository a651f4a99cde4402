/**
 * One crash scenario end to end: a fresh data directory, watch recorders, the workload running
 * against whichever incarnation is up, the kill schedule, a settle phase on the last incarnation,
 * then every checker. The report carries the violations and the figures (kills by kind, writes
 * acknowledged, watch events) and is written next to the JSON-lines history.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkAcknowledgedWrites, checkNoRewind, checkWatches } from "./checks-api.js";
import { checkNoLeakedMounts } from "./checks-volumes.js";
import { diskFacts, historyStats, isMarker, mountPoints, readEfsFacts, readFinalState, type EfsFacts, type FinalState } from "./final-state.js";
import { History, type Resource } from "./history.js";
import { runKills, saveOutput, type KillPlan, type KillStats } from "./killer.js";
import { ClusterLink } from "./link.js";
import { WatchRecorder } from "./watch-recorder.js";
import type { VolumeFacts } from "./checks-volumes.js";

export interface ScenarioContext {
  link: ClusterLink;
  history: History;
  dataDir: string;
}

export interface Scenario<W> {
  name: string;
  plan: KillPlan;
  /** Resources whose watch streams are recorded and checked. */
  watched: Resource[];
  /** Resources listed at the end for the durability check. */
  listed: Resource[];
  /** Base paths below which every access point and directory must belong to a live PV. */
  basePaths: string[];
  workload(ctx: ScenarioContext): Promise<W>;
  /** Runs on the last incarnation after the workload; returns what is still unsettled. */
  settle(ctx: ScenarioContext, w: W): Promise<string[]>;
  /** Workload figures for the report. */
  figures?(w: W): Record<string, number>;
  /** Scenario-specific invariants over the final state (the last incarnation is still up). */
  check(w: W, final: FinalState, volumes: VolumeFacts, efs: EfsFacts, ctx: ScenarioContext): string[];
}

export interface ScenarioReport {
  name: string;
  dataDir: string;
  violations: string[];
  /** Findings of open issues documented in SECURITY.md §4 ("known:<id>"), kept apart from the violations. */
  knownIssues: string[];
  kills: KillStats;
  figures: Record<string, number>;
  durationMs: number;
}

export async function runScenario<W>(s: Scenario<W>): Promise<ScenarioReport> {
  const started = Date.now();
  const dataDir = mkdtempSync(join(tmpdir(), `cistern-crash-${s.name}-`));
  const history = new History(join(dataDir, "..", `${dataDir.split("/").pop()}.history.jsonl`));
  const link = new ClusterLink();
  const ctx: ScenarioContext = { link, history, dataDir };
  const recorders = s.watched.map((r) => new WatchRecorder(r, link, history));
  for (const r of recorders) r.start();
  const violations: string[] = [];
  let workloadFigures: Record<string, number> | undefined;
  let workloadError: unknown;
  const work = s.workload(ctx).catch((e) => {
    workloadError = e;
    return undefined;
  });
  const { last, stats } = await runKills(dataDir, link, history, s.plan);
  try {
    const w = await work;
    if (workloadError !== undefined || w === undefined) throw workloadError ?? new Error("workload ended without a result");
    violations.push(...stats.unexpectedExits.map((e) => `crash: an incarnation ended by itself: ${e}`));
    violations.push(...(await s.settle(ctx, w)).map((p) => `settle: ${p}`));
    const final = await readFinalState(link, recorders, s.listed);
    violations.push(...final.watchesCaughtUp);
    const efs = await readEfsFacts(link);
    const volumes: VolumeFacts = { pvs: final.pvs, accessPoints: efs.accessPoints, ...diskFacts(dataDir, s.basePaths) };
    for (const r of recorders) await r.stop();
    const records = history.records.filter((r) => r.type !== "watch" || !isMarker(r.key));
    violations.push(...checkAcknowledgedWrites(history.acks(), final.lists, history.attempts()));
    violations.push(...checkNoRewind(history.records));
    violations.push(...checkWatches(records, new Map([...final.lists].filter(([res]) => s.watched.includes(res)))));
    violations.push(...s.check(w, final, volumes, efs, ctx));
    workloadFigures = s.figures?.(w) ?? {};
    await last.stop();
    link.close();
    violations.push(...checkNoLeakedMounts(dataDir, mountPoints(), []));
  } finally {
    for (const r of recorders) await r.stop();
    await last.stop();
    saveOutput(dataDir, s.plan.kills + 1, last);
    link.close();
    history.flush();
  }
  const knownIssues = violations.filter((v) => v.startsWith("known:"));
  const real = violations.filter((v) => !v.startsWith("known:"));
  const report: ScenarioReport = { name: s.name, dataDir, violations: real, knownIssues, kills: stats, figures: { ...historyStats(history), ...workloadFigures }, durationMs: Date.now() - started };
  writeFileSync(`${dataDir}.report.json`, JSON.stringify(report, null, 2) + "\n");
  if (real.length === 0 && process.env.CISTERN_CRASH_KEEP !== "1") {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(`${dataDir}.logs`, { recursive: true, force: true });
  }
  return report;
}
