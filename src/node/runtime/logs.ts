/**
 * Reading a container's CRI log as `kubectl logs` expects: tailLines (counted in log records, as the kubelet does),
 * sinceTime, timestamps, limitBytes, stream, and follow (keep reading until the container has exited and the file
 * is drained). The file is opened with safe-path (O_NOFOLLOW, beneath the runtime's own directory): a log path can
 * never be redirected by a symlink.
 */
import * as fs from "node:fs";
import { Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { openBeneath } from "../../lib/safe-path/index.js";
import { parseCriLine, renderRecord, toCriTime } from "./cri-log.js";

export interface LogOptions {
  follow?: boolean;
  tailLines?: number;
  sinceTime?: Date | string;
  sinceSeconds?: number;
  timestamps?: boolean;
  limitBytes?: number;
  stream?: "stdout" | "stderr" | "all";
  /** Read the log of the previous attempt of the same container in the pod. */
  previous?: boolean;
}

const CHUNK = 64 * 1024;

/** Byte offset where the last `n` lines of the file start. */
export function tailOffset(fd: number, size: number, n: number): number {
  if (n <= 0) return size;
  let pos = size;
  let seen = 0;
  const buf = Buffer.alloc(CHUNK);
  // A final newline ends the last line; it does not start another one.
  let skipFinal = true;
  while (pos > 0) {
    const len = Math.min(CHUNK, pos);
    pos -= len;
    fs.readSync(fd, buf, 0, len, pos);
    for (let i = len - 1; i >= 0; i--) {
      if (buf[i] !== 0x0a) {
        skipFinal = false;
        continue;
      }
      if (skipFinal && pos + i === size - 1) continue;
      if (++seen === n) return pos + i + 1;
    }
  }
  return 0;
}

async function* rawLines(fd: number, start: number, follow: boolean, finished: () => Promise<boolean>): AsyncGenerator<Buffer> {
  let pos = start;
  let carry: Buffer = Buffer.alloc(0);
  const buf = Buffer.alloc(CHUNK);
  let lastCheck = false;
  for (;;) {
    const n = fs.readSync(fd, buf, 0, CHUNK, pos);
    if (n > 0) {
      pos += n;
      let data = carry.length ? Buffer.concat([carry, buf.subarray(0, n)]) : Buffer.from(buf.subarray(0, n));
      let nl: number;
      while ((nl = data.indexOf(0x0a)) >= 0) {
        yield data.subarray(0, nl);
        data = data.subarray(nl + 1);
      }
      carry = data;
      continue;
    }
    if (!follow || lastCheck) break;
    // Only stop following after one more read that happened after the container was seen finished.
    if (await finished()) lastCheck = true;
    else await sleep(100);
  }
  if (carry.length) yield carry;
}

/**
 * A byte stream of the rendered log. `logDir` is the runtime-owned directory and `logRel` the file below it.
 * `finished` tells whether the container has exited (follow stops once it has and the file is drained).
 */
export function readLogStream(logDir: string, logRel: string, opts: LogOptions, finished: () => Promise<boolean>): Readable {
  const h = openBeneath(logDir, logRel); // O_NOFOLLOW on every component; throws NotFound if there is no log yet
  const since = opts.sinceTime ? toCriTime(opts.sinceTime) : opts.sinceSeconds ? toCriTime(new Date(Date.now() - opts.sinceSeconds * 1000)) : undefined;
  const want = opts.stream && opts.stream !== "all" ? opts.stream : undefined;
  async function* render(): AsyncGenerator<Buffer> {
    let budget = opts.limitBytes && opts.limitBytes > 0 ? opts.limitBytes : Infinity;
    try {
      const start = opts.tailLines !== undefined && opts.tailLines >= 0 ? tailOffset(h.fd, fs.fstatSync(h.fd).size, opts.tailLines) : 0;
      for await (const line of rawLines(h.fd, start, !!opts.follow, finished)) {
        const rec = parseCriLine(line);
        if (!rec || (want && rec.stream !== want) || (since && rec.time < since)) continue;
        let out = renderRecord(rec, !!opts.timestamps);
        if (out.length >= budget) {
          out = out.subarray(0, budget);
          budget = 0;
        } else budget -= out.length;
        yield out;
        if (budget === 0) return;
      }
    } finally {
      h.close();
    }
  }
  return Readable.from(render(), { objectMode: false });
}
