/**
 * The PV controller's side of dynamic provisioning and of default classes. Cistern has no
 * in-tree volume plugins: every provisioner outside kubernetes.io/ is external (the EFS CSI
 * provisioner), so, as upstream does for an out-of-tree provisioner, the controller only marks
 * the claim with the storage-provisioner annotations and reports ExternalProvisioning; the
 * provisioner creates a PV pre-bound to the claim and the binder finishes the binding.
 */
import {
  ANN_BETA_DEFAULT_CLASS,
  ANN_BETA_STORAGE_PROVISIONER,
  ANN_DEFAULT_CLASS,
  ANN_SELECTED_NODE,
  ANN_STORAGE_PROVISIONER,
  Reasons,
} from "../model/constants.js";
import type { PersistentVolumeClaim, StorageClass } from "../model/types.js";
import { claimClass, claimHasClass, clone, hasAnnotation } from "../model/volume-helpers.js";
import type { Plan } from "./plan.js";
import type { BinderView } from "./view.js";

export function isDefaultClass(sc: StorageClass): boolean {
  const a = sc.metadata.annotations ?? {};
  return a[ANN_DEFAULT_CLASS] === "true" || a[ANN_BETA_DEFAULT_CLASS] === "true";
}

/** Upstream's GetDefaultClass: among default classes, the newest, then the first by name. */
export function pickDefaultClass(classes: readonly StorageClass[]): StorageClass | undefined {
  const defaults = classes.filter(isDefaultClass);
  defaults.sort((a, b) => {
    const ta = Date.parse(a.metadata.creationTimestamp ?? "") || 0;
    const tb = Date.parse(b.metadata.creationTimestamp ?? "") || 0;
    if (ta !== tb) return tb - ta;
    return (a.metadata.name ?? "") < (b.metadata.name ?? "") ? -1 : 1;
  });
  return defaults[0];
}

/**
 * WaitForFirstConsumer applies: the claim's class exists and says so. A claim without a class,
 * or whose class does not exist, binds immediately (upstream's IsDelayBindingMode).
 */
export function isDelayBindingMode(claim: PersistentVolumeClaim, view: Pick<BinderView, "storageClass">): { delay: boolean; error?: string } {
  const name = claimClass(claim);
  if (!name) return { delay: false };
  const sc = view.storageClass(name);
  if (!sc) return { delay: false };
  if (!sc.volumeBindingMode) return { delay: false, error: `VolumeBindingMode not set for StorageClass "${name}"` };
  return { delay: sc.volumeBindingMode === "WaitForFirstConsumer" };
}

/** The scheduler picked a node for a WaitForFirstConsumer claim: provision now. */
export function isDelayBindingProvisioning(claim: PersistentVolumeClaim): boolean {
  return hasAnnotation(claim, ANN_SELECTED_NODE);
}

/**
 * Retroactive default class: a claim that names no class at all gets the default one written
 * into spec.storageClassName. Returns true when it planned that write (the sync ends there).
 */
export function assignDefaultStorageClass(plan: Plan, claim: PersistentVolumeClaim, view: Pick<BinderView, "storageClasses">): boolean {
  if (claimHasClass(claim)) return false;
  const sc = pickDefaultClass(view.storageClasses());
  if (!sc) return false;
  const next = clone(claim);
  next.spec.storageClassName = sc.metadata.name;
  plan.update("PersistentVolumeClaim", next);
  return true;
}

export function externalProvisioningMessage(provisioner: string): string {
  return (
    `Waiting for a volume to be created either by the external provisioner '${provisioner}' ` +
    "or manually by the system administrator. If volume creation is delayed, please verify that " +
    "the provisioner is running and correctly registered."
  );
}

/** How the claim's class would be provisioned, or why it cannot be. */
export function provisionerFor(claim: PersistentVolumeClaim, view: Pick<BinderView, "storageClass">): { provisioner: string; error?: undefined } | { error: string; provisioner?: string } {
  const name = claimClass(claim);
  const sc = view.storageClass(name);
  if (!sc) return { error: `storageclass.storage.k8s.io "${name}" not found` };
  // kubernetes.io/ names belong to in-tree plugins, of which Cistern has none.
  if (sc.provisioner.startsWith("kubernetes.io/")) return { error: `no volume plugin matched name: ${sc.provisioner}`, provisioner: sc.provisioner };
  return { provisioner: sc.provisioner };
}

/** Upstream's provisionClaim for an external provisioner (setClaimProvisioner + event). */
export function provisionClaim(plan: Plan, claim: PersistentVolumeClaim, view: Pick<BinderView, "storageClass">): void {
  const found = provisionerFor(claim, view);
  if (found.error !== undefined) {
    plan.event(claim, "Warning", Reasons.ProvisioningFailed, found.error);
    return;
  }
  const provisioner = found.provisioner;
  let current = claim;
  if (claim.metadata.annotations?.[ANN_STORAGE_PROVISIONER] !== provisioner) {
    const next = clone(claim);
    next.metadata.annotations = { ...(next.metadata.annotations ?? {}), [ANN_BETA_STORAGE_PROVISIONER]: provisioner, [ANN_STORAGE_PROVISIONER]: provisioner };
    current = plan.update("PersistentVolumeClaim", next, { eventType: "Warning", reason: Reasons.ProvisioningFailed, message: "Error saving claim: " });
  }
  plan.event(current, "Normal", Reasons.ExternalProvisioning, externalProvisioningMessage(provisioner));
}
