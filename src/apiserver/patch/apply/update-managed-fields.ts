/**
 * managedFields for ordinary writes (create, update, patch of any type): the writer owns what
 * it changed, as an "Update" entry per manager + apiVersion + subresource.
 *
 * Which managers the write starts from follows upstream: for the main resource a client may
 * send managedFields itself (a PUT that edits them is honoured, `[]` or `[{}]` resets them),
 * otherwise, or when what it sent is unreadable, the stored object's; a subresource
 * always uses the stored object's. An existing object with no managers at all stays untracked
 * (upstream's skipNonApplied); the next apply takes it over via "before-first-apply".
 */
import type { KubeObject, Schema, SchemaRegistry } from "../../../api/types.js";
import { deepClone, isObject } from "../json.js";
import { resolverFor } from "../schema.js";
import { resetFieldSet, rfc3339Seconds } from "./field-filters.js";
import { capUpdateManagers, decodeManagers, type Managers } from "./managers.js";
import { finishObject, liveManagers, withoutManagedFields, type ManagedResult } from "./object-managed-fields.js";
import { recordUpdate } from "./record-update.js";
import { Updater } from "./updater.js";

export interface UpdateManagedFieldsInput {
  /** The stored object, or undefined for a create. */
  old: KubeObject | undefined;
  /** The object about to be stored (after the patch, before or after defaulting as the caller chooses). */
  updated: KubeObject;
  manager: string;
  operation?: "Update";
  apiVersion: string;
  now: Date;
  schemas: SchemaRegistry;
  rootSchema: Schema | string;
  subresource: string;
  resetFields?: string[][];
}

export function updateManagedFields(input: UpdateManagedFieldsInput): ManagedResult {
  const managers = startingManagers(input);
  const updated = deepClone(withoutManagedFields(input.updated));
  if (managers === "untracked") return finishObject(updated, new Map());
  const r = resolverFor(input.schemas);
  const updater = new Updater(r, r.root(input.rootSchema), resetFieldSet(input.subresource, input.resetFields));
  const old = input.old ? withoutManagedFields(input.old) : {};
  const entry = { manager: input.manager, operation: "Update" as const, apiVersion: input.apiVersion, subresource: input.subresource };
  const next = recordUpdate(updater, old, updated, managers, entry, rfc3339Seconds(input.now));
  return finishObject(updated, capUpdateManagers(next));
}

function startingManagers(input: UpdateManagedFieldsInput): Managers | "untracked" {
  let managers: Managers;
  const sent = input.updated.metadata?.managedFields as unknown;
  if (input.subresource !== "") managers = liveManagers(input.old);
  else if (isReset(sent)) managers = new Map();
  else managers = decodeOr(sent, () => liveManagers(input.old));
  if (managers.size === 0 && input.old !== undefined) return "untracked";
  return managers;
}

/** `[]` or `[{}]`: the client asks to clear managedFields. */
function isReset(sent: unknown): boolean {
  if (!Array.isArray(sent)) return false;
  return sent.length === 0 || (sent.length === 1 && isObject(sent[0]) && Object.keys(sent[0]).length === 0);
}

function decodeOr(sent: unknown, fallback: () => Managers): Managers {
  try {
    const m = decodeManagers(deepClone(sent));
    return m.size > 0 ? m : fallback();
  } catch {
    return fallback();
  }
}

