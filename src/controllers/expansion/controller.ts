/**
 * The expansion controller: drives nextExpansionStep for every claim, one conditional write per
 * reconcile (a conflict re-reads and re-decides). Events as upstream's expand controller
 * ("volume_expand": ExternalExpanding) and external resizer ("external-resizer <driver>":
 * Resizing, VolumeResizeSuccessful).
 */
import type { KubeObject } from "../../api/types.js";
import { isConflict, isNotFound, type InformerFactory, type KubeClient } from "../../client/index.js";
import type { Logger } from "../../lib/log.js";
import { Controller, createEventRecorder, type EventRecorder } from "../runtime/index.js";
import { Reasons } from "../model/constants.js";
import { Resources } from "../model/resources.js";
import type { PersistentVolume, PersistentVolumeClaim } from "../model/types.js";
import { nextExpansionStep } from "./decide.js";

export interface ExpansionOptions {
  client: KubeClient;
  informers: InformerFactory;
  log: Logger;
  workers?: number;
  now?: () => Date;
}

export function expansionController(o: ExpansionOptions): Controller {
  const claims = o.informers.informerFor<PersistentVolumeClaim>(Resources.persistentVolumeClaims);
  const volumes = o.informers.informerFor<PersistentVolume>(Resources.persistentVolumes);
  const claimApi = o.client.resource<PersistentVolumeClaim & KubeObject>(Resources.persistentVolumeClaims);
  const volumeApi = o.client.resource<PersistentVolume & KubeObject>(Resources.persistentVolumes);
  const expandRecorder = createEventRecorder(o.client, { component: "volume_expand" });
  const resizers = new Map<string, EventRecorder>();
  const resizer = (driver: string) => {
    let r = resizers.get(driver);
    if (!r) resizers.set(driver, (r = createEventRecorder(o.client, { component: `external-resizer ${driver}` })));
    return r;
  };
  const now = () => (o.now?.() ?? new Date()).toISOString().replace(/\.\d+Z$/, "Z");
  const ctl = new Controller({
    name: "volume-expansion",
    workers: o.workers ?? 4,
    log: o.log,
    reconcile: async (key) => {
      const i = key.indexOf("/");
      const claim = claims.getByName(key.slice(0, i), key.slice(i + 1));
      if (!claim) return;
      const volume = claim.spec.volumeName ? volumes.getByName(undefined, claim.spec.volumeName) : undefined;
      const step = nextExpansionStep(claim, volume, now());
      const driver = volume?.spec.csi?.driver ?? "cistern";
      try {
        if (step.step === "mark-in-progress") {
          expandRecorder.event(claim, "Warning", Reasons.ExternalExpanding, "Ignoring the PVC: didn't find a plugin capable of expanding the volume; waiting for an external controller to process this PVC.");
          await claimApi.updateStatus(step.claim);
          resizer(driver).event(claim, "Normal", Reasons.Resizing, `External resizer is resizing volume ${volume?.metadata.name}`);
        } else if (step.step === "grow-volume") {
          await volumeApi.update(step.volume);
        } else if (step.step === "finish") {
          await claimApi.updateStatus(step.claim);
          resizer(driver).event(claim, "Normal", Reasons.VolumeResizeSuccessful, "Resize volume succeeded");
        }
      } catch (err) {
        if (isConflict(err) || isNotFound(err)) return { requeue: true };
        throw err;
      }
    },
  });
  ctl.watch(claims);
  // A volume's change (its capacity) continues the resize of its claim.
  ctl.watch(volumes, (pv) => (pv.spec.claimRef?.name ? `${pv.spec.claimRef.namespace}/${pv.spec.claimRef.name}` : undefined));
  return ctl;
}
