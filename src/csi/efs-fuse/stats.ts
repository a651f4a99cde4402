/** Reading the counters file the daemon rewrites atomically once a second. */
import { readFileSync } from "node:fs";
import type { IoCounters } from "./types.js";

export function emptyIoCounters(): IoCounters {
  return {
    dataReadBytes: 0, dataReadOps: 0, dataWriteBytes: 0, dataWriteOps: 0,
    metadataBytes: 0, metadataOps: 0, totalBytes: 0, meteredBytes: 0,
    passthrough: false, passthroughOpens: 0, time: "",
  };
}

const NUMERIC: (keyof IoCounters)[] = [
  "dataReadBytes", "dataReadOps", "dataWriteBytes", "dataWriteOps",
  "metadataBytes", "metadataOps", "totalBytes", "meteredBytes", "passthroughOpens",
];

/** Parses one counters document; unknown fields are ignored, missing ones read as zero. */
export function parseIoCounters(text: string): IoCounters {
  const raw = JSON.parse(text) as Record<string, unknown>;
  const out = emptyIoCounters();
  for (const k of NUMERIC) {
    const v = raw[k];
    if (typeof v === "number" && Number.isFinite(v)) (out as unknown as Record<string, number>)[k] = v;
  }
  out.passthrough = raw.passthrough === true;
  out.time = typeof raw.time === "string" ? raw.time : "";
  return out;
}

/** Current counters, or zeros before the daemon wrote its first file. */
export function readIoCounters(file: string): IoCounters {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return emptyIoCounters();
    throw err;
  }
  return parseIoCounters(text);
}
