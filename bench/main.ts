/**
 * `npm run bench [-- --quick] [--only a,b] [--etcd-pairs N]`: runs the scenarios, prints the table and the
 * targets, and writes bench/results/<date>.json. `--markdown FILE.json` instead regenerates the
 * measured sections of BENCHMARKS.md from a results file. Figures are printed, never asserted:
 * the exit code is non-zero only when the bench itself could not run.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO, runBench, scenarios, renderTable, renderTargets, updateBenchmarksMd, type BenchRun } from "./index.js";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const markdownFrom = arg("--markdown");
  if (markdownFrom) {
    const run = JSON.parse(readFileSync(markdownFrom, "utf8")) as BenchRun;
    updateBenchmarksMd(join(REPO, "BENCHMARKS.md"), run, markdownFrom);
    process.stdout.write(`BENCHMARKS.md updated from ${markdownFrom}\n`);
    return;
  }
  const quick = process.argv.includes("--quick");
  const etcdPairs = arg("--etcd-pairs") === undefined ? undefined : Number(arg("--etcd-pairs"));
  if (etcdPairs !== undefined && !(Number.isSafeInteger(etcdPairs) && etcdPairs > 0)) throw new Error("--etcd-pairs takes a positive integer");
  const only = arg("--only")?.split(",").map((s) => s.trim());
  const unknown = only?.filter((n) => !scenarios.some((s) => s.name === n)) ?? [];
  if (unknown.length > 0) throw new Error(`unknown scenario(s) ${unknown.join(", ")}; known: ${scenarios.map((s) => s.name).join(", ")}`);
  const selected = only ? scenarios.filter((s) => only.includes(s.name)) : scenarios;
  const command = `npm run bench${process.argv.length > 2 ? " -- " + process.argv.slice(2).join(" ") : ""}`;
  const run = await runBench(selected, { quick, etcdPairs }, { command, log: (m) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${m}\n`) });
  process.stdout.write(renderTable(run.results));
  process.stdout.write(renderTargets(run.results));
  const dir = join(REPO, "bench", "results");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${run.startedAt.replace(/[:]/g, "-").replace(/\.\d+Z$/, "Z")}${quick ? "-quick" : ""}.json`);
  writeFileSync(file, JSON.stringify(run, null, 2) + "\n");
  process.stdout.write(`\nmachine: ${run.machine.cpuModel}, ${run.machine.cores} cores, ${run.machine.memoryGiB} GiB, ${run.machine.disk}; ${(run.durationMs / 1000).toFixed(0)} s in total\nresults: ${file}\n`);
}

main().catch((err: Error) => {
  process.stderr.write(`bench: ${err.stack ?? err}\n`);
  process.exit(1);
});
