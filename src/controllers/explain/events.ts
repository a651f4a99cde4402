import type { KubeEvent } from "../model/types.js";
import type { EventLine } from "./report.js";

export function eventLines(events: KubeEvent[]): EventLine[] {
  return events.map((e) => ({
    type: e.type ?? "",
    reason: e.reason ?? "",
    message: e.message ?? "",
    count: e.count ?? 1,
    lastSeen: e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? undefined,
    source: e.source?.component,
  }));
}
