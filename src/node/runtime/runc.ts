/**
 * Thin wrapper over the runc CLI (argument vectors only), scoped to this runtime's own --root directory. runc is
 * started by the spawner's helper, so this (possibly large) process does not fork for it.
 */
import * as os from "node:os";
import { defaultSpawner } from "../../lib/spawner/index.js";
import { RuntimeError } from "./errors.js";

export interface RuncContainerState {
  id: string;
  status: "created" | "running" | "stopped" | "paused" | string;
  pid: number;
}

/** "TERM", "SIGTERM", "15" or 15 -> "SIGTERM"; anything else is refused. */
export function signalName(sig: string | number): string {
  const table = os.constants.signals as Record<string, number>;
  if (typeof sig === "number" || /^\d+$/.test(sig)) {
    const n = Number(sig);
    const name = Object.keys(table).find((k) => table[k] === n);
    if (!name) throw new RuntimeError("InvalidSpec", `unknown signal ${sig}`);
    return name;
  }
  const name = sig.toUpperCase().startsWith("SIG") ? sig.toUpperCase() : `SIG${sig.toUpperCase()}`;
  if (!(name in table)) throw new RuntimeError("InvalidSpec", `unknown signal ${JSON.stringify(sig)}`);
  return name;
}

function stderrOf(e: unknown): string {
  const s = (e as { stderr?: string }).stderr;
  return (s && s.trim()) || String(e);
}

export class Runc {
  constructor(
    readonly binary: string,
    readonly root: string,
  ) {}

  private exec(args: string[]): Promise<{ stdout: string; stderr: string }> {
    return defaultSpawner().run(this.binary, ["--root", this.root, ...args], { timeoutMs: 30_000 });
  }

  /** runc's view of a container, or undefined if runc does not know it. */
  async state(id: string): Promise<RuncContainerState | undefined> {
    try {
      const { stdout } = await this.exec(["state", id]);
      const s = JSON.parse(stdout) as RuncContainerState;
      return { id: s.id, status: s.status, pid: s.pid };
    } catch (e) {
      if (/does not exist|not found/i.test(stderrOf(e))) return undefined;
      throw new RuntimeError("RuncFailed", `runc state ${id}: ${stderrOf(e)}`, { cause: e });
    }
  }

  async list(): Promise<RuncContainerState[]> {
    const { stdout } = await this.exec(["list", "--format", "json"]);
    const parsed = JSON.parse(stdout || "null") as RuncContainerState[] | null;
    return (parsed ?? []).map((s) => ({ id: s.id, status: s.status, pid: s.pid }));
  }

  /** Signal the container's init. A container that is not running (or unknown) is a no-op: returns false. */
  async kill(id: string, signal: string | number): Promise<boolean> {
    try {
      await this.exec(["kill", id, signalName(signal)]);
      return true;
    } catch (e) {
      if (/not running|does not exist|container not found|process already finished/i.test(stderrOf(e))) return false;
      throw new RuntimeError("RuncFailed", `runc kill ${id}: ${stderrOf(e)}`, { cause: e });
    }
  }

  /** Delete runc's record of the container (and its cgroup). Unknown containers are fine: repeat calls are no-ops. */
  async delete(id: string): Promise<void> {
    try {
      await this.exec(["delete", "--force", id]);
    } catch (e) {
      if (/does not exist|not found/i.test(stderrOf(e))) return;
      throw new RuntimeError("RuncFailed", `runc delete ${id}: ${stderrOf(e)}`, { cause: e });
    }
  }

  async version(): Promise<string> {
    const { stdout } = await defaultSpawner().run(this.binary, ["--version"], { timeoutMs: 10_000 });
    return stdout;
  }
}
