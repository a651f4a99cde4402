/**
 * GID allocation for dynamically provisioned access points. Invariant: a GID is never handed to two
 * live access points of one file system (#1107: EFS enforces only POSIX permissions, so two volumes
 * sharing a GID can read each other's data).
 *
 * The truth is EFS itself: allocation rounds work from a listing of every access point of the file
 * system (DescribeAccessPoints, all pages), so a restarted driver, or access points made by hand,
 * are seen. What a listing cannot show are the creates this process made after it started, so each
 * handed-out GID is also held in a reservation until a listing that *started after* its create
 * finished is in use (that listing shows the access point itself). Rounds run one at a time per
 * file system; requests that arrive during a round are served together by the next one.
 *
 * A listing costs O(access points) on both ends (~30 ms of CPU at 5,000), so one is reused for up
 * to `maxListingAgeMs` (default 1 s) instead of being taken for every create. Reservations keep
 * this exact for this process's own creates; an access point created *by someone else* with a GID
 * in the range can be missed for that long — the same race any lister has between its listing and
 * its create, made at most one second wider. A GID freed by a deletion is reused after the next
 * listing.
 */
import { csiError } from "./spec.js";

export interface ListedAccessPoint {
  accessPointId: string;
  fileSystemId: string;
  clientToken?: string;
  rootPath: string;
  posixUser?: { uid: number; gid: number };
  tags: Record<string, string>;
}

export type ListAccessPoints = (fileSystemId: string) => Promise<ListedAccessPoint[]>;

export interface GidRequest {
  range: { min: number; max: number };
  /** If an access point already satisfies the request (same ClientToken), it is returned instead of a GID. */
  match?: (ap: ListedAccessPoint) => boolean;
}

export type GidGrant =
  | { kind: "existing"; accessPoint: ListedAccessPoint }
  | {
      kind: "allocated";
      gid: number;
      /** Must be called once: true if an access point with this GID now exists, false to give the GID back. */
      settle(created: boolean): void;
    };

interface Waiter {
  req: GidRequest;
  resolve(g: GidGrant): void;
  reject(e: unknown): void;
  /** Already sent back once for a fresh listing because the range looked full. */
  relisted?: boolean;
}

interface FileSystemGids {
  /** gid → epoch at which its create finished (undefined while in flight). */
  reserved: Map<number, number | undefined>;
  epoch: number;
  queue: Waiter[];
  running: boolean;
  /** The listing in use: when it was taken and the epoch at which it started. */
  listing?: { aps: ListedAccessPoint[]; at: number; startEpoch: number };
}

export interface GidAllocatorOptions {
  /** Reuse a listing for at most this long (default 1000 ms; 0 = list for every round). */
  maxListingAgeMs?: number;
  now?: () => number;
}

export function noFreeGidError(fileSystemId: string) {
  return csiError(
    "ResourceExhausted",
    `Failed to locate a free GID for given file system: ${fileSystemId}. Please create a new storage class with a new file-system`,
  );
}

/** The lowest GID in [min, max] (inclusive) not in `used`, or undefined. */
export function lowestFree(used: ReadonlySet<number>, min: number, max: number): number | undefined {
  const inRange = [...used].filter((g) => g >= min && g <= max).sort((a, b) => a - b);
  let candidate = min;
  for (const g of inRange) {
    if (g > candidate) break;
    if (g === candidate) candidate++;
  }
  return candidate <= max ? candidate : undefined;
}

export class GidAllocator {
  private readonly perFs = new Map<string, FileSystemGids>();

  private readonly maxAgeMs: number;
  private readonly now: () => number;

  constructor(
    private readonly list: ListAccessPoints,
    opts: GidAllocatorOptions = {},
  ) {
    this.maxAgeMs = opts.maxListingAgeMs ?? 1000;
    this.now = opts.now ?? Date.now;
  }

  /** Forget the listing of a file system (the next round lists again). */
  invalidate(fileSystemId: string): void {
    const fs = this.perFs.get(fileSystemId);
    if (fs) fs.listing = undefined;
  }

  allocate(fileSystemId: string, req: GidRequest): Promise<GidGrant> {
    let fs = this.perFs.get(fileSystemId);
    if (!fs) {
      fs = { reserved: new Map(), epoch: 0, queue: [], running: false };
      this.perFs.set(fileSystemId, fs);
    }
    const state = fs;
    const p = new Promise<GidGrant>((resolve, reject) => state.queue.push({ req, resolve, reject }));
    if (!state.running) void this.run(fileSystemId, state);
    return p;
  }

  /** GIDs reserved by creates of this process that listings may not show yet (tests, diagnostics). */
  reservedGids(fileSystemId: string): number[] {
    return [...(this.perFs.get(fileSystemId)?.reserved.keys() ?? [])].sort((a, b) => a - b);
  }

  private async run(fileSystemId: string, fs: FileSystemGids): Promise<void> {
    fs.running = true;
    try {
      while (fs.queue.length > 0) {
        const batch = fs.queue.splice(0);
        let listing = fs.listing;
        const fresh = !listing || this.now() - listing.at >= this.maxAgeMs;
        if (!listing || fresh) {
          const startEpoch = ++fs.epoch;
          try {
            listing = { aps: await this.list(fileSystemId), at: this.now(), startEpoch };
          } catch (e) {
            for (const w of batch) w.reject(e);
            continue;
          }
          fs.listing = listing;
        }
        const { aps: listed, startEpoch } = listing;
        for (const [gid, done] of fs.reserved) if (done !== undefined && done < startEpoch) fs.reserved.delete(gid);
        const used = new Set<number>(fs.reserved.keys());
        for (const ap of listed) if (ap.posixUser) used.add(ap.posixUser.gid);
        for (const w of batch) this.serve(fileSystemId, fs, w, listed, used, fresh);
      }
    } finally {
      fs.running = false;
    }
  }

  private serve(fileSystemId: string, fs: FileSystemGids, w: Waiter, listed: ListedAccessPoint[], used: Set<number>, fresh: boolean): void {
    const existing = w.req.match ? listed.find(w.req.match) : undefined;
    if (existing) {
      w.resolve({ kind: "existing", accessPoint: existing });
      return;
    }
    const gid = lowestFree(used, w.req.range.min, w.req.range.max);
    if (gid === undefined) {
      if (!fresh && !w.relisted) {
        // Deletions since the listing may have freed GIDs: look again before giving up.
        w.relisted = true;
        fs.listing = undefined;
        fs.queue.push(w);
        return;
      }
      w.reject(noFreeGidError(fileSystemId));
      return;
    }
    used.add(gid);
    fs.reserved.set(gid, undefined);
    let settled = false;
    w.resolve({
      kind: "allocated",
      gid,
      settle: (created) => {
        if (settled) return;
        settled = true;
        if (created) fs.reserved.set(gid, fs.epoch);
        else fs.reserved.delete(gid);
      },
    });
  }
}
