/**
 * Prometheus metrics for CSI operations, which users asked the upstream driver for (#1787):
 *   efs_csi_operations_total{op,code}           every RPC, by outcome (OK or the gRPC code name)
 *   efs_csi_operation_duration_seconds{op}      latency histogram
 * Each driver gets its own Registry unless one is passed in (the process's /metrics endpoint).
 */
import { Counter, Histogram, Registry } from "prom-client";
import { codeOf } from "./spec.js";

export class CsiMetrics {
  readonly registry: Registry;
  private readonly ops: Counter<"op" | "code">;
  private readonly duration: Histogram<"op">;

  constructor(registry?: Registry) {
    this.registry = registry ?? new Registry();
    this.ops = new Counter({
      name: "efs_csi_operations_total",
      help: "CSI operations served by the EFS driver, by operation and result code (OK or the gRPC status code name).",
      labelNames: ["op", "code"],
      registers: [this.registry],
    });
    this.duration = new Histogram({
      name: "efs_csi_operation_duration_seconds",
      help: "Time taken by CSI operations of the EFS driver.",
      labelNames: ["op"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [this.registry],
    });
  }

  /** Run one operation, counting its outcome and timing it. */
  async observe<T>(op: string, fn: () => Promise<T>): Promise<T> {
    const end = this.duration.startTimer({ op });
    try {
      const out = await fn();
      this.ops.inc({ op, code: "OK" });
      return out;
    } catch (e) {
      this.ops.inc({ op, code: codeOf(e) });
      throw e;
    } finally {
      end();
    }
  }

  async text(): Promise<string> {
    return this.registry.metrics();
  }
}
