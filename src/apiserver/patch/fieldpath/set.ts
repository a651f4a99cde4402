/**
 * A set of field paths, shaped like structured-merge-diff's fieldpath.Set: at each level the
 * elements that are members themselves, and child sets for elements with members below. A
 * path can be both (a list item that is owned and has owned fields: FieldsV1's "."). Set
 * operations are structural: owning a path says nothing about the paths under it (use
 * recursiveDifference for prefix semantics). Invariant: no stored child set is empty.
 */
import { compareElements, type Path, type PathElement } from "./element.js";

export class FieldSet {
  readonly members = new Set<PathElement>();
  readonly children = new Map<PathElement, FieldSet>();

  static of(...paths: Path[]): FieldSet {
    const s = new FieldSet();
    for (const p of paths) s.insert(p);
    return s;
  }

  insert(path: Path): void {
    if (path.length > 0) insertInto(this, path);
  }

  has(path: Path): boolean {
    if (path.length === 0) return false;
    const parent = this.descend(path.slice(0, -1));
    return parent !== undefined && parent.members.has(path[path.length - 1]);
  }

  /** The subset under a prefix, relative to it (empty set when none). */
  withPrefix(pe: PathElement): FieldSet {
    return this.children.get(pe) ?? EMPTY;
  }

  isEmpty(): boolean {
    return this.members.size === 0 && this.children.size === 0;
  }

  union(other: FieldSet): FieldSet {
    const out = this.clone();
    for (const m of other.members) out.members.add(m);
    for (const [pe, child] of other.children) {
      const mine = out.children.get(pe);
      out.children.set(pe, mine ? mine.union(child) : child.clone());
    }
    return out;
  }

  difference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const m of this.members) if (!other.members.has(m)) out.members.add(m);
    for (const [pe, child] of this.children) {
      const theirs = other.children.get(pe);
      const rest = theirs ? child.difference(theirs) : child.clone();
      if (!rest.isEmpty()) out.children.set(pe, rest);
    }
    return out;
  }

  intersection(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const m of this.members) if (other.members.has(m)) out.members.add(m);
    for (const [pe, child] of this.children) {
      const theirs = other.children.get(pe);
      if (!theirs) continue;
      const both = child.intersection(theirs);
      if (!both.isEmpty()) out.children.set(pe, both);
    }
    return out;
  }

  /** Remove every path of this set that equals or lies under a member of `other`. */
  recursiveDifference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const m of this.members) if (!other.members.has(m)) out.members.add(m);
    for (const [pe, child] of this.children) {
      if (other.members.has(pe)) continue;
      const theirs = other.children.get(pe);
      const rest = theirs ? child.recursiveDifference(theirs) : child.clone();
      if (!rest.isEmpty()) out.children.set(pe, rest);
    }
    return out;
  }

  clone(): FieldSet {
    const out = new FieldSet();
    for (const m of this.members) out.members.add(m);
    for (const [pe, child] of this.children) out.children.set(pe, child.clone());
    return out;
  }

  equals(other: FieldSet): boolean {
    return this.difference(other).isEmpty() && other.difference(this).isEmpty();
  }

  /** Every member path, in structured-merge-diff order (parents before children). */
  paths(prefix: PathElement[] = []): PathElement[][] {
    const out: PathElement[][] = [];
    const elements = [...new Set([...this.members, ...this.children.keys()])].sort(compareElements);
    for (const pe of elements) {
      const path = [...prefix, pe];
      if (this.members.has(pe)) out.push(path);
      const child = this.children.get(pe);
      if (child) out.push(...child.paths(path));
    }
    return out;
  }

  private descend(path: Path): FieldSet | undefined {
    return descendFrom(this, path);
  }
}

function insertInto(root: FieldSet, path: Path): void {
  let node = root;
  for (let i = 0; i < path.length - 1; i++) {
    let next = node.children.get(path[i]);
    if (!next) {
      next = new FieldSet();
      node.children.set(path[i], next);
    }
    node = next;
  }
  node.members.add(path[path.length - 1]);
}

function descendFrom(root: FieldSet, path: Path): FieldSet | undefined {
  let node: FieldSet | undefined = root;
  for (const pe of path) {
    node = node.children.get(pe);
    if (!node) return undefined;
  }
  return node;
}

const EMPTY = new FieldSet();
