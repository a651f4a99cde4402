/**
 * React hook: per-claim used bytes from every node's Summary API, through the API server's node
 * proxy, every 15 s. A node that does not answer, or advertises no kubelet endpoint, is skipped
 * (its claims show no figure).
 */
import { useEffect, useState } from "react";
import type { KubeNode } from "../../../model/kube-types.js";
import { parseStatsSummary, usageByClaim, type ClaimUsage } from "../../../model/node-stats.js";
import { getJson, UnauthorizedError } from "./session.js";

const EVERY_MS = 15_000;

export function useNodeStats(token: string, nodes: ReadonlyMap<string, KubeNode>, onUnauthorized: () => void): Map<string, ClaimUsage> {
  const [byClaim, setByClaim] = useState<Map<string, ClaimUsage>>(new Map());
  // Only nodes whose agent advertises a kubelet endpoint can answer; the others would only fail.
  const names = [...nodes.entries()]
    .filter(([, n]) => typeof (n as { status?: { daemonEndpoints?: { kubeletEndpoint?: { Port?: unknown } } } }).status?.daemonEndpoints?.kubeletEndpoint?.Port === "number")
    .map(([name]) => name)
    .sort()
    .join("\n");
  useEffect(() => {
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      const reports = await Promise.all(
        names.split("\n").filter(Boolean).map(async (node) => {
          try {
            return parseStatsSummary(node, await getJson<unknown>(token, `/api/v1/nodes/${encodeURIComponent(node)}/proxy/stats/summary`, abort.signal));
          } catch (e) {
            if (e instanceof UnauthorizedError) onUnauthorized();
            return [];
          }
        }),
      );
      if (abort.signal.aborted) return;
      setByClaim(usageByClaim(reports.flat()));
      timer = setTimeout(() => void poll(), EVERY_MS);
    };
    void poll();
    return () => {
      abort.abort();
      if (timer) clearTimeout(timer);
    };
  }, [token, names, onUnauthorized]);
  return byClaim;
}
