/**
 * Samples EFS usage into a bounded in-memory history for the dashboard's plots: every interval it
 * reads the usage report (metered sizes, connections) and the I/O counters, and keeps the newest
 * `capacity` samples. History lives only as long as the process — a plot of the last hour, not a
 * metrics store (Prometheus scrapes /metrics for that).
 *
 * Invariants: at most one sample is in flight (a slow EFS service stretches the interval instead
 * of piling up requests); a failed sample records its reason and adds nothing, so plots show a gap;
 * sample times strictly increase.
 */
import type { EfsUsageReport, IoCounters, UsageHistory, UsageSample } from "../model/usage-types.js";
import type { EfsReader } from "./efs-reader.js";
import { ioCountersFromMetrics } from "./prometheus-text.js";

export interface SamplerOptions {
  intervalMs: number;
  capacity: number;
  now?: () => number;
  onError?: (err: Error) => void;
}

export class UsageSampler {
  private readonly samples: UsageSample[] = [];
  private report: EfsUsageReport | undefined;
  private lastError: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private stopped = false;
  private readonly now: () => number;

  constructor(
    private readonly reader: EfsReader,
    private readonly o: SamplerOptions,
  ) {
    this.now = o.now ?? Date.now;
  }

  /** Takes one sample now, or joins the one in flight. Never throws. */
  sampleOnce(): Promise<void> {
    this.inFlight ??= this.take().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async take(): Promise<void> {
    try {
      const [report, metrics] = await Promise.all([this.reader.usage(), this.reader.metricsText().catch((e: Error) => e)]);
      const io: Map<string, IoCounters> = metrics instanceof Error ? new Map() : ioCountersFromMetrics(metrics);
      const last = this.samples[this.samples.length - 1];
      const t = Math.max(this.now(), last ? last.t + 1 : 0);
      const sample: UsageSample = { t, fileSystems: {}, accessPoints: {} };
      for (const fs of report.fileSystems) {
        const counters = io.get(fs.fileSystemId);
        sample.fileSystems[fs.fileSystemId] = { size: fs.sizeInBytes.Value, connections: fs.clientConnections, ...(counters ? { io: counters } : {}) };
        for (const ap of fs.accessPoints) sample.accessPoints[ap.accessPointId] = { fileSystemId: fs.fileSystemId, bytes: ap.meteredBytes };
      }
      this.report = report;
      this.samples.push(sample);
      if (this.samples.length > this.o.capacity) this.samples.splice(0, this.samples.length - this.o.capacity);
      // A report without I/O counters is still a sample; say why the I/O plot has a gap.
      this.lastError = metrics instanceof Error ? `I/O metrics: ${metrics.message}` : undefined;
    } catch (e) {
      this.lastError = (e as Error).message;
      this.o.onError?.(e as Error);
    }
  }

  /** Samples every interval until stop(); the first one right away. Idempotent. */
  start(): void {
    if (this.timer || this.stopped) return;
    const tick = () => {
      void this.sampleOnce().then(() => {
        if (!this.stopped) this.timer = setTimeout(tick, this.o.intervalMs).unref();
      });
    };
    this.timer = setTimeout(tick, 0).unref();
  }

  /** Stops sampling; a sample in flight finishes but schedules no other. Idempotent. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  latestReport(): EfsUsageReport | undefined {
    return this.report;
  }

  /** Samples taken after `since` (epoch ms; all when undefined), oldest first. */
  history(since?: number): UsageHistory {
    const samples = since === undefined ? [...this.samples] : this.samples.filter((s) => s.t > since);
    return {
      intervalMs: this.o.intervalMs,
      capacity: this.o.capacity,
      samples,
      ...(this.report ? { report: this.report } : {}),
      ...(this.lastError ? { lastError: this.lastError } : {}),
    };
  }
}
