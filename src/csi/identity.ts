/**
 * CSI Identity service: the plugin's name (efs.csi.aws.com, what CSIDriver objects, PV sources and
 * StorageClass provisioners refer to), its capabilities (a controller service; no topology, since
 * every node of a Cistern reaches every file system) and readiness.
 */
import { DRIVER_NAME } from "./ids.js";
import type { CsiMetrics } from "./metrics.js";
import type { IdentityService } from "./spec.js";

export const VENDOR_VERSION = "cistern-0.1.0";

export function createIdentityService(metrics: CsiMetrics, ready: () => Promise<boolean> = async () => true): IdentityService {
  return {
    getPluginInfo: () => metrics.observe("GetPluginInfo", async () => ({ name: DRIVER_NAME, vendorVersion: VENDOR_VERSION })),
    getPluginCapabilities: () => metrics.observe("GetPluginCapabilities", async () => ({ capabilities: [{ service: { type: "CONTROLLER_SERVICE" as const } }] })),
    probe: () => metrics.observe("Probe", async () => ({ ready: await ready() })),
  };
}
