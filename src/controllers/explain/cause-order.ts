/**
 * The order `cistern explain pvc` reports a Pending claim's causes in: the most specific and actionable
 * first, since the first one is the summary ("Why:") and the one people act on.
 *   1. WaitForFirstConsumer: nothing is wrong yet, the claim waits for a pod by design.
 *   2. An external provisioner is (or will be) creating a volume: that is where the claim goes next.
 *   3. Volumes of the claim's own class that miss by one fixable rule (size, access modes, selector,
 *      volumeMode). They come before a missing StorageClass because a class name without a StorageClass
 *      object is a legitimate way to pair static volumes with claims ("manual"): such a volume is the one meant.
 *   4. The claim's StorageClass does not exist: nothing will ever be provisioned.
 *   5. A Released volume of the claim's own class that would match but for its old claimRef: kept on purpose,
 *      so handing it to another claim is a decision, not a fix.
 *   6. Nothing matches and nothing provisions (generic).
 *   7. Volumes of another class that would match: the least telling, a volume of another class is rarely the one meant.
 */
import type { Cause } from "./report.js";

const RANK: Record<string, number> = {
  "wait-for-first-consumer": 1,
  "external-provisioning": 2,
  size: 3,
  "access-mode": 3,
  selector: 3,
  "volume-mode": 3,
  "storage-class-missing": 4,
  "released-volume": 5,
  "no-provisioner": 6,
  "no-volume": 6,
  "storage-class": 7,
};

/** Causes by rank; ties keep the order they were found in (Array.prototype.sort is stable). */
export function orderClaimCauses(causes: Cause[]): Cause[] {
  return [...causes].sort((a, b) => (RANK[a.id] ?? 6) - (RANK[b.id] ?? 6));
}
