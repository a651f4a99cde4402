/**
 * The chain drawn in four columns. Nodes are buttons (Tab reaches each, Enter or Space opens
 * details); arrow keys follow the drawing: up/down in a column, left to what a node uses, right
 * to what uses it. Edges are decoration for sighted users (aria-hidden); each button's label
 * says in words what it is connected to.
 */
import { useMemo, useRef, type KeyboardEvent } from "react";
import { describeNode, type Topology } from "../../../model/topology.js";
import { DEFAULT_LAYOUT, layoutTopology, neighbourOf, type Direction } from "../../../model/layout.js";
import { phaseStyle } from "../../../model/phase-style.js";
import { PhaseBadge } from "./phase-badge.js";

const HEADINGS = ["EFS file systems, access points", "PersistentVolumes", "PersistentVolumeClaims", "Pods"];
const KIND_LABEL: Record<string, string> = { FileSystem: "File system", AccessPoint: "Access point", PersistentVolume: "PV", PersistentVolumeClaim: "PVC", Pod: "Pod" };
const KEYS: Record<string, Direction> = { ArrowUp: "up", ArrowDown: "down", ArrowLeft: "left", ArrowRight: "right" };

export function TopologyView({ topology, selected, onSelect }: { topology: Topology; selected?: string; onSelect: (id: string) => void }) {
  const layout = useMemo(() => layoutTopology(topology), [topology]);
  const buttons = useRef(new Map<string, HTMLButtonElement>());

  function onKeyDown(e: KeyboardEvent<HTMLButtonElement>, id: string) {
    const dir = KEYS[e.key];
    if (!dir) return;
    e.preventDefault();
    const next = neighbourOf(topology, layout, id, dir);
    if (next) buttons.current.get(next)?.focus();
  }

  if (topology.nodes.size === 0) {
    return (
      <p className="empty">
        Nothing to draw yet: no EFS file systems, PersistentVolumes, claims or pods using claims. Try <code>kubectl apply -f examples/guide/</code>.
      </p>
    );
  }
  const step = DEFAULT_LAYOUT.nodeWidth + DEFAULT_LAYOUT.columnGap;
  return (
    <div className="graph-scroll">
      <p id="graph-help" className="hint">
        Arrows point from user to storage. Tab or the arrow keys move between objects (← what it uses, → what uses it); Enter opens details. Dashed: pending or half-made binding.
      </p>
      <div className="graph-headings" style={{ width: layout.width }} aria-hidden="true">
        {HEADINGS.map((h, i) => <span key={h} style={{ left: i * step, width: DEFAULT_LAYOUT.nodeWidth }}>{h}</span>)}
      </div>
      <div className="graph" role="group" aria-label="Storage chain: file systems, volumes, claims and pods" aria-describedby="graph-help" style={{ width: layout.width, height: layout.height }}>
        <svg className="edges" width={layout.width} height={layout.height} aria-hidden="true">
          <defs>
            <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M 0 0 L 10 5 L 0 10 z" className="arrow-head" />
            </marker>
          </defs>
          {layout.edges.map((e) => (
            <path key={e.id} d={e.path} className={`edge ${e.relation}${e.confirmed ? "" : " unconfirmed"}${selected && (e.from === selected || e.to === selected) ? " highlighted" : ""}`} markerEnd="url(#arrow)" data-edge={e.id} />
          ))}
        </svg>
        {[...layout.nodes.values()].map((p) => {
          const n = topology.nodes.get(p.id)!;
          const s = phaseStyle(n.phase);
          return (
            <button
              key={p.id}
              type="button"
              ref={(el) => void (el ? buttons.current.set(p.id, el) : buttons.current.delete(p.id))}
              className={`node kind-${n.kind}${n.id === selected ? " selected" : ""}${s.dashed || n.missing ? " dashed" : ""}`}
              style={{ left: p.x, top: p.y, width: p.width, height: p.height, borderColor: s.border }}
              data-node-id={p.id}
              data-phase={n.phase}
              aria-label={describeNode(topology, n)}
              aria-pressed={n.id === selected}
              onClick={() => onSelect(p.id)}
              onKeyDown={(e) => onKeyDown(e, p.id)}
            >
              <span className="node-kind">{KIND_LABEL[n.kind]}{n.namespace ? ` · ${n.namespace}` : ""}</span>
              <span className="node-name">{n.name}</span>
              <span className="node-state"><PhaseBadge phase={n.phase} terminating={n.terminating} />{n.reclaimPolicy === "Delete" && <span className="badge warn">deletes data</span>}</span>
              <span className="node-facts" title={n.facts.join(" · ")}>{n.facts.join(" · ")}</span>
            </button>
          );
        })}
      </div>
    </div>
  );
}
