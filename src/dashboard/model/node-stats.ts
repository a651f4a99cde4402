/**
 * Per-claim used bytes as node agents report them in the kubelet Summary API
 * (GET /api/v1/nodes/NAME/proxy/stats/summary: pods[].volume[] with pvcRef and usedBytes).
 * Several pods on several nodes may mount one claim; they all see the same file system, so the
 * most recent report wins.
 */

export interface ClaimUsage {
  namespace: string;
  claim: string;
  node: string;
  pod: string;
  usedBytes: number;
  capacityBytes?: number;
  availableBytes?: number;
  /** Epoch ms of the measurement (0 when the node did not say). */
  time: number;
}

const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** Reads one node's summary; anything malformed is skipped rather than trusted. */
export function parseStatsSummary(nodeName: string, summary: unknown): ClaimUsage[] {
  const pods = (summary as { pods?: unknown } | null)?.pods;
  if (!Array.isArray(pods)) return [];
  const out: ClaimUsage[] = [];
  for (const p of pods) {
    const pod = str((p as { podRef?: { name?: unknown } })?.podRef?.name) ?? "";
    const volumes = (p as { volume?: unknown })?.volume;
    if (!Array.isArray(volumes)) continue;
    for (const v of volumes) {
      const ref = (v as { pvcRef?: { name?: unknown; namespace?: unknown } })?.pvcRef;
      const claim = str(ref?.name);
      const namespace = str(ref?.namespace);
      const usedBytes = num((v as { usedBytes?: unknown }).usedBytes);
      if (!claim || !namespace || usedBytes === undefined) continue;
      const t = Date.parse(String((v as { time?: unknown }).time ?? ""));
      out.push({
        namespace, claim, node: nodeName, pod, usedBytes,
        capacityBytes: num((v as { capacityBytes?: unknown }).capacityBytes),
        availableBytes: num((v as { availableBytes?: unknown }).availableBytes),
        time: Number.isNaN(t) ? 0 : t,
      });
    }
  }
  return out;
}

/** "namespace/claim" → the newest report for it. */
export function usageByClaim(reports: readonly ClaimUsage[]): Map<string, ClaimUsage> {
  const out = new Map<string, ClaimUsage>();
  for (const r of reports) {
    const key = `${r.namespace}/${r.claim}`;
    const held = out.get(key);
    if (!held || r.time > held.time) out.set(key, r);
  }
  return out;
}
