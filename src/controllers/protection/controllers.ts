/**
 * The pvc-protection and pv-protection controllers: level-based reconcilers that apply the rules
 * in decide.ts with the runtime's finalizer helpers (conditional updates, re-read on conflict).
 * Before releasing a claim the pods are listed live from the API server, as upstream does, so a
 * pod the informer has not delivered yet still protects its claim.
 */
import type { KubeObject } from "../../api/types.js";
import type { Informer, InformerFactory, KubeClient } from "../../client/index.js";
import type { Logger } from "../../lib/log.js";
import { Controller, ensureFinalizer, removeFinalizer } from "../runtime/index.js";
import { FINALIZER_PV_PROTECTION, FINALIZER_PVC_PROTECTION } from "../model/constants.js";
import { Resources } from "../model/resources.js";
import type { PersistentVolume, PersistentVolumeClaim, Pod } from "../model/types.js";
import { podClaimKeys } from "../model/volume-helpers.js";
import { POD_CLAIMS_INDEX, ensurePodClaimsIndex } from "../shared/pod-claims-index.js";
import { pvProtectionAction, pvcProtectionAction } from "./decide.js";

export interface ProtectionOptions {
  client: KubeClient;
  informers: InformerFactory;
  log: Logger;
  workers?: number;
}

function splitKey(key: string): [string, string] {
  const i = key.indexOf("/");
  return [key.slice(0, i), key.slice(i + 1)];
}

export function pvcProtectionController(o: ProtectionOptions): Controller {
  const claims = o.informers.informerFor<PersistentVolumeClaim>(Resources.persistentVolumeClaims);
  const pods = o.informers.informerFor<Pod>(Resources.pods);
  ensurePodClaimsIndex(pods);
  const api = o.client.resource<PersistentVolumeClaim & KubeObject>(Resources.persistentVolumeClaims);
  const podApi = o.client.resource<Pod & KubeObject>(Resources.pods);
  const ctl = new Controller({
    name: "pvc-protection",
    workers: o.workers ?? 4,
    log: o.log,
    reconcile: async (key) => {
      const [ns, name] = splitKey(key);
      const claim = claims.getByName(ns, name);
      if (!claim) return;
      let action = pvcProtectionAction(claim, pods.byIndex(POD_CLAIMS_INDEX, key));
      if (action === "remove") action = pvcProtectionAction(claim, (await podApi.list(ns)).items);
      if (action === "add") await ensureFinalizer(api, claim, FINALIZER_PVC_PROTECTION);
      if (action === "remove") await removeFinalizer(api, claim, FINALIZER_PVC_PROTECTION);
    },
  });
  ctl.watch(claims);
  // A pod going away (or finishing) may release the claims it mounted.
  ctl.watch(pods as Informer<Pod>, (p) => podClaimKeys(p));
  return ctl;
}

export function pvProtectionController(o: ProtectionOptions): Controller {
  const volumes = o.informers.informerFor<PersistentVolume>(Resources.persistentVolumes);
  const api = o.client.resource<PersistentVolume & KubeObject>(Resources.persistentVolumes);
  const ctl = new Controller({
    name: "pv-protection",
    workers: o.workers ?? 4,
    log: o.log,
    reconcile: async (key) => {
      const pv = volumes.get(key);
      if (!pv) return;
      const action = pvProtectionAction(pv);
      if (action === "add") await ensureFinalizer(api, pv, FINALIZER_PV_PROTECTION);
      if (action === "remove") await removeFinalizer(api, pv, FINALIZER_PV_PROTECTION);
    },
  });
  ctl.watch(volumes);
  return ctl;
}
