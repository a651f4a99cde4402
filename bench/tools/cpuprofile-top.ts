/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`, or a bench run with
 * CISTERN_BENCH_PROF_DIR=DIR): the functions with the most self time, and the most inclusive
 * time, with their source location — the first thing to read when a figure misses its target.
 *   node dist/bench/tools/cpuprofile-top.js FILE.cpuprofile [N] [--filter SUBSTRING]
 */
import { readFileSync } from "node:fs";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface FunctionCost {
  name: string;
  selfMs: number;
  totalMs: number;
}

function frameName(f: CallFrame): string {
  const file = f.url.replace(/^file:\/\//, "").replace(/^.*\/(dist|node_modules)\//, "$1/");
  return `${f.functionName || "(anonymous)"} ${file}:${f.lineNumber + 1}`;
}

/** Self and inclusive time per function (recursion counted once per sample). */
export function analyse(profile: CpuProfile): { costs: FunctionCost[]; totalMs: number } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let totalMs = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    totalMs += ms;
    const leaf = byId.get(id);
    if (!leaf) return;
    const leafName = frameName(leaf.callFrame);
    self.set(leafName, (self.get(leafName) ?? 0) + ms);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const name = frameName(byId.get(cur)!.callFrame);
      if (seen.has(name)) continue;
      seen.add(name);
      total.set(name, (total.get(name) ?? 0) + ms);
    }
  });
  const costs = [...total.entries()].map(([name, totalMs]) => ({ name, totalMs, selfMs: self.get(name) ?? 0 }));
  return { costs, totalMs };
}

function main(): void {
  const [file, nArg] = process.argv.slice(2).filter((a, i, all) => a !== "--filter" && all[i - 1] !== "--filter");
  if (!file) {
    process.stderr.write("usage: cpuprofile-top FILE.cpuprofile [N] [--filter SUBSTRING]\n");
    process.exit(2);
  }
  const fi = process.argv.indexOf("--filter");
  const filter = fi >= 0 ? process.argv[fi + 1] : undefined;
  const n = Number(nArg ?? 30);
  const { costs, totalMs } = analyse(JSON.parse(readFileSync(file, "utf8")) as CpuProfile);
  const pick = (c: FunctionCost) => !filter || c.name.includes(filter);
  const pct = (ms: number) => ((100 * ms) / totalMs).toFixed(1).padStart(5) + "%";
  process.stdout.write(`total sampled ${Math.round(totalMs)} ms\n\nself time:\n`);
  for (const c of [...costs].filter(pick).sort((a, b) => b.selfMs - a.selfMs).slice(0, n)) process.stdout.write(`${pct(c.selfMs)} ${Math.round(c.selfMs).toString().padStart(7)} ms  ${c.name}\n`);
  process.stdout.write(`\ninclusive time:\n`);
  for (const c of [...costs].filter(pick).sort((a, b) => b.totalMs - a.totalMs).slice(0, n)) process.stdout.write(`${pct(c.totalMs)} ${Math.round(c.totalMs).toString().padStart(7)} ms  ${c.name}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
