/**
 * Details of the selected object: what `cistern explain` says about it, its events and its YAML.
 * Opening moves focus to the panel's heading; Escape or Close returns it to the node.
 */
import { useEffect, useRef, useState, type KeyboardEvent } from "react";
import type { ClusterState } from "../../../model/cluster-state.js";
import { filterEvents, type EventFilter } from "../../../model/events.js";
import { describeNode, type Topology, type TopologyNode } from "../../../model/topology.js";
import type { EfsUsageReport } from "../../../model/usage-types.js";
import { ApiError, getJson, UnauthorizedError } from "../api/session.js";
import { PhaseBadge } from "./phase-badge.js";
import { EventList } from "./event-list.js";
import { eventFilterOf, explainPathOf, objectOf, toYaml } from "./object-source.js";

interface Explained {
  found: boolean;
  summary: string;
  text: string;
}

type ExplainState = { state: "loading" } | { state: "done"; answer: Explained } | { state: "failed"; message: string };

function useExplain(token: string, path: string | undefined, version: string, onUnauthorized: () => void): ExplainState | undefined {
  const [result, setResult] = useState<ExplainState | undefined>();
  useEffect(() => {
    if (!path) return setResult(undefined);
    const abort = new AbortController();
    setResult((r) => r ?? { state: "loading" });
    getJson<Explained>(token, path, abort.signal).then(
      (answer) => setResult({ state: "done", answer }),
      (e: Error) => {
        if (abort.signal.aborted) return;
        if (e instanceof UnauthorizedError) return onUnauthorized();
        setResult({ state: "failed", message: e instanceof ApiError && e.status === 501 ? "cistern explain is not available from this server." : e.message });
      },
    );
    return () => abort.abort();
  }, [token, path, version, onUnauthorized]);
  return result;
}

export interface DetailsProps {
  token: string;
  node: TopologyNode;
  topology: Topology;
  state: ClusterState;
  report?: EfsUsageReport;
  onClose: () => void;
  onShowEvents: (f: EventFilter) => void;
  onUnauthorized: () => void;
}

export function DetailsPanel({ token, node, topology, state, report, onClose, onShowEvents, onUnauthorized }: DetailsProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  const obj = objectOf(node, state, report);
  const version = (obj as { metadata?: { resourceVersion?: string } } | undefined)?.metadata?.resourceVersion ?? "";
  // Explain again whenever the object changes, so the answer follows the live phase.
  const explain = useExplain(token, node.missing ? undefined : explainPathOf(node), version, onUnauthorized);
  const filter = eventFilterOf(node);
  const events = filter ? filterEvents(state.events, filter, 20) : [];
  useEffect(() => heading.current?.focus(), [node.id]);

  function onKeyDown(e: KeyboardEvent) {
    if (e.key === "Escape") {
      e.preventDefault();
      onClose();
    }
  }

  return (
    <aside className="details" aria-labelledby="details-title" onKeyDown={onKeyDown} data-testid="details">
      <div className="details-head">
        <h2 id="details-title" ref={heading} tabIndex={-1}>
          <span className="details-kind">{node.kind}</span> {node.namespace ? `${node.namespace}/` : ""}{node.name}
        </h2>
        <button type="button" className="secondary" onClick={onClose}>Close<span className="visually-hidden"> details</span></button>
      </div>
      <p><PhaseBadge phase={node.phase} terminating={node.terminating} /></p>
      <p className="hint">{describeNode(topology, node)}</p>
      {explainPathOf(node) && (
        <section aria-labelledby="explain-title">
          <h3 id="explain-title">cistern explain</h3>
          {node.missing && <p>This object does not exist; it is only referenced.</p>}
          {explain?.state === "loading" && <p role="status">Asking…</p>}
          {explain?.state === "failed" && <p className="error">{explain.message}</p>}
          {explain?.state === "done" && (
            <>
              <p className="explain-summary">{explain.answer.summary}</p>
              <pre className="explain" data-testid="explain">{explain.answer.text}</pre>
            </>
          )}
        </section>
      )}
      {filter && (
        <section aria-labelledby="details-events-title">
          <h3 id="details-events-title">Events</h3>
          <EventList rows={events} now={Date.now()} empty="No events for this object." />
          <button type="button" className="link" onClick={() => onShowEvents(filter)}>Show in the events stream</button>
        </section>
      )}
      <section aria-labelledby="yaml-title">
        <h3 id="yaml-title">{node.kind === "FileSystem" || node.kind === "AccessPoint" ? "Usage report entry" : "YAML"}</h3>
        {obj ? <pre className="yaml" data-testid="yaml" tabIndex={0}>{toYaml(obj)}</pre> : <p>Not present.</p>}
      </section>
    </aside>
  );
}
