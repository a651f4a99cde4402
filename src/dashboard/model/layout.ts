/**
 * Places the topology in four columns (EFS | PVs | PVCs | Pods) on a fixed grid, so positions and
 * edge curves are pure functions of the graph — no DOM measuring, and the same graph always
 * draws the same way. Rows are ordered to keep edges short and mostly uncrossed: each column
 * sorts by the mean row of the neighbours it points at in the column to its left (the barycentre
 * heuristic), falling back to the name; access points sit indented under their file system.
 */
import { COLUMN_OF, type Topology, type TopologyNode } from "./topology.js";

export interface LayoutOptions {
  nodeWidth: number;
  nodeHeight: number;
  columnGap: number;
  rowGap: number;
  /** How far access points are indented under their file system. */
  indent: number;
  /** Space above the first row (column headings). */
  top: number;
}

export const DEFAULT_LAYOUT: LayoutOptions = { nodeWidth: 240, nodeHeight: 100, columnGap: 84, rowGap: 14, indent: 22, top: 8 };

export interface PlacedNode {
  id: string;
  column: number;
  row: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PlacedEdge {
  id: string;
  from: string;
  to: string;
  relation: string;
  confirmed: boolean;
  /** SVG path data, from the left side of the user to the right side of what it uses. */
  path: string;
}

export interface Layout {
  nodes: Map<string, PlacedNode>;
  /** Node ids per column, top to bottom. */
  columns: string[][];
  edges: PlacedEdge[];
  width: number;
  height: number;
}

const COLUMNS = 4;

function byName(a: TopologyNode, b: TopologyNode): number {
  const ka = `${a.namespace ?? ""}/${a.name}`;
  const kb = `${b.namespace ?? ""}/${b.name}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** Column 0: file systems by id, each followed by its access points. */
function orderEfs(nodes: TopologyNode[]): TopologyNode[] {
  const systems = nodes.filter((n) => n.kind === "FileSystem").sort(byName);
  const points = nodes.filter((n) => n.kind === "AccessPoint").sort(byName);
  const out: TopologyNode[] = [];
  for (const fs of systems) out.push(fs, ...points.filter((p) => p.parent === fs.id));
  out.push(...points.filter((p) => !systems.some((fs) => fs.id === p.parent)));
  return out;
}

export function layoutTopology(t: Topology, options: Partial<LayoutOptions> = {}): Layout {
  const o = { ...DEFAULT_LAYOUT, ...options };
  const perColumn: TopologyNode[][] = Array.from({ length: COLUMNS }, () => []);
  for (const n of t.nodes.values()) perColumn[COLUMN_OF[n.kind]].push(n);
  const targets = new Map<string, string[]>();
  for (const e of t.edges) targets.set(e.from, [...(targets.get(e.from) ?? []), e.to]);

  const rowOf = new Map<string, number>();
  const columns: string[][] = [];
  for (let c = 0; c < COLUMNS; c++) {
    let ordered: TopologyNode[];
    if (c === 0) {
      ordered = orderEfs(perColumn[0]);
    } else {
      const key = (n: TopologyNode) => {
        const rows = (targets.get(n.id) ?? []).map((id) => rowOf.get(id)).filter((r): r is number => r !== undefined);
        return rows.length ? rows.reduce((a, b) => a + b, 0) / rows.length : Infinity;
      };
      ordered = perColumn[c].map((n) => ({ n, k: key(n) })).sort((a, b) => (a.k === b.k ? byName(a.n, b.n) : a.k < b.k ? -1 : 1)).map((x) => x.n);
    }
    ordered.forEach((n, i) => rowOf.set(n.id, i));
    columns.push(ordered.map((n) => n.id));
  }

  const nodes = new Map<string, PlacedNode>();
  columns.forEach((ids, column) => {
    ids.forEach((id, row) => {
      const indented = t.nodes.get(id)?.kind === "AccessPoint" ? o.indent : 0;
      nodes.set(id, {
        id, column, row,
        x: column * (o.nodeWidth + o.columnGap) + indented,
        y: o.top + row * (o.nodeHeight + o.rowGap),
        width: o.nodeWidth - indented,
        height: o.nodeHeight,
      });
    });
  });

  const edges: PlacedEdge[] = [];
  for (const e of t.edges) {
    const a = nodes.get(e.from);
    const b = nodes.get(e.to);
    if (!a || !b) continue;
    const [fx, fy] = [a.x, a.y + a.height / 2];
    const [tx, ty] = [b.x + b.width, b.y + b.height / 2];
    const dx = Math.max(20, (fx - tx) / 2);
    edges.push({ id: e.id, from: e.from, to: e.to, relation: e.relation, confirmed: e.confirmed, path: `M ${fx} ${fy} C ${fx - dx} ${fy}, ${tx + dx} ${ty}, ${tx} ${ty}` });
  }
  const rows = Math.max(1, ...columns.map((c) => c.length));
  return {
    nodes, columns, edges,
    width: COLUMNS * o.nodeWidth + (COLUMNS - 1) * o.columnGap,
    height: o.top + rows * (o.nodeHeight + o.rowGap),
  };
}

export type Direction = "up" | "down" | "left" | "right";

/**
 * Keyboard movement through the drawing: up/down within a column, left to what the node uses
 * (its first edge target), right to what uses it (its first edge source); when there is no such
 * edge, to the nearest row of the neighbouring column. Returns undefined when there is nowhere to go.
 */
export function neighbourOf(t: Topology, layout: Layout, id: string, dir: Direction): string | undefined {
  const here = layout.nodes.get(id);
  if (!here) return undefined;
  if (dir === "up" || dir === "down") return layout.columns[here.column][here.row + (dir === "up" ? -1 : 1)];
  const column = here.column + (dir === "left" ? -1 : 1);
  if (column < 0 || column >= layout.columns.length) return undefined;
  const linked = t.edges
    .filter((e) => (dir === "left" ? e.from === id : e.to === id))
    .map((e) => layout.nodes.get(dir === "left" ? e.to : e.from))
    .filter((n): n is PlacedNode => !!n && n.column === column)
    .sort((a, b) => a.row - b.row);
  if (linked.length) return linked[0].id;
  const ids = layout.columns[column];
  return ids.length ? ids[Math.min(here.row, ids.length - 1)] : undefined;
}
