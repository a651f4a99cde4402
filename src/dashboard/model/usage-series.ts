/**
 * Turns the server's usage samples into plot series: metered size per file system or access
 * point, and I/O rates per file system from the EFS service's cumulative counters. Series are
 * column arrays (times in epoch seconds, then one array per line), the shape uPlot draws; a
 * missing value is null, so a gap shows instead of a made-up line.
 */
import type { IoCounters, UsageSample } from "./usage-types.js";

export type Series = [number[], ...(number | null)[][]];

/** Appends samples newer than the last one held, keeping at most `capacity` (oldest dropped). */
export function mergeSamples(held: readonly UsageSample[], incoming: readonly UsageSample[], capacity: number): UsageSample[] {
  const last = held.length ? held[held.length - 1].t : -Infinity;
  const fresh = incoming.filter((s) => s.t > last).sort((a, b) => a.t - b.t);
  if (fresh.length === 0) return held as UsageSample[];
  const all = [...held, ...fresh];
  return all.length > capacity ? all.slice(all.length - capacity) : all;
}

export function fileSystemSizeSeries(samples: readonly UsageSample[], fileSystemId: string): Series {
  return [samples.map((s) => s.t / 1000), samples.map((s) => s.fileSystems[fileSystemId]?.size ?? null)];
}

export function accessPointSizeSeries(samples: readonly UsageSample[], accessPointId: string): Series {
  return [samples.map((s) => s.t / 1000), samples.map((s) => s.accessPoints[accessPointId]?.bytes ?? null)];
}

const IO_FIELDS = ["readBytes", "writeBytes", "metadataBytes"] as const satisfies readonly (keyof IoCounters)[];

/**
 * Read, write and metadata bytes per second between consecutive samples, stamped at the later
 * one. A counter that went down (the EFS service restarted) gives null for that interval rather
 * than a negative rate.
 */
export function ioRateSeries(samples: readonly UsageSample[], fileSystemId: string): Series {
  const times: number[] = [];
  const lines: (number | null)[][] = IO_FIELDS.map(() => []);
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1];
    const b = samples[i];
    const ia = a.fileSystems[fileSystemId]?.io;
    const ib = b.fileSystems[fileSystemId]?.io;
    const dt = (b.t - a.t) / 1000;
    times.push(b.t / 1000);
    IO_FIELDS.forEach((f, k) => {
      const delta = ia && ib ? ib[f] - ia[f] : NaN;
      lines[k].push(dt > 0 && delta >= 0 ? delta / dt : null);
    });
  }
  return [times, ...lines];
}

/** The newest non-null value of a series line, for the text summary beside a plot. */
export function latestValue(series: Series, line = 1): number | null {
  const values = series[line] as (number | null)[];
  for (let i = values.length - 1; i >= 0; i--) if (values[i] !== null) return values[i];
  return null;
}
