/**
 * Spawner: every child process and mount call of a Cistern process goes through here. With a helper binary it
 * forwards each call to the one cistern-spawner it keeps running (started on first use, restarted on the next call
 * after it dies); without one, or while the helper keeps failing, it does the same work directly (see direct.ts).
 * Callers see the same results and errors either way.
 */
import { constants as osConstants } from "node:os";
import * as path from "node:path";
import type { Logger } from "../log.js";
import { MountCallError, SpawnError } from "./errors.js";
import { HelperLostError, HelperProcess } from "./helper-process.js";
import { checkMountOps, helperStep, type MountOp } from "./mount-ops.js";
import { mountDirect, runDirect, startDetachedDirect, unmountDirect } from "./direct.js";
import { errnoName } from "./errno.js";
import type { DetachedResult, DetachedStart, RunOptions, RunResult } from "./types.js";

export interface SpawnerOptions {
  /** The cistern-spawner binary; undefined = always direct. */
  helperPath?: string;
  log: Logger;
  /** After this many helper deaths within `crashWindowMs`, work directly for `cooldownMs` (defaults 3, 60 s, 30 s). */
  maxCrashes?: number;
  crashWindowMs?: number;
  cooldownMs?: number;
}

export interface SpawnerStats {
  /** Calls answered by the helper. */
  helperCalls: number;
  /** Calls done directly (no helper, or it was unavailable). */
  directCalls: number;
  /** Helper processes started. */
  helperStarts: number;
  /** Helper processes that died unasked. */
  helperDeaths: number;
}

const SHELLS = new Set(["sh", "bash", "dash", "zsh", "ksh", "ash", "csh", "tcsh", "fish", "hush", "busybox"]);

function refuseShell(file: string, args: string[]): void {
  const base = path.basename(file);
  // busybox is a shell when asked for one (busybox sh …); anything else it runs is fine.
  if (SHELLS.has(base) && (base !== "busybox" || SHELLS.has(path.basename(args[0] ?? "")))) {
    throw new SpawnError(`refusing to run a shell (${file}): child processes get argument vectors only`, { failure: "refused" });
  }
  if ([file, ...args].some((a) => a.includes("\0"))) throw new SpawnError(`an argument of ${file} contains a NUL byte`, { failure: "refused" });
}

export class Spawner {
  private helper?: HelperProcess;
  private starting?: Promise<HelperProcess | undefined>;
  private readonly deaths: number[] = [];
  private directUntil = 0;
  private closed = false;
  readonly stats: SpawnerStats = { helperCalls: 0, directCalls: 0, helperStarts: 0, helperDeaths: 0 };

  constructor(private readonly o: SpawnerOptions) {}

  /** "helper" when calls currently go to a live helper (or will start one), else "direct". */
  get mode(): "helper" | "direct" {
    return this.o.helperPath && !this.closed && Date.now() >= this.directUntil ? "helper" : "direct";
  }

  /** The helper's pid, if one is running. */
  get helperPid(): number | undefined {
    return this.helper?.alive ? this.helper.pid : undefined;
  }

  /** Run a program to completion; rejects with SpawnError unless it exits 0 (as promisified execFile does). */
  async run(file: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
    refuseShell(file, args);
    const timeoutMs = opts.timeoutMs ?? 30_000;
    const r = await this.call(["run", String(timeoutMs), file, file, ...args]);
    if (!r) return runDirect(file, args, { timeoutMs });
    const s = (i: number) => r[i]?.toString("utf8") ?? "";
    const cmd = [file, ...args].join(" ");
    switch (s(0)) {
      case "exit": {
        const code = Number(s(1));
        const signal = Number(s(2)) ? signalName(Number(s(2))) : undefined;
        const stdout = s(3);
        const stderr = s(4);
        if (code === 0 && !signal) return { stdout, stderr };
        return Promise.reject(new SpawnError(`Command failed: ${cmd}\n${stderr}`, { failure: "exit", code: signal ? undefined : code, signal, stdout, stderr }));
      }
      case "timeout":
        throw new SpawnError(`${cmd} did not finish within ${timeoutMs} ms; killed`, { failure: "timeout", signal: "SIGKILL", stdout: s(1), stderr: s(2) });
      case "error": {
        const errno = Number(s(1));
        throw new SpawnError(`spawn ${file} ${errnoName(errno)}: ${s(2)}`, { failure: errno === osConstants.errno.EFBIG ? "overflow" : "start", code: errnoName(errno) });
      }
      default:
        throw new SpawnError(`spawner helper answered ${JSON.stringify(s(0))} to run`, { failure: "helper-lost" });
    }
  }

