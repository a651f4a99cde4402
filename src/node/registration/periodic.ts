/**
 * A task repeated every `intervalMs` until stopped; a failed run is retried sooner (`retryMs`, doubling up to the
 * interval). One run at a time; stop() waits for the run in progress.
 */
import type { Logger } from "../../lib/log.js";

export class Periodic {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private failures = 0;

  constructor(
    private readonly name: string,
    private readonly task: () => Promise<void>,
    private readonly intervalMs: number,
    private readonly log: Logger,
    private readonly retryMs = 200,
  ) {}

  /** Run now, then keep running. Resolves after the first run (rejects if it failed; the loop goes on). */
  start(): Promise<void> {
    return this.runOnce(true);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.runOnce(false), ms);
    this.timer.unref?.();
  }

  private async runOnce(first: boolean): Promise<void> {
    if (this.stopped) return;
    const p = this.task();
    this.running = p.then(
      () => undefined,
      () => undefined,
    );
    try {
      await p;
      this.failures = 0;
      this.schedule(this.intervalMs);
    } catch (err) {
      this.failures++;
      this.log.warn(`${this.name} failed; retrying`, { err, failures: this.failures });
      this.schedule(Math.min(this.intervalMs, this.retryMs * 2 ** Math.min(this.failures - 1, 10)));
      if (first) throw err;
    } finally {
      this.running = undefined;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
