/**
 * CSI Controller service: CreateVolume / DeleteVolume (create-volume.ts, delete-volume.ts),
 * ValidateVolumeCapabilities and ControllerGetCapabilities (CREATE_DELETE_VOLUME only). Everything
 * else is Unimplemented, as upstream. Every RPC is counted and timed.
 */
import { capabilityProblem } from "./capabilities.js";
import { createVolume, type CreateVolumeDeps } from "./create-volume.js";
import { deleteVolume, type DeleteVolumeDeps } from "./delete-volume.js";
import { efsFailure, type EfsApi } from "./efs-api.js";
import { parseVolumeHandle } from "./handle.js";
import type { CsiMetrics } from "./metrics.js";
import { csiError, isCsiError, type ControllerService, type ValidateVolumeCapabilitiesRequest, type ValidateVolumeCapabilitiesResponse } from "./spec.js";

export type ControllerDeps = CreateVolumeDeps & DeleteVolumeDeps & { efs: EfsApi; metrics: CsiMetrics };

async function validateVolumeCapabilities(efs: EfsApi, req: ValidateVolumeCapabilitiesRequest): Promise<ValidateVolumeCapabilitiesResponse> {
  if (typeof req.volumeId !== "string" || req.volumeId === "") throw csiError("InvalidArgument", "Volume ID not provided");
  if (!Array.isArray(req.volumeCapabilities) || req.volumeCapabilities.length === 0) throw csiError("InvalidArgument", "Volume capabilities not provided");
  let handle;
  try {
    handle = parseVolumeHandle(req.volumeId);
  } catch (e) {
    throw csiError("NotFound", `Volume not found, err: ${(e as Error).message}`);
  }
  try {
    if (!(await efs.fileSystemExists(handle.fileSystemId))) throw csiError("NotFound", `Volume not found: file system ${handle.fileSystemId} does not exist`);
    if (handle.accessPointId && !(await efs.describeAccessPoint(handle.accessPointId))) {
      throw csiError("NotFound", `Volume not found: access point ${handle.accessPointId} does not exist`);
    }
  } catch (e) {
    if (isCsiError(e)) throw e;
    throw efsFailure(e, "Could not look the volume up");
  }
  const problems = req.volumeCapabilities.map(capabilityProblem).filter((p): p is string => p !== undefined);
  if (problems.length > 0) return { message: `Volume capabilities not supported: ${problems.join("; ")}` };
  return { confirmed: { volumeContext: req.volumeContext, volumeCapabilities: req.volumeCapabilities, parameters: req.parameters } };
}

function unimplemented(metrics: CsiMetrics, op: string): () => Promise<never> {
  return () => metrics.observe(op, async () => {
    throw csiError("Unimplemented", `${op} is not supported by the EFS driver`);
  });
}

export function createControllerService(deps: ControllerDeps): ControllerService {
  const m = deps.metrics;
  return {
    createVolume: (req) => m.observe("CreateVolume", () => createVolume(deps, req)),
    deleteVolume: (req) => m.observe("DeleteVolume", () => deleteVolume(deps, req)),
    validateVolumeCapabilities: (req) => m.observe("ValidateVolumeCapabilities", () => validateVolumeCapabilities(deps.efs, req)),
    controllerGetCapabilities: () => m.observe("ControllerGetCapabilities", async () => ({ capabilities: [{ rpc: { type: "CREATE_DELETE_VOLUME" as const } }] })),
    controllerPublishVolume: unimplemented(m, "ControllerPublishVolume"),
    controllerUnpublishVolume: unimplemented(m, "ControllerUnpublishVolume"),
    listVolumes: unimplemented(m, "ListVolumes"),
    getCapacity: unimplemented(m, "GetCapacity"),
    createSnapshot: unimplemented(m, "CreateSnapshot"),
    deleteSnapshot: unimplemented(m, "DeleteSnapshot"),
    listSnapshots: unimplemented(m, "ListSnapshots"),
    controllerExpandVolume: unimplemented(m, "ControllerExpandVolume"),
    controllerGetVolume: unimplemented(m, "ControllerGetVolume"),
    controllerModifyVolume: unimplemented(m, "ControllerModifyVolume"),
  };
}
