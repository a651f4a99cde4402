/**
 * The wire shapes of the dashboard's EFS endpoints (/ui/api/efs/*), shared by the server that
 * samples the EFS service and the browser that plots the samples.
 */

/** The EFS service's usage report (GET /cistern/v1/usage), as far as the dashboard reads it. */
export interface EfsUsageReport {
  /** Epoch seconds. */
  generatedAt: number;
  fileSystems: EfsFileSystemUsage[];
}

export interface EfsFileSystemUsage {
  fileSystemId: string;
  name?: string;
  sizeInBytes: { Value: number; Timestamp?: number };
  clientConnections: number;
  accessPoints: EfsAccessPointUsage[];
}

export interface EfsAccessPointUsage {
  accessPointId: string;
  name?: string;
  rootDirectory: string;
  /** null until the root exists and a metering walk has seen it. */
  meteredBytes: number | null;
}

/** Cumulative client I/O of one file system, as the EFS service's Prometheus counters report it. */
export interface IoCounters {
  readBytes: number;
  writeBytes: number;
  metadataBytes: number;
  readOps: number;
  writeOps: number;
  metadataOps: number;
}

export interface UsageSample {
  /** Epoch milliseconds when the sample was taken. */
  t: number;
  fileSystems: Record<string, { size: number; connections: number; io?: IoCounters }>;
  accessPoints: Record<string, { fileSystemId: string; bytes: number | null }>;
}

/** GET /ui/api/efs/history[?since=T]: samples newer than `since`, oldest first. */
export interface UsageHistory {
  intervalMs: number;
  /** How many samples the server keeps (the plots' window is capacity × interval). */
  capacity: number;
  samples: UsageSample[];
  /** The latest report, to draw file systems and access points even before a second sample. */
  report?: EfsUsageReport;
  /** Why the last sample failed, when it did (the plots then show a gap). */
  lastError?: string;
}
