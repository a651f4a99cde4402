/** The events stream, newest first, filterable by the object it is about and by text. */
import { useMemo, type RefObject } from "react";
import type { KubeEvent } from "../../../model/kube-types.js";
import { filterEvents, toEventRow, type EventFilter } from "../../../model/events.js";
import { EventList } from "./event-list.js";

const SHOWN = 200;
const SEP = "\u0000";

export function EventsStream({ events, filter, onFilter, headingRef }: { events: ReadonlyMap<string, KubeEvent>; filter: EventFilter; onFilter: (f: EventFilter) => void; headingRef: RefObject<HTMLHeadingElement | null> }) {
  const objects = useMemo(() => {
    const seen = new Map<string, string>();
    for (const [key, e] of events) {
      const o = toEventRow(key, e).object;
      seen.set([o.kind, o.namespace, o.name].join(SEP), `${o.kind} ${o.namespace ? `${o.namespace}/` : ""}${o.name}`);
    }
    return [...seen].sort((a, b) => (a[1] < b[1] ? -1 : 1));
  }, [events]);
  const rows = useMemo(() => filterEvents(events, filter, SHOWN), [events, filter]);
  const objectValue = filter.kind !== undefined ? [filter.kind, filter.namespace ?? "", filter.name ?? ""].join(SEP) : "";
  if (objectValue && !objects.some(([k]) => k === objectValue)) objects.unshift([objectValue, `${filter.kind} ${filter.namespace ? `${filter.namespace}/` : ""}${filter.name}`]);

  function pickObject(value: string) {
    if (!value) return onFilter({ text: filter.text });
    const [kind, namespace, name] = value.split(SEP);
    onFilter({ kind, namespace, name, text: filter.text });
  }

  return (
    <section aria-labelledby="events-title" className="card">
      <div className="section-head">
        <h2 id="events-title" ref={headingRef} tabIndex={-1}>Events</h2>
        <div className="filters" role="search" aria-label="Filter events">
          <label className="inline-field">
            Object
            <select value={objectValue} onChange={(e) => pickObject(e.target.value)} data-testid="event-object-filter">
              <option value="">All objects</option>
              {objects.map(([value, label]) => <option key={value} value={value}>{label}</option>)}
            </select>
          </label>
          <label className="inline-field">
            Text
            <input type="search" value={filter.text ?? ""} onChange={(e) => onFilter({ ...filter, text: e.target.value })} placeholder="reason, message…" />
          </label>
          {(objectValue || filter.text) && <button type="button" className="secondary" onClick={() => onFilter({})}>Clear filters</button>}
        </div>
      </div>
      <p className="hint" aria-live="polite">{rows.length === SHOWN ? `Newest ${SHOWN} matching events` : `${rows.length} matching event${rows.length === 1 ? "" : "s"}`} of {events.size}.</p>
      <EventList rows={rows} now={Date.now()} empty="No events match." />
    </section>
  );
}
