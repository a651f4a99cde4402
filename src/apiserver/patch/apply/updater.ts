/**
 * The ownership engine, after structured-merge-diff's merge.Updater, for one schema:
 *
 * update(old → new): every manager loses the fields that changed (conflicts) or disappeared,
 *   unless `force` is off and a conflict exists, which aborts with ApplyConflicts.
 * apply(live, config): merge the config into live; the applier's set becomes exactly the
 *   config's fields; fields it applied last time but not now are pruned unless another manager
 *   owns them; then update(live → result) hands changed fields to the applier (conflicts
 *   unless forced). A result equal to live is reported as a no-op.
 * Reset fields (status on the main resource…) are invisible to both.
 */
import { FieldSet } from "../fieldpath/set.js";
import { deepEqual, type JsonObject } from "../json.js";
import type { SchemaResolver, Shape } from "../schema.js";
import { compare, type Comparison } from "./compare.js";
import { ApplyConflicts, type Conflict } from "./conflicts.js";
import type { ManagerEntry, Managers } from "./managers.js";
import { mergeTyped } from "./merge.js";
import { ensureNamedFieldsAreMembers, removeItems } from "./remove.js";
import { toFieldSet } from "./to-field-set.js";

export class Updater {
  constructor(
    private readonly r: SchemaResolver,
    private readonly root: Shape,
    private readonly ignored: FieldSet,
  ) {}

  fieldSet(value: unknown): FieldSet {
    return toFieldSet(this.r, this.root, value).recursiveDifference(this.ignored);
  }

  compare(oldObj: unknown, newObj: unknown): Comparison {
    const c = compare(this.r, this.root, oldObj, newObj);
    return {
      added: c.added.recursiveDifference(this.ignored),
      modified: c.modified.recursiveDifference(this.ignored),
      removed: c.removed.recursiveDifference(this.ignored),
    };
  }

  update(oldObj: unknown, newObj: unknown, managers: Managers, workflowId: string, force: boolean): { managers: Managers; comparison: Comparison } {
    const comparison = this.compare(oldObj, newObj);
    const changed = comparison.modified.union(comparison.added);
    const conflicts: Conflict[] = [];
    for (const [id, e] of managers) {
      if (id === workflowId) continue;
      for (const path of e.set.intersection(changed).paths()) conflicts.push({ managerId: id, path });
    }
    if (!force && conflicts.length > 0) throw new ApplyConflicts(conflicts);
    const out: Managers = new Map();
    for (const [id, e] of managers) {
      const set = id === workflowId ? e.set : e.set.difference(changed).difference(comparison.removed);
      if (!set.isEmpty()) out.set(id, { ...e, set });
    }
    return { managers: out, comparison };
  }

  apply(live: JsonObject, config: JsonObject, managers: Managers, id: string, entry: Omit<ManagerEntry, "set">, force: boolean): { object: JsonObject | undefined; managers: Managers } {
    const merged = (mergeTyped(this.r, this.root, live, config) ?? {}) as JsonObject;
    const lastSet = managers.get(id)?.set;
    const next: Managers = new Map(managers);
    next.set(id, { ...entry, set: this.fieldSet(config) });
    const pruned = this.prune(merged, next, lastSet);
    const result = this.update(live, pruned, next, id, force);
    return { object: deepEqual(live, pruned) ? undefined : pruned, managers: result.managers };
  }

  /**
   * Remove what the applier owned last time and no longer applies, keeping anything another
   * manager (or the applier's new config) owns, and anything the applier never owned.
   */
  private prune(merged: JsonObject, managers: Managers, lastSet: FieldSet | undefined): JsonObject {
    if (!lastSet || lastSet.isEmpty()) return merged;
    const named = (s: FieldSet) => ensureNamedFieldsAreMembers(this.r, this.root, s);
    const setOf = (v: unknown) => named(toFieldSet(this.r, this.root, v));
    const remove = (s: FieldSet) => (removeItems(this.r, this.root, merged, s) ?? {}) as JsonObject;
    const last = named(lastSet);
    const mergedSet = setOf(merged);

    let owned = new FieldSet();
    for (const e of managers.values()) owned = owned.union(e.set);
    const withoutLast = remove(last);
    const ownedBack = remove(mergedSet.difference(setOf(withoutLast).union(named(owned))));
    return remove(mergedSet.difference(setOf(ownedBack)).intersection(last));
  }
}
