/**
 * The node's Prometheus metrics (GET /metrics), in its own registry so several agents can share a process:
 * kubelet_volume_stats_{capacity,available,used}_bytes and kubelet_volume_stats_inodes{,_free,_used} per claim
 * (labels namespace, persistentvolumeclaim), kubelet_volume_stats_health_status_abnormal, and
 * kubelet_node_name / kubelet_running_pods / kubelet_running_containers. Volume figures are read at scrape time.
 * The node's /metrics also carries its CSI driver's efs_csi_operation* metrics (appended by the agent).
 */
import { Gauge, Registry } from "prom-client";
import type { PodVolumeStats, VolumeStat } from "./volume-stats.js";

export interface MetricsSources {
  nodeName: string;
  volumes(): Promise<PodVolumeStats[]>;
  runningPods(): number;
  containerStates(): Record<string, number>;
}

export function createNodeMetrics(src: MetricsSources): Registry {
  const registry = new Registry();
  const labels = ["namespace", "persistentvolumeclaim"] as const;
  const volumeGauges: [string, string, (v: VolumeStat) => number][] = [
    ["kubelet_volume_stats_capacity_bytes", "Capacity in bytes of the volume", (v) => v.capacityBytes],
    ["kubelet_volume_stats_available_bytes", "Number of available bytes in the volume", (v) => v.availableBytes],
    ["kubelet_volume_stats_used_bytes", "Number of used bytes in the volume", (v) => v.usedBytes],
    ["kubelet_volume_stats_inodes", "Maximum number of inodes in the volume", (v) => v.inodes],
    ["kubelet_volume_stats_inodes_free", "Number of free inodes in the volume", (v) => v.inodesFree],
    ["kubelet_volume_stats_inodes_used", "Number of used inodes in the volume", (v) => v.inodesUsed],
    ["kubelet_volume_stats_health_status_abnormal", "Abnormal volume health status. The count is either 1 or 0. 1 indicates the volume is unhealthy, 0 indicates volume is healthy", (v) => (v.abnormal ? 1 : 0)],
  ];
  for (const [name, help, value] of volumeGauges) {
    new Gauge({
      name,
      help,
      labelNames: labels,
      registers: [registry],
      async collect() {
        this.reset();
        for (const pod of await src.volumes()) {
          for (const v of pod.volumes) if (v.pvcRef) this.set({ namespace: v.pvcRef.namespace, persistentvolumeclaim: v.pvcRef.name }, value(v));
        }
      },
    });
  }
  new Gauge({ name: "kubelet_node_name", help: "The node's name. The count is always 1.", labelNames: ["node"], registers: [registry] }).set({ node: src.nodeName }, 1);
  new Gauge({
    name: "kubelet_running_pods",
    help: "Number of pods that have a running pod sandbox",
    registers: [registry],
    collect() {
      this.set(src.runningPods());
    },
  });
  new Gauge({
    name: "kubelet_running_containers",
    help: "Number of containers currently running",
    labelNames: ["container_state"],
    registers: [registry],
    collect() {
      this.reset();
      for (const [state, n] of Object.entries(src.containerStates())) this.set({ container_state: state }, n);
    },
  });
  return registry;
}
