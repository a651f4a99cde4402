/** Events as a definition-like list: when, type (word and colour), object, reason, message. */
import type { EventRow } from "../../../model/events.js";
import { formatAge } from "../../../model/format.js";

export function EventList({ rows, now, empty }: { rows: EventRow[]; now: number; empty: string }) {
  if (rows.length === 0) return <p className="empty">{empty}</p>;
  return (
    <ol className="event-list">
      {rows.map((r) => (
        <li key={r.key} className={r.type === "Warning" ? "warning" : ""}>
          <span className="event-meta">
            <span className={`event-type ${r.type === "Warning" ? "warning" : "normal"}`}>{r.type}</span>
            <time dateTime={r.time ? new Date(r.time).toISOString() : undefined}>{formatAge(r.time, now)}</time>
            <span className="event-object">{r.object.kind}/{r.object.namespace ? `${r.object.namespace}/` : ""}{r.object.name}</span>
            {r.count > 1 && <span>×{r.count}</span>}
          </span>
          <span className="event-reason">{r.reason}</span> <span className="event-message">{r.message}</span>
        </li>
      ))}
    </ol>
  );
}
