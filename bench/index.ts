/**
 * Cistern's benchmark suite: every figure next to the limit it is measured against, in the same
 * run on the same machine.
 *
 * Model. A scenario (scenarios/) starts Cistern the way a user does — the built `cistern` CLI as
 * child processes with fresh data dirs — and drives it only through the published protocols
 * (HTTPS Kubernetes API, the AWS SDK for EFS, pods through the API). Each limit is measured in the
 * same run: raw SQLite durable commits (limits/sqlite-limit), dd on a host directory, etcd's own
 * put rate. Scenarios report figures (median and p99 of samples, or a single value, with the
 * limit and the ratio); targets (report/targets) read figures by id and say met / not met / not
 * measured.
 *
 * Invariants: scenarios run one at a time and clean up their processes and data dirs; a scenario
 * that cannot run here says why (`unavailable`) instead of vanishing; nothing is asserted about
 * timings — a run always prints and records what it measured; quick mode only scales sizes down.
 */
import { REPO } from "./harness/cistern-process.js";
import { runScenarios, type BenchRun } from "./core/run.js";
import type { BenchOptions, Scenario } from "./core/scenario.js";
import { storeScenario } from "./scenarios/store.js";
import { apiScenario } from "./scenarios/api.js";
import { bindingScenario } from "./scenarios/binding.js";
import { provisioningScenario } from "./scenarios/provisioning.js";
import { podsScenario } from "./scenarios/pods.js";
import { datapathScenario } from "./scenarios/datapath.js";
import { etcdScenario } from "./scenarios/etcd.js";

export { REPO };
export type { BenchRun, BenchOptions, Scenario };
export type { Figure, ScenarioResult, Limit, Unit } from "./core/result.js";
export { summarize, percentile, type Summary } from "./core/stats.js";
export { renderTable } from "./report/table.js";
export { renderTargets, evaluateTargets, TARGETS, type Target, type TargetVerdict } from "./report/targets.js";
export { updateBenchmarksMd, renderGenerated } from "./report/markdown.js";

/** Every scenario, in the order a full run takes them. */
export const scenarios: Scenario[] = [storeScenario, apiScenario, bindingScenario, provisioningScenario, podsScenario, datapathScenario, etcdScenario];

/** Runs `selected` scenarios with `options`; logs progress through `log`. */
export function runBench(selected: Scenario[], options: BenchOptions, o: { command: string; log: (m: string) => void }): Promise<BenchRun> {
  return runScenarios(selected, options, { repo: REPO, ...o });
}
