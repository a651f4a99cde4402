/**
 * Element order of merged strategic lists. Precedence, as upstream's "preserve order" design:
 * $setElementOrder > order in the patch > order in the live list. Items the patch mentions are
 * sorted by the patch (or setElementOrder); items only the server has keep their live order;
 * the two runs are then interleaved so each server-only item stays before the patch items it
 * preceded in the live list.
 */

/** Identity of a list element: its merge-key value, or the value itself for primitives. */
export type ElementKey = (item: unknown) => string | undefined;

function positions(list: readonly unknown[], keyOf: ElementKey): Map<string, number> {
  const pos = new Map<string, number>();
  list.forEach((item, i) => {
    const k = keyOf(item);
    if (k !== undefined && !pos.has(k)) pos.set(k, i);
  });
  return pos;
}

/**
 * Sort the items that appear in `order` by their position there; items absent from `order`
 * keep their slots (upstream's stable sort leaves them where they were too).
 */
export function sortByOrder(items: readonly unknown[], order: readonly unknown[], keyOf: ElementKey): unknown[] {
  const pos = positions(order, keyOf);
  const slots: number[] = [];
  const found: unknown[] = [];
  items.forEach((item, i) => {
    const k = keyOf(item);
    if (k !== undefined && pos.has(k)) {
      slots.push(i);
      found.push(item);
    }
  });
  found.sort((a, b) => pos.get(keyOf(a)!)! - pos.get(keyOf(b)!)!);
  const out = items.slice();
  slots.forEach((slot, j) => (out[slot] = found[j]));
  return out;
}

/**
 * Interleave server-only items (`left`, already in live order) into the patch items (`right`):
 * a left item goes first only when both are in the live list and it came earlier there.
 */
export function interleave(left: readonly unknown[], right: readonly unknown[], serverOrder: readonly unknown[], keyOf: ElementKey): unknown[] {
  const pos = positions(serverOrder, keyOf);
  const at = (item: unknown) => {
    const k = keyOf(item);
    return k === undefined ? -1 : pos.get(k) ?? -1;
  };
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = at(left[i]);
      const ri = at(right[j]);
      out.push(li >= 0 && ri >= 0 && li < ri ? left[i++] : right[j++]);
    }
  }
  return out;
}

/** Order `merged` with `patchOrder` for the items it names and `serverOrder` for the rest. */
export function normalizeOrder(merged: readonly unknown[], patchOrder: readonly unknown[], serverOrder: readonly unknown[], keyOf: ElementKey): unknown[] {
  const inPatch = positions(patchOrder, keyOf);
  const patchItems: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const item of merged) {
    const k = keyOf(item);
    (k !== undefined && inPatch.has(k) ? patchItems : serverOnly).push(item);
  }
  return interleave(
    sortByOrder(serverOnly, serverOrder, keyOf),
    sortByOrder(patchItems, patchOrder, keyOf),
    serverOrder,
    keyOf,
  );
}
