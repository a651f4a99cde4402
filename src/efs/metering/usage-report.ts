/**
 * The usage report behind `cistern efs usage [FS]` (and GET /cistern/v1/usage): per file system its
 * metered size and active client mounts, and per access point the metered size of its root directory
 * subtree (null until the root exists and a walk has seen it). Access point subtrees can nest or overlap,
 * so their sizes do not add up to the file system's.
 */
import type { EfsModel } from "../model/model.js";
import { nameOf } from "../model/validation.js";
import type { FileSystemSize, Meter } from "./meter.js";

export interface AccessPointUsage {
  accessPointId: string;
  name?: string;
  rootDirectory: string;
  meteredBytes: number | null;
}

export interface FileSystemUsage {
  fileSystemId: string;
  name?: string;
  sizeInBytes: FileSystemSize;
  clientConnections: number;
  accessPoints: AccessPointUsage[];
}

export interface UsageReport {
  /** Epoch seconds. */
  generatedAt: number;
  fileSystems: FileSystemUsage[];
}

/** Builds the report from the latest walks; `fsId` (ID or ARN) narrows it to one file system (FileSystemNotFound if unknown). */
export function buildUsageReport(model: EfsModel, meter: Meter, fsId?: string): UsageReport {
  const ids = fsId === undefined ? model.fileSystemIds() : [model.fileSystems.get(fsId).id];
  const connections = model.mounts.connections();
  return {
    generatedAt: Math.floor(Date.now() / 1000),
    fileSystems: ids.map((id) => {
      const fs = model.fileSystems.get(id);
      return {
        fileSystemId: id,
        name: nameOf(fs.tags),
        sizeInBytes: meter.sizeOf(id, fs.creationTime),
        clientConnections: connections.get(id) ?? 0,
        accessPoints: model.accessPointsOf(id).map((ap) => ({
          accessPointId: ap.id,
          name: nameOf(ap.tags),
          rootDirectory: ap.rootPath,
          meteredBytes: meter.rootUsage(id, ap.rootPath) ?? null,
        })),
      };
    }),
  };
}

const UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${UNITS[unit]}`;
}

function age(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  return `${Math.floor(seconds / 3600)}h`;
}

/**
 * A plain-text table: one row per file system followed by its access points, indented. Columns:
 * ID, NAME, ROOT, METERED, CONNECTIONS, MEASURED (how long before the report the size was measured).
 */
export function formatUsage(report: UsageReport): string {
  const rows: string[][] = [["FILE SYSTEM / ACCESS POINT", "NAME", "ROOT", "METERED", "CONNECTIONS", "MEASURED"]];
  for (const fs of report.fileSystems) {
    rows.push([
      fs.fileSystemId,
      fs.name ?? "-",
      "/",
      formatBytes(fs.sizeInBytes.Value),
      String(fs.clientConnections),
      `${age(Math.max(0, report.generatedAt - fs.sizeInBytes.Timestamp))} ago`,
    ]);
    for (const ap of fs.accessPoints) {
      rows.push([`  ${ap.accessPointId}`, ap.name ?? "-", ap.rootDirectory, ap.meteredBytes === null ? "-" : formatBytes(ap.meteredBytes), "", ""]);
    }
  }
  if (report.fileSystems.length === 0) return "No file systems.\n";
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]))).join("  ").trimEnd()).join("\n") + "\n";
}
