/**
 * Deleting one volume we provisioned. A Released PV with reclaim policy Delete and our
 * provisioned-by annotation: DeleteVolume, then remove our finalizer, then delete the PV object.
 * Before the irreversible DeleteVolume the PV and its claim are re-read from the API server, so a
 * stale cache (kubernetes#105131) or a policy just patched to Retain never destroys data. On
 * failure the PV keeps the finalizer, a VolumeFailedDelete event says why, and the work queue
 * retries with backoff. Retain never calls DeleteVolume; a PV whose policy became Retain only
 * loses our finalizer.
 */
import type { ControllerService } from "../../csi/index.js";
import { isConflict, isNotFound, type Informer, type ResourceClient } from "../../client/index.js";
import type { Logger } from "../../lib/log.js";
import { removeFinalizer, type EventRecorder } from "../runtime/index.js";
import { decideVolume } from "./decide.js";
import { rpcErrorText } from "./errors.js";
import { FINALIZER_EXTERNAL_PROVISIONER, Reasons, type PersistentVolume, type PersistentVolumeClaim } from "./types.js";

export interface DeleteContext {
  driverName: string;
  controller: Pick<ControllerService, "deleteVolume">;
  volumes: Informer<PersistentVolume>;
  pvClient: ResourceClient<PersistentVolume>;
  pvcClient: ResourceClient<PersistentVolumeClaim>;
  recorder: Pick<EventRecorder, "event">;
  log: Logger;
}

async function getOrNull<T extends PersistentVolume | PersistentVolumeClaim>(client: ResourceClient<T>, namespace: string | undefined, name: string): Promise<T | null> {
  try {
    return await client.get(namespace, name);
  } catch (e) {
    if (isNotFound(e)) return null;
    throw e;
  }
}

export async function reconcileVolume(ctx: DeleteContext, name: string): Promise<void> {
  const cached = ctx.volumes.getByName(undefined, name);
  if (!cached || decideVolume(cached, ctx.driverName).action === "ignore") return;

  const pv = await getOrNull(ctx.pvClient, undefined, name);
  if (!pv) return;
  const ref = pv.spec.claimRef;
  const claim = ref?.name ? await getOrNull(ctx.pvcClient, ref.namespace, ref.name) : null;
  const decision = decideVolume(pv, ctx.driverName, claim);
  if (decision.action === "ignore") return;
  if (decision.action === "drop-finalizer") {
    await removeFinalizer(ctx.pvClient, pv, FINALIZER_EXTERNAL_PROVISIONER);
    return;
  }

  const volumeId = pv.spec.csi!.volumeHandle;
  try {
    await ctx.controller.deleteVolume({ volumeId });
  } catch (e) {
    ctx.recorder.event({ ...pv, apiVersion: "v1", kind: "PersistentVolume" }, "Warning", Reasons.VolumeFailedDelete, rpcErrorText(e));
    throw e;
  }
  ctx.log.debug("volume deleted", { volume: name, volumeId });
  const after = await removeFinalizer(ctx.pvClient, pv, FINALIZER_EXTERNAL_PROVISIONER);
  if (!after) return;
  try {
    await ctx.pvClient.delete(undefined, name, { preconditions: { uid: pv.metadata.uid } });
  } catch (e) {
    // Gone already, or the name now belongs to a new PV (uid precondition): not ours to delete.
    if (!isNotFound(e) && !isConflict(e)) throw e;
  }
}
