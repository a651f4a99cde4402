/**
 * A scenario measures one area against its limit. It pushes figures into a sink as it goes, so a
 * failure half-way still reports what was measured; it returns `{ unavailable }` when a component
 * it needs does not exist in this build or on this machine (reported, never silently dropped).
 */
import type { FigureSink } from "./result.js";
import type { SqliteLimit } from "../limits/sqlite-limit.js";

export interface BenchOptions {
  quick: boolean;
  /** Pairs bound on etcd (default 3,000 full, 500 quick: at etcd's binding rate 10,000 alone takes minutes). */
  etcdPairs?: number;
}

export interface ScenarioContext {
  options: BenchOptions;
  log(message: string): void;
  /** The raw SQLite durable-commit limit of this run (measured once, on first use). */
  sqliteLimit(): SqliteLimit;
}

export interface Scenario {
  name: string;
  title: string;
  run(ctx: ScenarioContext, sink: FigureSink): Promise<void | { unavailable: string }>;
}
