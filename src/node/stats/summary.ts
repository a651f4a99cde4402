/**
 * The kubelet Summary API (GET /stats/summary, stats/v1alpha1): the node (CPU, memory, the root dir's file
 * system as both node fs and image fs, process limits) and every pod on it with its containers and volume usage;
 * claim volumes carry pvcRef. Per-container CPU and memory are not measured (runc cgroup stats are not read).
 */
import type { Pod } from "../../api/index.js";
import type { ContainerStatus as RuntimeContainer } from "../runtime/index.js";
import { metaTime } from "../pods/time.js";
import { cpuSample, fsStats, memoryStats, rlimitStats, type CpuSample } from "./node-stats.js";
import type { PodVolumeStats } from "./volume-stats.js";

export interface SummaryInput {
  nodeName: string;
  startTime: Date;
  rootDir: string;
  pods: Pod[];
  containersOf(uid: string): RuntimeContainer[];
  volumes: PodVolumeStats[];
}

export class SummaryBuilder {
  private last: CpuSample | undefined;

  build(i: SummaryInput): Record<string, unknown> {
    const now = new Date();
    const time = metaTime(now) as string;
    const cpu = cpuSample();
    const cpuOut: Record<string, unknown> = { time, usageCoreNanoSeconds: cpu.usageCoreNanoSeconds };
    if (this.last && cpu.at > this.last.at) {
      cpuOut.usageNanoCores = Math.max(0, Math.round(((cpu.usageCoreNanoSeconds - this.last.usageCoreNanoSeconds) * 1000) / (cpu.at - this.last.at)));
    }
    this.last = cpu;
    const fsOut = { time, ...fsStats(i.rootDir) };
    const volumesByUid = new Map(i.volumes.map((v) => [v.uid, v]));
    const pods = i.pods.map((pod) => {
      const uid = pod.metadata.uid ?? "";
      const containers = i.containersOf(uid)
        .filter((c) => c.kind === "container" && c.state === "running")
        .map((c) => ({ name: c.name, startTime: metaTime(c.startedAt) ?? metaTime(c.createdAt) }));
      const volume = (volumesByUid.get(uid)?.volumes ?? []).map((v) => {
        const { abnormal: _a, message: _m, ...rest } = v;
        return rest;
      });
      return {
        podRef: { name: pod.metadata.name, namespace: pod.metadata.namespace, uid },
        startTime: pod.status?.startTime ?? pod.metadata.creationTimestamp,
        containers,
        ...(volume.length ? { volume } : {}),
      };
    });
    return {
      node: {
        nodeName: i.nodeName,
        systemContainers: [],
        startTime: metaTime(i.startTime),
        cpu: cpuOut,
        memory: { time, ...memoryStats() },
        fs: fsOut,
        runtime: { imageFs: fsOut, containerFs: fsOut },
        rlimit: { time, ...rlimitStats() },
      },
      pods,
    };
  }
}
