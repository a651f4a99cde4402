/** The pod → "namespace/claim" index several controllers share on one pod informer. */
import type { Informer } from "../../client/index.js";
import type { Pod } from "../model/types.js";
import { podClaimKeys } from "../model/volume-helpers.js";

export const POD_CLAIMS_INDEX = "claims";

/** Add the index unless another controller already did (indexers are per shared informer). */
export function ensurePodClaimsIndex(informer: Informer<Pod>): void {
  try {
    informer.addIndexer(POD_CLAIMS_INDEX, (p) => podClaimKeys(p));
  } catch (err) {
    if (!/already exists/.test((err as Error).message)) throw err;
  }
}
