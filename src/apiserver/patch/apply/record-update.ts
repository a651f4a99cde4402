/**
 * Record an ordinary write (create, update, patch) in the managers: fields that changed value
 * or appeared become the writer's, every other manager loses them, and fields that disappeared
 * are owned by nobody. The writer's entry is stamped with `now` only when it gained fields, as
 * upstream's managedFieldsUpdater does, so a no-op update leaves managedFields untouched.
 */
import type { JsonObject } from "../json.js";
import { STRIPPED_META } from "./field-filters.js";
import { managerId, type ManagerEntry, type Managers } from "./managers.js";
import type { Updater } from "./updater.js";

/** Upstream's name for the transient manager of the write in progress. */
const CURRENT_OPERATION = "current-operation";

export function recordUpdate(
  updater: Updater,
  oldObj: JsonObject,
  newObj: JsonObject,
  managers: Managers,
  entry: Omit<ManagerEntry, "set" | "time">,
  time: string,
): Managers {
  const { managers: out, comparison } = updater.update(oldObj, newObj, managers, CURRENT_OPERATION, true);
  const gained = comparison.modified.union(comparison.added).difference(STRIPPED_META);
  if (gained.isEmpty()) return out;
  const id = managerId(entry);
  const previous = out.get(id)?.set;
  out.set(id, { ...entry, time, set: previous ? gained.union(previous) : gained });
  return out;
}
