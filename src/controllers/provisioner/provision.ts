/**
 * Provisioning one claim (level-based: read the caches, converge). A claim handed to this driver
 * by the PV controller, whose class is ours (and, for WaitForFirstConsumer, whose node is chosen),
 * gets CreateVolume "pvc-<claim uid>" and then the PV of that name pre-bound to it; the PV
 * controller completes the binding. A PV of that name already existing means done, so a repeat,
 * a restart or a lost reply never makes a second volume (CreateVolume is idempotent by name too).
 * Failures emit ProvisioningFailed and are retried with exponential backoff by the work queue.
 */
import type { ControllerService } from "../../csi/index.js";
import { isAlreadyExists, type Informer, type ResourceClient } from "../../client/index.js";
import type { Logger } from "../../lib/log.js";
import { TerminalError, type EventRecorder } from "../runtime/index.js";
import { claimClassName, claimKey, claimProblem, createRequest, decideClaim, provisionedVolume, volumeNameFor } from "./decide.js";
import { rpcErrorText } from "./errors.js";
import { Reasons, type PersistentVolume, type PersistentVolumeClaim, type StorageClass } from "./types.js";

export interface ProvisionContext {
  driverName: string;
  /** storage.kubernetes.io/csiProvisionerIdentity of this provisioner instance. */
  identity: string;
  controller: Pick<ControllerService, "createVolume">;
  claims: Informer<PersistentVolumeClaim>;
  volumes: Informer<PersistentVolume>;
  classes: Informer<StorageClass>;
  pvClient: ResourceClient<PersistentVolume>;
  recorder: Pick<EventRecorder, "event">;
  /** PVs this process created that the informer may not show yet. */
  recentlyCreated: RecentSet;
  log: Logger;
}

/** A bounded set of recent names (oldest dropped first). */
export class RecentSet {
  private readonly items = new Set<string>();
  constructor(private readonly max = 10_000) {}
  add(k: string): void {
    this.items.delete(k);
    this.items.add(k);
    if (this.items.size > this.max) this.items.delete(this.items.values().next().value as string);
  }
  has(k: string): boolean {
    return this.items.has(k);
  }
  delete(k: string): void {
    this.items.delete(k);
  }
}

export function asClaim(c: PersistentVolumeClaim): PersistentVolumeClaim {
  return { ...c, apiVersion: "v1", kind: "PersistentVolumeClaim" };
}

export async function reconcileClaim(ctx: ProvisionContext, key: string): Promise<void> {
  const claim = ctx.claims.get(key);
  if (!claim) return;
  const className = claimClassName(claim);
  const cls = className ? ctx.classes.getByName(undefined, className) : undefined;
  const pvName = volumeNameFor(claim);
  const exists = ctx.volumes.getByName(undefined, pvName) !== undefined || ctx.recentlyCreated.has(pvName);
  const decision = decideClaim(claim, cls, exists, ctx.driverName);
  if (decision.action !== "provision" || !cls) return;

  const failed = (msg: string) =>
    ctx.recorder.event(asClaim(claim), "Warning", Reasons.ProvisioningFailed, `failed to provision volume with StorageClass ${JSON.stringify(className)}: ${msg}`);
  let request;
  try {
    const problem = claimProblem(claim);
    if (problem) throw new Error(problem);
    request = createRequest(claim, cls);
  } catch (e) {
    failed((e as Error).message);
    // Nothing changes until the claim or class does, and either change enqueues the claim again.
    throw new TerminalError(`claim ${key}: ${(e as Error).message}`);
  }

  ctx.recorder.event(asClaim(claim), "Normal", Reasons.Provisioning, `External provisioner is provisioning volume for claim ${JSON.stringify(claimKey(claim))}`);
  let volume;
  try {
    volume = (await ctx.controller.createVolume(request)).volume;
  } catch (e) {
    failed(rpcErrorText(e));
    throw e;
  }
  try {
    await ctx.pvClient.create(provisionedVolume(claim, cls, volume, ctx.driverName, ctx.identity));
  } catch (e) {
    // Created before (a retry after a lost reply): the volume and the PV are both there.
    if (!isAlreadyExists(e)) throw e;
  }
  ctx.recentlyCreated.add(pvName);
  ctx.log.debug("provisioned", { claim: key, volume: pvName, volumeId: volume.volumeId });
  ctx.recorder.event(asClaim(claim), "Normal", Reasons.ProvisioningSucceeded, `Successfully provisioned volume ${pvName}`);
}
