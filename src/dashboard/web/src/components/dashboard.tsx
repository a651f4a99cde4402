/** The signed-in page: topology, usage, volumes by usage, events; details of the selected object beside them. */
import { useCallback, useMemo, useRef, useState } from "react";
import { useClusterState } from "../api/use-cluster-state.js";
import { useEfsUsage } from "../api/use-efs-usage.js";
import { useNodeStats } from "../api/use-node-stats.js";
import { buildTopology } from "../../../model/topology.js";
import type { ClusterState } from "../../../model/cluster-state.js";
import type { EventFilter } from "../../../model/events.js";
import { TopBar } from "./top-bar.js";
import { TopologyView } from "./topology-view.js";
import { DetailsPanel } from "./details-panel.js";
import { UsageSection } from "./usage-section.js";
import { VolumesTable } from "./volumes-table.js";
import { EventsStream } from "./events-stream.js";

function inNamespace(state: ClusterState, ns: string): ClusterState {
  if (!ns) return state;
  const keep = <T extends { metadata: { namespace?: string } }>(m: ReadonlyMap<string, T>) => new Map([...m].filter(([, o]) => o.metadata.namespace === ns));
  return { ...state, persistentvolumeclaims: keep(state.persistentvolumeclaims), pods: keep(state.pods) };
}

export function Dashboard({ token, onLogout, onUnauthorized }: { token: string; onLogout: () => void; onUnauthorized: () => void }) {
  const { state, connection } = useClusterState(token, onUnauthorized);
  const usage = useEfsUsage(token, onUnauthorized);
  const claimUsage = useNodeStats(token, state.nodes, onUnauthorized);
  const [namespace, setNamespace] = useState("");
  const [selected, setSelected] = useState<string | undefined>();
  const [eventFilter, setEventFilter] = useState<EventFilter>({});
  const returnFocus = useRef<string | undefined>(undefined);
  const eventsHeading = useRef<HTMLHeadingElement>(null);

  const namespaces = useMemo(() => {
    const all = new Set<string>();
    for (const m of [state.persistentvolumeclaims, state.pods]) for (const o of m.values()) if (o.metadata.namespace) all.add(o.metadata.namespace);
    return [...all].sort();
  }, [state.persistentvolumeclaims, state.pods]);
  const topology = useMemo(() => buildTopology(inNamespace(state, namespace), usage.report), [state, namespace, usage.report]);
  const selectedNode = selected ? topology.nodes.get(selected) : undefined;

  const select = useCallback((id: string) => {
    returnFocus.current = id;
    setSelected(id);
  }, []);
  const closeDetails = useCallback(() => {
    setSelected(undefined);
    const id = returnFocus.current;
    if (id) requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-node-id="${CSS.escape(id)}"]`)?.focus());
  }, []);
  const showEvents = useCallback((f: EventFilter) => {
    setEventFilter(f);
    requestAnimationFrame(() => {
      eventsHeading.current?.scrollIntoView({ block: "start" });
      eventsHeading.current?.focus();
    });
  }, []);

  return (
    <>
      <a className="skip-link" href="#main">Skip to content</a>
      <TopBar connection={connection} efsProblem={usage.problem} onLogout={onLogout} />
      <div className={selectedNode ? "layout with-details" : "layout"}>
        <main id="main" tabIndex={-1}>
          <section aria-labelledby="topology-title" className="card">
            <div className="section-head">
              <h2 id="topology-title">Storage topology</h2>
              <label className="inline-field">
                Namespace
                <select value={namespace} onChange={(e) => setNamespace(e.target.value)}>
                  <option value="">All namespaces</option>
                  {namespaces.map((ns) => <option key={ns} value={ns}>{ns}</option>)}
                </select>
              </label>
            </div>
            <TopologyView topology={topology} selected={selected} onSelect={select} />
          </section>
          <UsageSection usage={usage} claimUsage={claimUsage} />
          <VolumesTable state={state} report={usage.report} claimUsage={claimUsage} onSelect={select} />
          <EventsStream events={state.events} filter={eventFilter} onFilter={setEventFilter} headingRef={eventsHeading} />
        </main>
        {selectedNode && (
          <DetailsPanel token={token} node={selectedNode} topology={topology} state={state} report={usage.report} onClose={closeDetails} onShowEvents={showEvents} onUnauthorized={onUnauthorized} />
        )}
      </div>
    </>
  );
}
