/**
 * Reads the EFS service's client I/O counters out of its Prometheus text exposition
 * (efs_data_read_io_bytes_total{file_system_id="…"} and friends). Only the sample lines of the
 * six counters the plots use are parsed; comments, other metrics and malformed lines are skipped.
 */
import type { IoCounters } from "../model/usage-types.js";

const FIELDS: Record<string, keyof IoCounters> = {
  efs_data_read_io_bytes_total: "readBytes",
  efs_data_write_io_bytes_total: "writeBytes",
  efs_metadata_io_bytes_total: "metadataBytes",
  efs_data_read_ops_total: "readOps",
  efs_data_write_ops_total: "writeOps",
  efs_metadata_ops_total: "metadataOps",
};

// name{labels} value [timestamp]; label values are quoted with \" and \\ escapes.
const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{((?:[^"}]|"(?:[^"\\]|\\.)*")*)\})?\s+(\S+)(?:\s+\S+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

function labels(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(LABEL)) out[m[1]] = m[2].replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));
  return out;
}

/** file system id → its I/O counters (fields the exposition lacks are 0). */
export function ioCountersFromMetrics(text: string): Map<string, IoCounters> {
  const out = new Map<string, IoCounters>();
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const m = LINE.exec(line);
    if (!m) continue;
    const field = FIELDS[m[1]];
    if (!field) continue;
    const fsId = labels(m[2] ?? "").file_system_id;
    const value = Number(m[3]);
    if (!fsId || !Number.isFinite(value)) continue;
    let c = out.get(fsId);
    if (!c) out.set(fsId, (c = { readBytes: 0, writeBytes: 0, metadataBytes: 0, readOps: 0, writeOps: 0, metadataOps: 0 }));
    c[field] = value;
  }
  return out;
}
