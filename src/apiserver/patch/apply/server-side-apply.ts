/**
 * PATCH with application/apply-patch+yaml: merge the applied configuration into the live
 * object (or into nothing: create-if-absent), make the manager own exactly the fields it
 * applied, prune what it stopped applying, and refuse (409) to change a field another manager
 * owns unless `force`. Returns the object to store with its new metadata.managedFields.
 *
 * The result may still carry fields the strategy resets (status on the main resource); the
 * caller runs prepareForCreate/prepareForUpdate as for any write.
 */
import type { KubeObject, Schema, SchemaRegistry } from "../../../api/types.js";
import { StatusError } from "../../../api/status.js";
import { assertMaxDepth, badRequest } from "../errors.js";
import { dropNulls, getOwn, isObject, jsonTypeName, type JsonObject } from "../json.js";
import { resolverFor } from "../schema.js";
import { ApplyConflicts, conflictError } from "./conflicts.js";
import { resetFieldSet, rfc3339Seconds, STRIPPED_META } from "./field-filters.js";
import { KUBECTL_MANAGER, allowedFromLastApplied, syncLastApplied } from "./last-applied.js";
import { capUpdateManagers, managerId, type ManagerEntry, type Managers } from "./managers.js";
import { finishObject, liveManagers, withoutManagedFields, type ManagedResult } from "./object-managed-fields.js";
import { recordUpdate } from "./record-update.js";
import { Updater } from "./updater.js";
import { validateApplied } from "./validate.js";

export interface ServerSideApplyInput {
  /** The stored object, or undefined to create it. */
  live: KubeObject | undefined;
  /** The decoded request body. */
  applied: unknown;
  manager: string;
  force: boolean;
  /** The version the request addressed; the body's apiVersion must match it. */
  apiVersion: string;
  /** When given, the body's kind must match it. */
  kind?: string;
  now: Date;
  schemas: SchemaRegistry;
  rootSchema: Schema | string;
  /** "" for the main resource, "status" for the status subresource. */
  subresource: string;
  /** Top-level fields nobody may own through this endpoint (default: status, or spec for /status). */
  resetFields?: string[][];
}

/** Upstream's manager for fields an object had before its first apply. */
const BEFORE_FIRST_APPLY = "before-first-apply";

export function serverSideApply(input: ServerSideApplyInput): ManagedResult {
  const applied = checkAppliedObject(input);
  const r = resolverFor(input.schemas);
  const root = r.root(input.rootSchema);
  const errors = validateApplied(r, root, applied);
  if (errors.length > 0) throw typedPatchError(applied, errors);

  const updater = new Updater(r, root, resetFieldSet(input.subresource, input.resetFields));
  const time = rfc3339Seconds(input.now);
  const live = input.live ? withoutManagedFields(input.live) : {};
  let managers = liveManagers(input.live);
  if (managers.size === 0 && input.live) {
    // An object nobody tracked yet: its current fields belong to a placeholder updater, so the
    // first applier conflicts with them instead of silently taking them over.
    const entry = { manager: BEFORE_FIRST_APPLY, operation: "Update" as const, apiVersion: input.apiVersion, subresource: input.subresource };
    managers = recordUpdate(updater, {}, live, managers, entry, time);
  }
  const entry: Omit<ManagerEntry, "set"> = { manager: input.manager, operation: "Apply", apiVersion: input.apiVersion, subresource: input.subresource };
  const run = (force: boolean) => applyOnce(updater, live, applied, managers, entry, force, time);

  let result: ReturnType<typeof run>;
  try {
    result = run(input.force);
  } catch (e) {
    if (!(e instanceof ApplyConflicts)) throw e;
    result = retryForKubectl(e, input, updater, live, run);
  }
  // dropNulls copies the whole tree, so the result shares nothing with the inputs.
  const object = dropNulls(result.object ?? live) as JsonObject;
  if (input.manager === KUBECTL_MANAGER) syncLastApplied(object, applied);
  return finishObject(object, result.managers);
}

