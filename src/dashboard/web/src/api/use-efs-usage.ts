/** React hook: EFS usage history from /ui/api/efs/history, polled at the server's sampling interval. */
import { useEffect, useState } from "react";
import { mergeSamples } from "../../../model/usage-series.js";
import type { EfsUsageReport, UsageHistory, UsageSample } from "../../../model/usage-types.js";
import { getJson, UnauthorizedError } from "./session.js";

export interface EfsUsage {
  samples: UsageSample[];
  report?: EfsUsageReport;
  /** Why usage is missing or stale, in words. */
  problem?: string;
  loaded: boolean;
}

export function useEfsUsage(token: string, onUnauthorized: () => void): EfsUsage {
  const [usage, setUsage] = useState<EfsUsage>({ samples: [], loaded: false });
  useEffect(() => {
    const abort = new AbortController();
    let samples: UsageSample[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      let next = 10_000;
      try {
        const since = samples.length ? `?since=${samples[samples.length - 1].t}` : "";
        const h = await getJson<UsageHistory>(token, `/ui/api/efs/history${since}`, abort.signal);
        samples = mergeSamples(samples, h.samples, h.capacity);
        next = Math.max(2_000, h.intervalMs);
        setUsage({ samples, report: h.report, problem: h.lastError, loaded: true });
      } catch (e) {
        if (abort.signal.aborted) return;
        if (e instanceof UnauthorizedError) return onUnauthorized();
        setUsage((u) => ({ ...u, problem: (e as Error).message, loaded: true }));
      }
      if (!abort.signal.aborted) timer = setTimeout(() => void poll(), next);
    };
    void poll();
    return () => {
      abort.abort();
      if (timer) clearTimeout(timer);
    };
  }, [token, onUnauthorized]);
  return usage;
}
