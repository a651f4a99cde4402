/**
 * The rules of a conditional write, decided from the key's latest row (tombstones included).
 * Both backends call this inside their write critical section, so they agree on every outcome.
 */
import { StoreError } from "../types.js";
import { emptyValue, rowKv, type LogRow, type PlannedRow } from "./rows.js";

export type WriteOp =
  | { kind: "create"; key: string; value: Uint8Array; lease: number }
  | { kind: "update"; key: string; value: Uint8Array; lease: number; expected: number }
  | { kind: "delete"; key: string; expected?: number };

/**
 * The row to append for `op`, given the key's latest row.
 * Throws KeyExists (create of a live key), NotFound (update/delete of a missing or deleted key),
 * Conflict with the current value (expected revision differs).
 */
export function planWrite(op: WriteOp, latest: LogRow | undefined): PlannedRow {
  const live = latest && !latest.deleted ? latest : undefined;
  if (op.kind === "create") {
    if (live) throw new StoreError("KeyExists", `key ${op.key} already exists`, rowKv(live));
    return {
      name: op.key,
      created: true,
      deleted: false,
      createRevision: 0,
      prevRevision: latest?.id ?? 0,
      lease: op.lease,
      value: op.value,
    };
  }
  if (!live) throw new StoreError("NotFound", `key ${op.key} not found`);
  if (op.expected !== undefined && op.expected !== live.id) {
    throw new StoreError(
      "Conflict",
      `key ${op.key} is at revision ${live.id}, expected ${op.expected}`,
      rowKv(live),
    );
  }
  const base = {
    name: op.key,
    created: false,
    createRevision: live.createRevision,
    prevRevision: live.id,
    oldValue: live.value,
  };
  if (op.kind === "update") return { ...base, deleted: false, lease: op.lease, value: op.value };
  return { ...base, deleted: true, lease: 0, value: emptyValue() };
}
