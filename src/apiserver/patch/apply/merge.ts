/**
 * Merge an applied configuration into a live object (structured-merge-diff's Merge): the
 * configuration wins on every leaf it sets, granular maps and lists are merged member by
 * member, atomic values are replaced, nothing is ever removed here (pruning is separate).
 *
 * List order: items keep the live order, except that items both sides have follow the
 * configuration's order, and configuration-only items are placed where the configuration put
 * them relative to those. The result shares untouched subtrees with both inputs; neither is
 * modified.
 */
import { copyObject, getOwn, setOwn, type JsonObject } from "../json.js";
import type { SchemaResolver, Shape } from "../schema.js";
import { childOf, indexItems, nodeKind } from "./typed.js";

export function mergeTyped(r: SchemaResolver, shape: Shape, live: unknown, config: unknown): unknown {
  if (config === undefined) return live;
  if (live === undefined) return config;
  const kind = nodeKind(shape, config);
  if (kind === "leaf" || nodeKind(shape, live) !== kind) return config;
  if (kind === "fields") {
    const out = copyObject(live as JsonObject);
    const cfg = config as JsonObject;
    for (const key of Object.keys(cfg)) {
      setOwn(out, key, mergeTyped(r, childOf(r, shape, key).shape, getOwn(out, key), cfg[key]));
    }
    return out;
  }
  return mergeLists(r, shape, live as unknown[], config as unknown[]);
}

function mergeLists(r: SchemaResolver, shape: Shape, live: unknown[], config: unknown[]): unknown[] {
  const itemShape = r.shape(shape.items);
  const L = indexItems(r, shape, live, false);
  const R = indexItems(r, shape, config, false);
  const shared = R.order.filter((pe) => L.items.has(pe));
  let nextShared = 0;
  const emitted = new Set<string>();
  const out: unknown[] = [];
  const emit = (pe: string) => {
    emitted.add(pe);
    out.push(mergeTyped(r, itemShape, L.items.get(pe), R.items.get(pe)));
  };
  let i = 0;
  let j = 0;
  while (i < L.order.length || j < R.order.length) {
    if (i < L.order.length && j < R.order.length) {
      const pe = L.order[i];
      if (pe === R.order[j]) {
        emit(pe);
        i++;
        j++;
        nextShared++;
        continue;
      }
      // A shared item the configuration wants later: it is emitted when the configuration gets there.
      if (R.items.has(pe) && nextShared < shared.length && shared[nextShared] !== pe) {
        i++;
        continue;
      }
    }
    if (i < L.order.length) {
      const pe = L.order[i];
      if (!R.items.has(pe)) {
        out.push(L.items.get(pe));
        i++;
        continue;
      }
      if (emitted.has(pe)) {
        i++;
        continue;
      }
    }
    if (j < R.order.length) {
      const pe = R.order[j++];
      emit(pe);
      if (shared[nextShared] === pe) nextShared++;
    }
  }
  return out;
}
