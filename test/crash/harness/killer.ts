/**
 * The crash schedule: `kills` incarnations, each ended either by SIGKILL after a random lifetime
 * or by an armed failpoint ("name=N*exit": process.exit(137) at the N-th hit, in the middle of a
 * commit, a binding or an EFS metadata write), then one last incarnation that is left running.
 * Before the workload may talk to a new incarnation, its starting revision is probed and noted,
 * so the no-rewind check compares it with everything shown before the crash and nothing after.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { startIncarnation, type Incarnation } from "./cistern-child.js";
import type { History } from "./history.js";
import { probeRevision, type ClusterLink } from "./link.js";

export interface FailpointChoice {
  name: string;
  /** The N of "N*exit" is drawn from [min, max]. */
  hits: [number, number];
}

export interface KillPlan {
  kills: number;
  /** Share of kills done by failpoints instead of a timer (0..1). */
  failpointShare: number;
  failpoints: FailpointChoice[];
  /** Lifetime of an incarnation killed by the timer, and the cap for one waiting on a failpoint. */
  lifeMs: [number, number];
}

export interface KillStats {
  kills: number;
  byFailpoint: number;
  bySigkill: number;
  /** Incarnations a failpoint ended before they reported ready (a crash during start-up). */
  duringStartup: number;
  failpointsFired: Record<string, number>;
  /** Incarnations that ended by themselves other than through an armed failpoint (a crash bug). */
  unexpectedExits: string[];
}

function between(lo: number, hi: number): number {
  return lo + Math.floor(Math.random() * (hi - lo + 1));
}

/** Keeps each incarnation's output (warnings and errors) beside the data directory, for a failing run. */
export function saveOutput(dataDir: string, n: number, inc: Incarnation): void {
  mkdirSync(`${dataDir}.logs`, { recursive: true });
  writeFileSync(`${dataDir}.logs/incarnation-${String(n).padStart(3, "0")}.log`, inc.output());
}

export async function bringUp(dataDir: string, link: ClusterLink, history: History, failpoints: string | undefined): Promise<Incarnation | undefined> {
  const inc = await startIncarnation(dataDir, failpoints);
  if (inc.exitedEarly || !inc.endpoints) return inc;
  let rv: number;
  try {
    rv = await probeRevision(inc.endpoints);
  } catch {
    await inc.kill9();
    return inc; // died (failpoint) while being probed: still a crash before any workload request
  }
  history.add({ type: "note", what: "restart", epoch: link.epoch + 1, rv, pid: inc.pid, failpoints: failpoints ?? "" });
  link.up(inc.endpoints);
  return inc;
}

/** Runs the schedule; resolves with the last incarnation, up and serving, and the statistics. */
export async function runKills(dataDir: string, link: ClusterLink, history: History, plan: KillPlan): Promise<{ last: Incarnation; stats: KillStats }> {
  const stats: KillStats = { kills: 0, byFailpoint: 0, bySigkill: 0, duringStartup: 0, failpointsFired: {}, unexpectedExits: [] };
  for (let k = 0; k < plan.kills; k++) {
    const fp = plan.failpoints.length > 0 && Math.random() < plan.failpointShare ? plan.failpoints[between(0, plan.failpoints.length - 1)] : undefined;
    const spec = fp ? `${fp.name}=${between(fp.hits[0], fp.hits[1])}*exit` : undefined;
    const inc = await bringUp(dataDir, link, history, spec);
    stats.kills++;
    if (!inc || !link.isUp) {
      stats.duringStartup++;
      stats.byFailpoint++;
      if (fp) stats.failpointsFired[fp.name] = (stats.failpointsFired[fp.name] ?? 0) + 1;
      history.add({ type: "note", what: "killed", epoch: link.epoch, how: "failpoint during start-up", failpoints: spec ?? "" });
      await inc?.exited;
      if (inc) saveOutput(dataDir, k + 1, inc);
      continue;
    }
    const life = between(plan.lifeMs[0], plan.lifeMs[1]);
    const how = await Promise.race([inc.exited.then((s) => `exited (${s})`), new Promise<string>((r) => setTimeout(() => r("timer"), life))]);
    if (how === "timer") {
      await inc.kill9();
      stats.bySigkill++;
    } else if (!fp || how !== "exited (exit 137)") {
      stats.unexpectedExits.push(`${how} with failpoints "${spec ?? ""}": ${inc.output().slice(-3000)}`);
    } else {
      stats.byFailpoint++;
      if (fp) stats.failpointsFired[fp.name] = (stats.failpointsFired[fp.name] ?? 0) + 1;
    }
    link.down();
    saveOutput(dataDir, k + 1, inc);
    history.add({ type: "note", what: "killed", epoch: link.epoch, how: how === "timer" ? `SIGKILL after ${life} ms` : `failpoint ${spec}: ${how}`, failpoints: spec ?? "" });
  }
  let output = "";
  for (let attempt = 0; attempt < 3; attempt++) {
    const last = await bringUp(dataDir, link, history, undefined);
    if (last && link.isUp) {
      link.openAll();
      return { last, stats };
    }
    output = last?.output() ?? "";
  }
  throw new Error(`cistern does not come up on ${dataDir} any more:\n${output.slice(-5000)}`);
}
