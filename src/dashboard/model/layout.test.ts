import { describe, it, expect } from "vitest";
import { layoutTopology, neighbourOf } from "./layout.js";
import type { Topology, TopologyNode, TopologyKind } from "./topology.js";

function node(id: string, kind: TopologyKind, extra: Partial<TopologyNode> = {}): [string, TopologyNode] {
  return [id, { id, kind, name: id.split(":")[1], phase: "Bound", terminating: false, missing: false, facts: [], ...extra }];
}

const edge = (from: string, to: string) => ({ id: `${from}->${to}`, from, to, relation: "binds" as const, confirmed: true });

function graph(): Topology {
  return {
    nodes: new Map([
      node("fs:fs-b", "FileSystem"), node("fs:fs-a", "FileSystem"),
      node("ap:fsap-1", "AccessPoint", { parent: "fs:fs-a" }),
      node("pv:z", "PersistentVolume"), node("pv:y", "PersistentVolume"), node("pv:lonely", "PersistentVolume"),
      node("pvc:ns/c1", "PersistentVolumeClaim"), node("pvc:ns/c2", "PersistentVolumeClaim"),
      node("pod:ns/p", "Pod"),
    ]),
    edges: [edge("pv:z", "ap:fsap-1"), edge("pv:y", "fs:fs-b"), edge("pvc:ns/c1", "pv:y"), edge("pvc:ns/c2", "pv:z"), edge("pod:ns/p", "pvc:ns/c1")],
  };
}

describe("layoutTopology", () => {
  it("puts EFS, volumes, claims and pods in four columns, access points under their file system", () => {
    const l = layoutTopology(graph());
    expect(l.columns[0]).toEqual(["fs:fs-a", "ap:fsap-1", "fs:fs-b"]);
    expect(l.columns[3]).toEqual(["pod:ns/p"]);
    expect(l.nodes.get("ap:fsap-1")!.x).toBeGreaterThan(l.nodes.get("fs:fs-a")!.x);
  });

  it("orders each column by the rows its edges point at, unlinked nodes last", () => {
    const l = layoutTopology(graph());
    expect(l.columns[1]).toEqual(["pv:z", "pv:y", "pv:lonely"]);
    expect(l.columns[2]).toEqual(["pvc:ns/c2", "pvc:ns/c1"]);
  });

  it("draws each edge from the user's left side to the right side of what it uses", () => {
    const l = layoutTopology(graph(), { nodeWidth: 100, nodeHeight: 40, columnGap: 50, rowGap: 10, top: 0, indent: 0 });
    const e = l.edges.find((x) => x.id === "pvc:ns/c1->pv:y")!;
    // pvc:ns/c1 is row 1 of column 2 (x=300, mid y=70); pv:y is row 1 of column 1 (right side x=250, mid y=70).
    expect(e.path).toBe("M 300 70 C 275 70, 275 70, 250 70");
    expect(l.width).toBe(4 * 100 + 3 * 50);
    expect(l.height).toBe(3 * 50);
  });

  it("is deterministic whatever order the nodes arrive in", () => {
    const g = graph();
    const reversed: Topology = { nodes: new Map([...g.nodes].reverse()), edges: [...g.edges].reverse() };
    expect(layoutTopology(reversed).columns).toEqual(layoutTopology(g).columns);
  });
});

describe("neighbourOf", () => {
  const g = graph();
  const l = layoutTopology(g);
  it("moves within a column with up and down", () => {
    expect(neighbourOf(g, l, "pv:z", "down")).toBe("pv:y");
    expect(neighbourOf(g, l, "pv:z", "up")).toBeUndefined();
  });
  it("follows edges left to what a node uses and right to what uses it", () => {
    expect(neighbourOf(g, l, "pod:ns/p", "left")).toBe("pvc:ns/c1");
    expect(neighbourOf(g, l, "pvc:ns/c1", "left")).toBe("pv:y");
    expect(neighbourOf(g, l, "pv:y", "right")).toBe("pvc:ns/c1");
    expect(neighbourOf(g, l, "pv:y", "left")).toBe("fs:fs-b");
  });
  it("falls back to the nearest row when there is no edge, and stops at the edges of the drawing", () => {
    expect(neighbourOf(g, l, "pv:lonely", "right")).toBe("pvc:ns/c1");
    expect(neighbourOf(g, l, "fs:fs-a", "left")).toBeUndefined();
    expect(neighbourOf(g, l, "pod:ns/p", "right")).toBeUndefined();
  });
});
