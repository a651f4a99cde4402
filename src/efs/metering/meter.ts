/**
 * Keeps every file system's metered size (and each access point root's) fresh: a background loop walks
 * the file systems one at a time, one full round every `intervalMs` (default 15 s), so a value is never
 * older than the interval plus one round's walking time; a round taking longer than 45 s is logged,
 * since it puts the 60-second staleness bound at risk. A file system never walked yet reports 6 KiB,
 * the size of an empty one, timestamped at its creation.
 */
import type { Logger } from "../../lib/log.js";
import type { DataLayout } from "../disk/layout.js";
import type { EfsModel } from "../model/model.js";
import { pathComponents } from "../model/validation.js";
import { METADATA_BYTES, BLOCK } from "./metered-size.js";
import { meterTree } from "./walk.js";

export interface FileSystemSize {
  Value: number;
  ValueInStandard: number;
  ValueInIA: number;
  ValueInArchive: number;
  /** Epoch seconds at which the walk that produced the value started. */
  Timestamp: number;
}

interface Measurement {
  bytes: number;
  timestamp: number;
  /** Metered bytes under each access point root that existed during the walk, keyed by root path ("" = "/"). */
  roots: Map<string, number>;
}

export const EMPTY_FILE_SYSTEM_BYTES = METADATA_BYTES + BLOCK;
const SLOW_ROUND_MS = 45_000;

export class Meter {
  private readonly measurements = new Map<string, Measurement>();
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly model: EfsModel,
    private readonly layout: DataLayout,
    private readonly log: Logger,
    private readonly intervalMs = 15_000,
    private readonly concurrency = 16,
  ) {}

  start(): void {
    this.stopped = false;
    const tick = () => {
      const started = Date.now();
      this.refresh()
        .catch((err) => this.log.warn("metering round failed", { err }))
        .finally(() => {
          const took = Date.now() - started;
          if (took > SLOW_ROUND_MS) this.log.warn("metering round is slow; sizes may be older than 60 s", { ms: took });
          if (!this.stopped) this.timer = setTimeout(tick, Math.max(0, this.intervalMs - took));
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  /** Stops the loop and waits for a walk in progress to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.chain.catch(() => {});
  }

  /** Walks one file system, or all of them, now (queued behind any walk in progress: one walk at a time). */
  refresh(fsId?: string): Promise<void> {
    const run = async () => {
      const ids = fsId === undefined ? this.model.fileSystemIds() : [fsId];
      for (const id of ids) await this.walkOne(id);
      for (const known of [...this.measurements.keys()]) if (!this.model.fileSystemIds().includes(known)) this.measurements.delete(known);
    };
    const next = this.chain.then(run, run);
    this.chain = next.catch(() => {});
    return next;
  }

  private async walkOne(fsId: string): Promise<void> {
    let fs;
    try {
      fs = this.model.fileSystems.get(fsId);
    } catch {
      return; // deleted meanwhile
    }
    if (fs.state !== "available") return;
    const roots = new Set(this.model.accessPointsOf(fsId).map((ap) => pathComponents(ap.rootPath).join("/")));
    const timestamp = Math.floor(Date.now() / 1000);
    try {
      const r = await meterTree(this.layout.fileSystemDir(fsId), roots, this.concurrency);
      this.measurements.set(fsId, { bytes: r.total, timestamp, roots: r.roots });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") this.log.warn("metering walk failed", { fsId, err });
    }
  }

  sizeOf(fsId: string, creationTime: number): FileSystemSize {
    const m = this.measurements.get(fsId);
    const bytes = m?.bytes ?? EMPTY_FILE_SYSTEM_BYTES;
    return { Value: bytes, ValueInStandard: bytes, ValueInIA: 0, ValueInArchive: 0, Timestamp: m?.timestamp ?? creationTime };
  }

  /** Metered bytes under an access point root at the last walk; undefined if it did not exist then (or no walk yet). */
  rootUsage(fsId: string, rootPath: string): number | undefined {
    return this.measurements.get(fsId)?.roots.get(pathComponents(rootPath).join("/"));
  }
}
