/**
 * Writes pod status through the status subresource — a JSON merge patch guarded by the resourceVersion it was
 * computed from; on a conflict the pod is read again and the write retried only if it is still the same pod (same
 * uid), so a pod replaced by a namesake is never written — and only when it changed: a status equal to what the API shows is not
 * written, and neither is one equal to our own last write while the API has nothing newer (the informer lagging
 * behind our write). Fields the node owned before and no longer sets are cleared with null.
 */
import type { Pod, PodStatus } from "../../api/index.js";
import { compareResourceVersions, isConflict, isNotFound, type ResourceClient } from "../../client/index.js";

const OWNED: (keyof PodStatus)[] = ["phase", "conditions", "hostIP", "hostIPs", "podIP", "podIPs", "startTime", "initContainerStatuses", "containerStatuses", "qosClass", "reason", "message"];

function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(",")}]`;
  if (v && typeof v === "object") {
    return `{${Object.keys(v)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v);
}

export function sameStatus(a: PodStatus | undefined, b: PodStatus | undefined): boolean {
  const pick = (s: PodStatus | undefined) => Object.fromEntries(OWNED.map((k) => [k, s?.[k]]));
  return stable(pick(a)) === stable(pick(b));
}

export class StatusWriter {
  private readonly last = new Map<string, { json: string; rv: string }>();

  constructor(private readonly pods: ResourceClient<Pod>) {}

  /** Returns whether a write was made. NotFound (the pod is gone) is not an error. */
  async write(pod: Pod, status: PodStatus): Promise<boolean> {
    const uid = pod.metadata.uid ?? "";
    const json = stable(status);
    const prev = this.last.get(uid);
    if (prev && prev.json === json && (compareResourceVersions(pod.metadata.resourceVersion, prev.rv) ?? 1) <= 0) return false;
    if (sameStatus(pod.status, status)) return false;
    let base = pod;
    for (let attempt = 0; ; attempt++) {
      const body: Record<string, unknown> = { ...status };
      for (const k of OWNED) if (status[k] === undefined && base.status?.[k] !== undefined) body[k] = null;
      try {
        const out = await this.pods.patch(base.metadata.namespace, base.metadata.name ?? "", "merge", { metadata: { uid, resourceVersion: base.metadata.resourceVersion }, status: body }, { subresource: "status", timeoutMs: 15_000 });
        this.last.set(uid, { json, rv: out.metadata.resourceVersion ?? "0" });
        return true;
      } catch (e) {
        if (isNotFound(e)) return false;
        if (!isConflict(e) || attempt >= 3) throw e;
      }
      try {
        base = await this.pods.get(pod.metadata.namespace, pod.metadata.name ?? "");
      } catch (e) {
        if (isNotFound(e)) return false;
        throw e;
      }
      if (base.metadata.uid !== uid) return false;
      if (sameStatus(base.status, status)) return false;
    }
  }

  forget(uid: string): void {
    this.last.delete(uid);
  }
}
