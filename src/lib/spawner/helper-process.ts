/**
 * One running cistern-spawner and the requests in flight to it. Requests carry increasing ids; responses may come
 * in any order. The helper greets with its protocol version before anything else is sent; a different version (a
 * stale build) is refused. The helper confirms which requests it has taken ("accepted", up to an id); when it dies,
 * requests it had not taken fail with `accepted: false` (they never ran: safe to send again) and the others with
 * `accepted: true` (whether they ran is unknown: a mount may have happened, a shim may be running).
 * The pipes hold the event loop open only while a request is in flight, so an idle helper never keeps a CLI alive.
 */
import { spawn, type ChildProcess } from "node:child_process";
import type { Readable, Writable } from "node:stream";
import type { Logger } from "../log.js";
import { FrameDecoder, encodeFrame, type Field } from "./frame.js";

export const PROTOCOL_VERSION = "2";
const HELLO_TIMEOUT_MS = 10_000;

export class HelperLostError extends Error {
  override readonly name = "HelperLostError";
  /** Whether the helper had taken the request (it may have run) or not (it did not). */
  accepted = true;
}

interface Pending {
  resolve(fields: Buffer[]): void;
  reject(e: Error): void;
}

type Unrefable = { ref?: () => void; unref?: () => void };

export class HelperProcess {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private acceptedUpTo = 0;
  private dead?: Error;
  private readonly exitListeners: ((why: Error) => void)[] = [];

  private constructor(
    private readonly child: ChildProcess,
    readonly pid: number,
    private readonly log: Logger,
  ) {}

  /** Start the helper and wait for its greeting. Rejects if it cannot run or speaks another protocol. */
  static start(path: string, log: Logger): Promise<HelperProcess> {
    return new Promise((resolve, reject) => {
      const child = spawn(path, [], { stdio: ["pipe", "pipe", "pipe"] });
      const decoder = new FrameDecoder();
      let helper: HelperProcess | undefined;
      let stderrTail = "";
      const fail = (e: Error) => {
        if (helper) return helper.die(e);
        clearTimeout(timer);
        child.kill("SIGKILL");
        reject(e);
      };
      const timer = setTimeout(() => fail(new Error(`${path} did not greet within ${HELLO_TIMEOUT_MS / 1000} s`)), HELLO_TIMEOUT_MS);
      child.on("error", (e) => fail(new Error(`cannot start ${path}: ${e.message}`)));
      child.on("exit", (code, signal) => fail(new HelperLostError(`spawner helper exited (${signal ?? code})${stderrTail ? `: ${stderrTail.trim()}` : ""}`)));
      child.stdin!.on("error", () => undefined); // EPIPE after its death: reported by "exit"
      child.stderr!.setEncoding("utf8");
      child.stderr!.on("data", (s: string) => {
        stderrTail = (stderrTail + s).slice(-2000);
        log.warn("spawner helper says", { text: s.trim() });
      });
      child.stdout!.on("data", (chunk: Buffer) => {
        let frames: Buffer[][];
        try {
          frames = decoder.push(chunk);
        } catch (e) {
          return fail(new HelperLostError(`spawner helper sent a malformed frame: ${(e as Error).message}`));
        }
        for (const f of frames) {
          if (helper) {
            helper.onFrame(f);
            continue;
          }
          const [id, what, name, version, pid] = f.map((b) => b.toString("utf8"));
          if (id !== "0" || what !== "hello" || name !== "cistern-spawner") return fail(new Error(`${path} is not a cistern-spawner (greeting ${JSON.stringify([what, name])})`));
          if (version !== PROTOCOL_VERSION) return fail(new Error(`${path} speaks spawner protocol ${version}, this code ${PROTOCOL_VERSION}: rebuild it (npm run build)`));
          clearTimeout(timer);
          helper = new HelperProcess(child, Number(pid), log);
          helper.idle();
          resolve(helper);
        }
      });
    });
  }

  get alive(): boolean {
    return !this.dead;
  }

  /** Called once when the helper dies (not when close() was asked for). */
  onExit(fn: (why: Error) => void): void {
    this.exitListeners.push(fn);
  }

  /** Send [id, ...fields]; resolves with the response fields after the id. */
  request(fields: Field[]): Promise<Buffer[]> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) this.busy();
      this.pending.set(id, { resolve, reject });
      this.child.stdin!.write(encodeFrame([String(id), ...fields]));
    });
  }

  /** Stop the helper. Requests in flight fail; detached programs it started live on. */
  close(): void {
    this.die(new HelperLostError("spawner helper closed"), true);
    this.child.kill("SIGTERM");
  }

  private onFrame(f: Buffer[]): void {
    const id = Number(f[0]?.toString("utf8"));
    if (id === 0) {
      if (f[1]?.toString("utf8") === "accepted") {
        this.acceptedUpTo = Math.max(this.acceptedUpTo, Number(f[2]?.toString("utf8")) || 0);
        return;
      }
      const why = f.slice(2).map((b) => b.toString("utf8")).join(" ");
      return this.die(new HelperLostError(`spawner helper gave up: ${why}`));
    }
    const p = this.pending.get(id);
    if (!p) return this.log.warn("spawner helper answered an unknown request", { id });
    this.pending.delete(id);
    if (this.pending.size === 0) this.idle();
    p.resolve(f.slice(1));
  }

  private die(why: Error, asked = false): void {
    if (this.dead) return;
    this.dead = why;
    for (const [id, p] of this.pending) {
      const e = new HelperLostError(why.message);
      e.accepted = id <= this.acceptedUpTo;
      p.reject(e);
    }
    this.pending.clear();
    this.idle();
    if (!asked) for (const fn of this.exitListeners) fn(why);
  }

  private busy(): void {
    for (const s of this.streams()) s.ref?.();
  }

  private idle(): void {
    for (const s of this.streams()) s.unref?.();
  }

  private streams(): Unrefable[] {
    const c = this.child;
    return [c as unknown as Unrefable, c.stdout as Readable as unknown as Unrefable, c.stdin as Writable as unknown as Unrefable, c.stderr as Readable as unknown as Unrefable];
  }
}
