/** `cistern explain pv`: why a volume is in its phase, what holds it, and how to reuse or free it. */
import { deleterFor } from "../binder/reclaim.js";
import { shortAccessModes } from "../model/access-modes.js";
import { ANN_BOUND_BY_CONTROLLER, ANN_DYNAMICALLY_PROVISIONED, FINALIZER_EXTERNAL_PROVISIONER, FINALIZER_PV_PROTECTION } from "../model/constants.js";
import { hasAnnotation, volumeClass } from "../model/volume-helpers.js";
import { eventLines } from "./events.js";
import { Fix } from "./fixes.js";
import type { Cause, Explanation } from "./report.js";
import { eventsFor, findClaim, type ExplainSnapshot } from "./snapshot.js";

export function explainVolume(s: ExplainSnapshot, name: string): Explanation {
  const pv = s.volumes.find((v) => v.metadata.name === name);
  const base = { kind: "PersistentVolume" as const, name };
  if (!pv) return { ...base, found: false, summary: `persistentvolume "${name}" not found`, facts: [], causes: [], events: [] };
  const phase = pv.status?.phase || "Pending";
  const ref = pv.spec.claimRef;
  const claimName = ref ? `${ref.namespace}/${ref.name}` : undefined;
  const claim = ref ? findClaim(s, ref.namespace ?? "", ref.name ?? "") : undefined;
  const policy = pv.spec.persistentVolumeReclaimPolicy ?? "Retain";
  const facts: [string, string][] = [
    ["Status", phase],
    ["Claim", claimName ? `${claimName}${ref?.uid ? ` (uid ${ref.uid})` : " (pre-bound by name)"}` : "<none>"],
    ["Reclaim policy", policy],
    ["StorageClass", `"${volumeClass(pv)}"`],
    ["Capacity", pv.spec.capacity?.storage ?? "<none>"],
    ["Access modes", shortAccessModes(pv.spec.accessModes)],
    ["Volume mode", pv.spec.volumeMode ?? "Filesystem"],
    ["Bound by", hasAnnotation(pv, ANN_BOUND_BY_CONTROLLER) ? "the controller" : ref ? "the user (pre-bound)" : "-"],
  ];
  if (pv.metadata.annotations?.[ANN_DYNAMICALLY_PROVISIONED]) facts.push(["Provisioned by", pv.metadata.annotations[ANN_DYNAMICALLY_PROVISIONED]]);
  if (pv.status?.message) facts.push(["Message", pv.status.message]);
  if ((pv.metadata.finalizers ?? []).length) facts.push(["Finalizers", (pv.metadata.finalizers ?? []).join(", ")]);
  const causes: Cause[] = [];
  let summary: string;
  switch (phase) {
    case "Available":
      summary = ref ? `Available, reserved for claim ${claimName} (pre-bound by name)` : "Available: no claim has taken it yet";
      break;
    case "Bound":
      summary = claim ? `Bound to ${claimName}` : `Bound to ${claimName}, which no longer exists (the controller releases it on its next sync)`;
      break;
    case "Released": {
      summary = `Released: its claim ${claimName} was deleted; reclaim policy ${policy}`;
      if (policy === "Retain") {
        causes.push({ id: "retained", message: "the data is kept and the volume is not reused until its claimRef is removed (remove it to make the volume Available again)", fixes: [Fix.releaseVolume(name)] });
      } else if (policy === "Delete") {
        const d = deleterFor(pv);
        causes.push(d.external ? { id: "awaiting-deletion", message: `waiting for the provisioner ${pv.metadata.annotations?.[ANN_DYNAMICALLY_PROVISIONED] ?? pv.spec.csi?.driver ?? ""} to delete the storage and the volume`, fixes: [Fix.describe("pv", undefined, name)] } : { id: "no-deleter", message: d.error, fixes: [Fix.releaseVolume(name)] });
      }
      break;
    }
    case "Failed":
      summary = `Failed: ${pv.status?.message ?? "reclaim failed"}`;
      causes.push({ id: "reclaim-failed", message: `reclaiming under policy ${policy} failed: ${pv.status?.message ?? ""}. Keep the data: set the policy to Retain and remove the claimRef; or delete the volume`, fixes: [`kubectl patch pv ${name} --type merge -p '{"spec":{"persistentVolumeReclaimPolicy":"Retain"}}'`, Fix.releaseVolume(name), `kubectl delete pv ${name}`] });
      break;
    default:
      summary = "Pending: the controller has not processed it yet";
  }
  if (pv.metadata.deletionTimestamp) {
    const holders = (pv.metadata.finalizers ?? []).map((f) =>
      f === FINALIZER_PV_PROTECTION ? `${f} (kept while Bound${phase === "Bound" ? `: delete claim ${claimName} first` : ""})` : f === FINALIZER_EXTERNAL_PROVISIONER ? `${f} (the provisioner removes it once the storage is deleted)` : f,
    );
    summary = `being deleted; held by ${holders.join(", ") || "nothing"}`;
    if (phase === "Bound" && claimName) causes.unshift({ id: "in-use", message: `a Bound volume is not removed: its claim ${claimName} must go first`, fixes: [`kubectl delete pvc ${ref?.name} -n ${ref?.namespace}`] });
  }
  return { ...base, found: true, phase, summary, facts, causes, events: eventLines(eventsFor(s, "PersistentVolume", undefined, name, pv.metadata.uid)) };
}