function applyOnce(updater: Updater, live: JsonObject, applied: JsonObject, managers: Managers, entry: Omit<ManagerEntry, "set">, force: boolean, time: string) {
  const id = managerId(entry);
  const res = updater.apply(live, applied, managers, id, entry, force);
  const out: Managers = new Map(res.managers);
  const mine = out.get(id);
  if (mine) {
    const set = mine.set.difference(STRIPPED_META);
    // Upstream stamps the applier only when the object changed; otherwise its old time stays.
    const stamp = res.object !== undefined ? time : managers.get(id)?.time;
    if (set.isEmpty()) out.delete(id);
    else out.set(id, { ...mine, set, ...(stamp !== undefined ? { time: stamp } : {}) });
  }
  return { object: res.object, managers: capUpdateManagers(out) };
}

/** Upgrade path from client-side apply (see last-applied.ts): forgive what the annotation explains. */
function retryForKubectl<T>(e: ApplyConflicts, input: ServerSideApplyInput, updater: Updater, live: JsonObject, run: (force: boolean) => T): T {
  if (input.manager !== KUBECTL_MANAGER) throw conflictError(e.conflicts);
  const allowed = allowedFromLastApplied(updater, live, input.apiVersion);
  if (!allowed) throw conflictError(e.conflicts);
  const remaining = e.conflicts.filter((c) => !allowed.has(c.path));
  if (remaining.length > 0) throw conflictError(remaining);
  return run(true);
}

function checkAppliedObject(input: ServerSideApplyInput): JsonObject {
  const applied = input.applied;
  if (!isObject(applied)) {
    throw badRequest(`error decoding YAML: json: cannot unmarshal ${jsonTypeName(applied)} into Go value of type map[string]interface {}`);
  }
  assertMaxDepth(applied);
  if (getOwn(applied, "apiVersion") !== input.apiVersion) {
    throw badRequest(`Incorrect version specified in apply patch. Specified patch version: ${text(getOwn(applied, "apiVersion"))}, expected: ${input.apiVersion}`);
  }
  if (input.kind !== undefined && getOwn(applied, "kind") !== input.kind) {
    throw badRequest(`invalid object type: ${gvkString(input.apiVersion, text(getOwn(applied, "kind")))}`);
  }
  const meta = getOwn(applied, "metadata");
  if (isObject(meta) && getOwn(meta, "managedFields") !== undefined && meta.managedFields !== null) {
    throw badRequest("metadata.managedFields must be nil");
  }
  return applied;
}

/** A value for an error message; hostile objects (e.g. {"toString": null}) cannot break it. */
function text(v: unknown): string {
  if (v === undefined || v === null) return "";
  return typeof v === "string" ? v : JSON.stringify(v) ?? "";
}

/** schema.GroupVersionKind.String(): "/v1, Kind=Pod", "storage.k8s.io/v1, Kind=StorageClass". */
function gvkString(apiVersion: string, kind: string): string {
  const gv = apiVersion.includes("/") ? apiVersion : `/${apiVersion}`;
  return `${gv}, Kind=${kind}`;
}

/**
 * Upstream answers an applied configuration that does not fit the schema with "failed to create
 * typed patch object (ns/name; gvk): <errors>" as a bare 500; it is the client's error, so 422.
 */
function typedPatchError(applied: JsonObject, errors: string[]): StatusError {
  const meta = isObject(applied.metadata) ? applied.metadata : {};
  const where = `${text(meta.namespace)}/${text(meta.name)}; ${gvkString(text(applied.apiVersion), text(applied.kind))}`;
  const detail = errors.length === 1 ? errors[0] : ["errors:", ...errors.map((e) => `  ${e}`)].join("\n");
  return new StatusError(422, "Invalid", `failed to create typed patch object (${where}): ${detail}`, {
    causes: errors.map((message) => ({ reason: "FieldValueInvalid", message })),
  });
}
