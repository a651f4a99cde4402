/**
 * Usage of the volumes this node has mounted, per pod: claims through the CSI driver's NodeGetVolumeStats (bytes
 * and inodes of the EFS directory, and the mount's condition), emptyDirs by walking them (capacity from their
 * file system). Results are cached briefly so a burst of scrapes walks once.
 */
import type { EfsCsiDriver } from "../../csi/index.js";
import type { Logger } from "../../lib/log.js";
import { metaTime } from "../pods/time.js";
import type { VolumeManager } from "../volumes/volume-manager.js";
import { dirUsage } from "./dir-usage.js";
import { fsStats } from "./node-stats.js";

export interface VolumeStat {
  name: string;
  pvcRef?: { name: string; namespace: string };
  time: string;
  availableBytes: number;
  capacityBytes: number;
  usedBytes: number;
  inodesFree: number;
  inodes: number;
  inodesUsed: number;
  /** CSI volume condition: abnormal with a message when the mount does not answer. */
  abnormal?: boolean;
  message?: string;
}

export interface PodVolumeStats {
  uid: string;
  namespace: string;
  name: string;
  volumes: VolumeStat[];
}

export class VolumeStatsCollector {
  private cached: { at: number; data: Promise<PodVolumeStats[]> } | undefined;

  constructor(
    private readonly volumes: VolumeManager,
    private readonly csi: EfsCsiDriver,
    private readonly log: Logger,
    private readonly cacheMs = 5_000,
  ) {}

  collect(): Promise<PodVolumeStats[]> {
    const now = Date.now();
    if (this.cached && now - this.cached.at < this.cacheMs) return this.cached.data;
    const data = this.gather();
    this.cached = { at: now, data };
    data.catch(() => (this.cached = undefined));
    return data;
  }

  private async gather(): Promise<PodVolumeStats[]> {
    const out: PodVolumeStats[] = [];
    for (const rec of this.volumes.records()) {
      const stats: VolumeStat[] = [];
      for (const v of rec.volumes) {
        const time = metaTime(new Date()) as string;
        try {
          if (v.csi) {
            const r = await this.csi.node.nodeGetVolumeStats({ volumeId: v.csi.volumeHandle, volumePath: v.csi.hostPath });
            const bytes = r.usage.find((u) => u.unit === "BYTES");
            const inodes = r.usage.find((u) => u.unit === "INODES");
            stats.push({
              name: v.name,
              pvcRef: { name: v.csi.claimName, namespace: rec.namespace },
              time,
              availableBytes: bytes?.available ?? 0,
              capacityBytes: bytes?.total ?? 0,
              usedBytes: bytes?.used ?? 0,
              inodesFree: inodes?.available ?? 0,
              inodes: inodes?.total ?? 0,
              inodesUsed: inodes?.used ?? 0,
              ...(r.volumeCondition ? { abnormal: r.volumeCondition.abnormal, message: r.volumeCondition.message } : {}),
            });
          } else if (v.plugin === "kubernetes.io~empty-dir") {
            const fsInfo = fsStats(v.host.hostPath);
            const used = await dirUsage(v.host.hostPath);
            stats.push({
              name: v.name,
              time,
              availableBytes: fsInfo.availableBytes,
              capacityBytes: fsInfo.capacityBytes,
              usedBytes: used.bytes,
              inodesFree: fsInfo.inodesFree,
              inodes: fsInfo.inodes,
              inodesUsed: used.inodes,
            });
          }
        } catch (err) {
          this.log.debug("volume stats unavailable", { pod: `${rec.namespace}/${rec.podName}`, volume: v.name, err });
        }
      }
      out.push({ uid: rec.uid, namespace: rec.namespace, name: rec.podName, volumes: stats });
    }
    return out;
  }
}
