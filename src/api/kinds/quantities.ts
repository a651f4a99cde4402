/**
 * Quantities inside objects. Upstream decodes every quantity into a Quantity and encodes it back
 * in canonical form, so "1.5Gi" is stored and returned as "1536Mi"; defaulting here does the
 * same to the ResourceLists a kind carries. Unparsable values are left for validation to reject.
 */
import { Quantity } from "../../lib/quantity.js";

export function canonicalizeResourceList(list: unknown): void {
  if (typeof list !== "object" || list === null || Array.isArray(list)) return;
  const rl = list as Record<string, unknown>;
  for (const [k, v] of Object.entries(rl)) {
    const q = Quantity.tryParse(v);
    if (q) rl[k] = q.toString();
  }
}

export function canonicalizeQuantity(holder: Record<string, unknown> | undefined, key: string): void {
  if (!holder) return;
  const q = Quantity.tryParse(holder[key]);
  if (q) holder[key] = q.toString();
}

/** A quantity as a table cell: canonical string, "0" when absent (upstream prints a zero Quantity). */
export function quantityCell(v: unknown): string {
  if (v === undefined || v === null) return "0";
  return Quantity.tryParse(v)?.toString() ?? String(v);
}
