/**
 * The "volumes by usage" list: every PersistentVolume with the best figure for how much data it
 * holds, largest first, and whether releasing it would delete that data.
 *
 * Which figure: an access point's metered size when the volume goes through one; the file
 * system's metered size when the volume is a whole file system; otherwise what a node reports for
 * the bound claim (a subdirectory is not metered on its own). Volumes with no figure sort last.
 * Reclaim policy Delete means the provisioner deletes the volume's storage once its claim is gone
 * (for EFS: the access point, and its directory when the class asks for it).
 */
import type { ClusterState } from "./cluster-state.js";
import type { ClaimUsage } from "./node-stats.js";
import type { EfsUsageReport } from "./usage-types.js";
import { efsLocationOf } from "./volume-handle.js";

export type UsageSource = "access point" | "file system" | "node" | "none";

export interface VolumeUsageRow {
  volume: string;
  phase: string;
  /** "namespace/name" of the claim it is bound or reserved to. */
  claim?: string;
  /** The claim named by claimRef no longer exists (the volume was released). */
  claimGone: boolean;
  capacity?: string;
  reclaimPolicy: string;
  usedBytes: number | null;
  source: UsageSource;
  /** Releasing the claim would delete the data (reclaim policy Delete). */
  deletesData: boolean;
}

export function volumeUsageRows(state: ClusterState, report: EfsUsageReport | undefined, byClaim: ReadonlyMap<string, ClaimUsage>): VolumeUsageRow[] {
  const fsSize = new Map<string, number>();
  const apSize = new Map<string, number | null>();
  for (const fs of report?.fileSystems ?? []) {
    fsSize.set(fs.fileSystemId, fs.sizeInBytes.Value);
    for (const ap of fs.accessPoints) apSize.set(ap.accessPointId, ap.meteredBytes);
  }
  const rows: VolumeUsageRow[] = [];
  for (const pv of state.persistentvolumes.values()) {
    const ref = pv.spec?.claimRef;
    const claim = ref?.name ? `${ref.namespace ?? ""}/${ref.name}` : undefined;
    const loc = efsLocationOf(pv);
    let usedBytes: number | null = null;
    let source: UsageSource = "none";
    if (loc?.accessPointId && loc.subPath === "/" && typeof apSize.get(loc.accessPointId) === "number") {
      usedBytes = apSize.get(loc.accessPointId)!;
      source = "access point";
    } else if (loc && !loc.accessPointId && loc.subPath === "/" && fsSize.has(loc.fileSystemId)) {
      usedBytes = fsSize.get(loc.fileSystemId)!;
      source = "file system";
    } else if (claim && byClaim.has(claim)) {
      usedBytes = byClaim.get(claim)!.usedBytes;
      source = "node";
    }
    const reclaimPolicy = pv.spec?.persistentVolumeReclaimPolicy ?? "Retain";
    rows.push({
      volume: pv.metadata.name ?? "",
      phase: pv.status?.phase ?? "Pending",
      claim,
      claimGone: !!claim && !state.persistentvolumeclaims.has(claim),
      capacity: pv.spec?.capacity?.storage,
      reclaimPolicy,
      usedBytes,
      source,
      deletesData: reclaimPolicy === "Delete",
    });
  }
  return rows.sort((a, b) => (b.usedBytes ?? -1) - (a.usedBytes ?? -1) || (a.volume < b.volume ? -1 : a.volume > b.volume ? 1 : 0));
}
