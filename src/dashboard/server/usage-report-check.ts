/**
 * Checks the EFS usage report's shape before it is kept and served: the dashboard draws what it
 * holds, so a malformed report is refused whole rather than half-drawn.
 */
import type { EfsAccessPointUsage, EfsFileSystemUsage, EfsUsageReport } from "../model/usage-types.js";

const isCount = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v) && v >= 0;
const optionalString = (v: unknown): v is string | undefined => v === undefined || typeof v === "string";

function fail(what: string): never {
  throw new Error(`malformed EFS usage report: ${what}`);
}

function checkAccessPoint(a: unknown, where: string): EfsAccessPointUsage {
  const ap = a as Partial<EfsAccessPointUsage>;
  if (!ap || typeof ap.accessPointId !== "string" || typeof ap.rootDirectory !== "string" || !optionalString(ap.name)) fail(where);
  if (ap.meteredBytes !== null && !isCount(ap.meteredBytes)) fail(`${where}.meteredBytes`);
  return { accessPointId: ap.accessPointId, rootDirectory: ap.rootDirectory, meteredBytes: ap.meteredBytes ?? null, ...(ap.name ? { name: ap.name } : {}) };
}

function checkFileSystem(f: unknown, i: number): EfsFileSystemUsage {
  const fs = f as Partial<EfsFileSystemUsage>;
  const where = `fileSystems[${i}]`;
  if (!fs || typeof fs.fileSystemId !== "string" || !optionalString(fs.name)) fail(where);
  if (!fs.sizeInBytes || !isCount(fs.sizeInBytes.Value)) fail(`${where}.sizeInBytes`);
  if (!isCount(fs.clientConnections)) fail(`${where}.clientConnections`);
  if (!Array.isArray(fs.accessPoints)) fail(`${where}.accessPoints`);
  return {
    fileSystemId: fs.fileSystemId,
    ...(fs.name ? { name: fs.name } : {}),
    sizeInBytes: { Value: fs.sizeInBytes.Value, ...(isCount(fs.sizeInBytes.Timestamp) ? { Timestamp: fs.sizeInBytes.Timestamp } : {}) },
    clientConnections: fs.clientConnections,
    accessPoints: fs.accessPoints.map((a, j) => checkAccessPoint(a, `${where}.accessPoints[${j}]`)),
  };
}

/** The report with only the fields the dashboard uses; throws naming the first bad field. */
export function checkUsageReport(x: unknown): EfsUsageReport {
  const r = x as Partial<EfsUsageReport>;
  if (!r || typeof r !== "object" || !isCount(r.generatedAt) || !Array.isArray(r.fileSystems)) fail("not a report");
  return { generatedAt: r.generatedAt, fileSystems: r.fileSystems.map(checkFileSystem) };
}
