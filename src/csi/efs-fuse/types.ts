/** Shapes shared by the efs-fuse wrapper modules. */

export interface MountEfsFuseOptions {
  /** Directory served (an EFS file system's data directory or an access point's root). Absolute. */
  source: string;
  /** Existing directory to mount on. Absolute. */
  target: string;
  /** Access point PosixUser: when set, replaces every caller's identity. Needs `gid` too. */
  uid?: number;
  gid?: number;
  /** Access point secondary gids (only with uid/gid). */
  groups?: number[];
  /** Map caller root (0) to 65534 — the client lacks ClientRootAccess. */
  squashRoot?: boolean;
  squashUid?: number;
  squashGid?: number;
  readOnly?: boolean;
  /** Shown as the mount source in mountinfo, e.g. "efs:fs-0123456789abcdef0". */
  fsName: string;
  /** Where the daemon writes its counters (JSON, once a second). A temporary file when omitted. */
  statsFile?: string;
  /**
   * Let the kernel do file I/O directly on the backing file (FUSE passthrough, default true when the
   * kernel offers it). Data bytes then bypass the daemon and are not counted; metadata still is.
   */
  passthrough?: boolean;
  /** How long to wait for the mount to appear (default 10 s). */
  timeoutMs?: number;
}

/** Counters in the shape of EFS's CloudWatch IO metrics, cumulative since the mount. */
export interface IoCounters {
  dataReadBytes: number;
  dataReadOps: number;
  dataWriteBytes: number;
  dataWriteOps: number;
  /** Every metadata operation accounted as at least 4 KiB, as EFS does. */
  metadataBytes: number;
  metadataOps: number;
  totalBytes: number;
  /** Reads at one third, every request at least 4 KiB (EFS MeteredIOBytes). */
  meteredBytes: number;
  /** Whether data I/O bypasses the daemon (then data counters stay at zero). */
  passthrough: boolean;
  passthroughOpens: number;
  /** When the daemon wrote these counters (ISO time), or "" before the first write. */
  time: string;
}

export interface EfsFuseMount {
  pid: number;
  /** The mount point as it appears in /proc/self/mountinfo. */
  target: string;
  stats(): IoCounters;
  /** Stops the daemon (SIGTERM, clean unmount) and makes sure nothing stays mounted. Idempotent. */
  unmount(): Promise<void>;
}
