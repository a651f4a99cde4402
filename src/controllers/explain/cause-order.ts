/**
 * The order `cistern explain pvc` reports a Pending claim's causes in: the most specific and actionable
 * first, since the first one is the summary ("Why:") and the one people act on.
 *   1. WaitForFirstConsumer: nothing is wrong yet, the claim waits for a pod by design.
 *   2. The claim's StorageClass does not exist: nothing will ever be provisioned, whatever the volumes.
 *   3. An external provisioner is (or will be) creating a volume: that is where the claim goes next.
 *   4. A Released volume of the claim's own class that would match but for its old claimRef.
 *   5. Volumes of the claim's own class that miss by one fixable rule (size, access modes, selector, volumeMode).
 *   6. Nothing matches and nothing provisions (generic).
 *   7. Volumes of another class that would match: the least telling, a volume of another class is rarely the one meant.
 */
import type { Cause } from "./report.js";

const RANK: Record<string, number> = {
  "wait-for-first-consumer": 1,
  "storage-class-missing": 2,
  "external-provisioning": 3,
  "released-volume": 4,
  size: 5,
  "access-mode": 5,
  selector: 5,
  "volume-mode": 5,
  "no-provisioner": 6,
  "no-volume": 6,
  "storage-class": 7,
};

/** Causes by rank; ties keep the order they were found in (Array.prototype.sort is stable). */
export function orderClaimCauses(causes: Cause[]): Cause[] {
  return [...causes].sort((a, b) => (RANK[a.id] ?? 6) - (RANK[b.id] ?? 6));
}
