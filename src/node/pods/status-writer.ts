/**
 * Writes pod status through the status subresource: a JSON merge patch guarded by the resourceVersion of the pod
 * the status was computed from. The status is always computed *from the pod it is written over* — the caller
 * passes a function, not a finished status — because everything the node keeps rather than decides (other
 * components' conditions, PodScheduled, unchanged conditions' transition times, startTime) must come from that
 * very version: a status computed from an older copy and written over a newer one puts the older copy's values
 * back, and the next sync (seeing the newer values again) writes them back again, forever.
 *
 *   - The base is the newest copy known: the informer's, or the object our own last write returned (the informer
 *     lags behind our writes).
 *   - Nothing is written when the computed status equals the base's (null and absent alike: the API drops nulls),
 *     or equals our own last write and the base is that write's result.
 *   - A conflict re-reads the pod, waits a growing, jittered delay and computes again; a pod replaced by a
 *     namesake (another uid) is never written; after a few conflicts the error goes to the caller (whose work
 *     queue retries with its own back-off).
 *   - Fields the node owned before and no longer sets are cleared with null.
 */
import type { Pod, PodStatus } from "../../api/index.js";
import { compareResourceVersions, isConflict, isNotFound, type ResourceClient } from "../../client/index.js";

const OWNED: (keyof PodStatus)[] = ["phase", "conditions", "hostIP", "hostIPs", "podIP", "podIPs", "startTime", "initContainerStatuses", "containerStatuses", "qosClass", "reason", "message"];

/** Conflicts retried before giving up; the delay before retry n is ~base·2ⁿ. */
const CONFLICT_RETRIES = 4;
const CONFLICT_BASE_DELAY_MS = 50;

/** A canonical JSON form: keys sorted, members that are undefined or null left out (absent and null mean the same to the API). */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined && o[k] !== null)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v);
}

/** Whether the fields the node owns are the same in both (timestamps included: preserved ones are equal anyway). */
export function sameStatus(a: PodStatus | undefined, b: PodStatus | undefined): boolean {
  const pick = (s: PodStatus | undefined) => Object.fromEntries(OWNED.map((k) => [k, s?.[k]]));
  return canonical(pick(a)) === canonical(pick(b));
}

function isNewer(a: Pod, b: Pod): boolean {
  return (compareResourceVersions(a.metadata.resourceVersion, b.metadata.resourceVersion) ?? 0) > 0;
}

export interface StatusWriterOptions {
  /** How to wait between conflict retries (tests pass one that does not sleep). */
  sleep?: (ms: number) => Promise<void>;
}

export class StatusWriter {
  /** Per pod uid: the object our last write returned and the status we sent. */
  private readonly last = new Map<string, { pod: Pod; status: string }>();
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly pods: ResourceClient<Pod>,
    opts: StatusWriterOptions = {},
  ) {
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /**
   * Computes the status from the newest copy of `pod` known and writes it if it changed. Returns whether a write
   * was made. NotFound (the pod is gone) and a replaced pod are not errors.
   */
  async write(pod: Pod, generate: (base: Pod) => PodStatus): Promise<boolean> {
    const uid = pod.metadata.uid ?? "";
    const mine = this.last.get(uid)?.pod;
    let base = mine && isNewer(mine, pod) ? mine : pod;
    for (let attempt = 0; ; attempt++) {
      const status = generate(base);
      if (this.unchanged(uid, base, status)) return false;
      const body: Record<string, unknown> = { ...status };
      for (const k of OWNED) if (status[k] === undefined && base.status?.[k] !== undefined) body[k] = null;
      try {
        const out = await this.pods.patch(base.metadata.namespace, base.metadata.name ?? "", "merge", { metadata: { uid, resourceVersion: base.metadata.resourceVersion }, status: body }, { subresource: "status", timeoutMs: 15_000 });
        this.last.set(uid, { pod: out, status: canonical(status) });
        return true;
      } catch (e) {
        if (isNotFound(e)) return false;
        if (!isConflict(e) || attempt >= CONFLICT_RETRIES) throw e;
      }
      await this.sleep(CONFLICT_BASE_DELAY_MS * 2 ** attempt * (0.5 + Math.random()));
      let fresh: Pod;
      try {
        fresh = await this.pods.get(pod.metadata.namespace, pod.metadata.name ?? "");
      } catch (e) {
        if (isNotFound(e)) return false;
        throw e;
      }
      if (fresh.metadata.uid !== uid) return false;
      base = fresh;
    }
  }

  forget(uid: string): void {
    this.last.delete(uid);
  }

  private unchanged(uid: string, base: Pod, status: PodStatus): boolean {
    const last = this.last.get(uid);
    if (last && last.pod.metadata.resourceVersion === base.metadata.resourceVersion && last.status === canonical(status)) return true;
    return sameStatus(base.status, status);
  }
}