  /** Start a program in its own session; see DetachedStart. */
  async startDetached(o: DetachedStart): Promise<DetachedResult> {
    refuseShell(o.file, o.args);
    const r = await this.call(["start", String(o.timeoutMs), o.stderrPath, o.file, o.file, ...o.args]);
    if (!r) return startDetachedDirect(o);
    const s = (i: number) => r[i]?.toString("utf8") ?? "";
    if (s(0) === "started" || s(0) === "timeout") return { pid: Number(s(1)), text: s(2), timedOut: s(0) === "timeout" };
    if (s(0) === "error") throw new SpawnError(`spawn ${o.file} ${errnoName(Number(s(1)))}: ${s(2)}`, { failure: "start", code: errnoName(Number(s(1))) });
    throw new SpawnError(`spawner helper answered ${JSON.stringify(s(0))} to start`, { failure: "helper-lost" });
  }

  /** Make the mount calls `ops` on `target`, in order; the first failure stops them (MountCallError). */
  async mount(target: string, ops: MountOp[]): Promise<void> {
    checkMountOps(target, ops);
    const r = await this.call(["mount", target, ...ops.flatMap(helperStep)]);
    if (!r) return mountDirect(target, ops);
    mountAnswer(r);
  }

  /** umount2(target, UMOUNT_NOFOLLOW, plus MNT_DETACH when lazy). */
  async unmount(target: string, opts: { lazy?: boolean } = {}): Promise<void> {
    checkMountOps(target, [{ op: "make-private" }]);
    const r = await this.call(["umount", target, opts.lazy ? "nofollow,detach" : "nofollow"]);
    if (!r) return unmountDirect(target, !!opts.lazy);
    mountAnswer(r);
  }

  /** Stop the helper (detached programs it started keep running); later calls are direct. */
  close(): void {
    this.closed = true;
    this.helper?.close();
    this.helper = undefined;
  }

  /**
   * The helper's answer, or undefined when the call is to be made directly. A request the helper died without
   * taking never ran, so it goes to the next helper (or is made directly); one it had taken fails as helper-lost.
   */
  private async call(fields: string[]): Promise<Buffer[] | undefined> {
    for (let attempt = 1; ; attempt++) {
      const h = await this.use();
      if (!h) return undefined;
      try {
        const r = await h.request(fields);
        this.stats.helperCalls++;
        return r;
      } catch (e) {
        if (!(e instanceof HelperLostError)) throw e;
        if (e.accepted || attempt >= 3) throw new SpawnError(`${fields[0]} through the spawner helper: ${e.message}`, { failure: "helper-lost" });
      }
    }
  }

  /** A live helper, or undefined to work directly. */
  private async use(): Promise<HelperProcess | undefined> {
    const h = this.helper?.alive ? this.helper : await this.startHelper();
    if (!h) this.stats.directCalls++;
    return h;
  }

  private startHelper(): Promise<HelperProcess | undefined> {
    if (this.mode === "direct" || !this.o.helperPath) return Promise.resolve(undefined);
    this.starting ??= HelperProcess.start(this.o.helperPath, this.o.log)
      .then((h) => {
        this.stats.helperStarts++;
        this.helper = h;
        h.onExit((why) => this.onDeath(why));
        this.o.log.debug("spawner helper started", { pid: h.pid });
        return h;
      })
      .catch((e: Error) => {
        // It never ran (not executable, another protocol, no greeting): trying again on every call would only
        // pay the fork this helper exists to avoid.
        this.directUntil = Date.now() + (this.o.cooldownMs ?? 30_000);
        this.o.log.warn("spawner helper cannot start; starting processes directly for a while", { why: e.message, seconds: (this.o.cooldownMs ?? 30_000) / 1000 });
        return undefined;
      })
      .finally(() => (this.starting = undefined));
    return this.starting;
  }

  private onDeath(why: Error): void {
    this.stats.helperDeaths++;
    const now = Date.now();
    this.deaths.push(now);
    const window = this.o.crashWindowMs ?? 60_000;
    while (this.deaths.length && this.deaths[0] < now - window) this.deaths.shift();
    if (this.deaths.length >= (this.o.maxCrashes ?? 3)) {
      this.directUntil = now + (this.o.cooldownMs ?? 30_000);
      this.deaths.length = 0;
      this.o.log.warn("spawner helper keeps failing; starting processes directly for a while", { why: why.message, seconds: (this.o.cooldownMs ?? 30_000) / 1000 });
    } else {
      this.o.log.warn("spawner helper is gone; the next call starts a new one", { why: why.message });
    }
  }
}

function mountAnswer(r: Buffer[]): void {
  const s = (i: number) => r[i]?.toString("utf8") ?? "";
  if (s(0) === "ok") return;
  if (s(0) === "error") throw new MountCallError(s(2), errnoName(Number(s(1))), Number(s(3)) || 0);
  throw new MountCallError(`spawner helper answered ${JSON.stringify(s(0))} to a mount call`);
}

function signalName(n: number): string {
  for (const [name, num] of Object.entries(osConstants.signals as Record<string, number>)) if (num === n) return name;
  return `SIG${n}`;
}
