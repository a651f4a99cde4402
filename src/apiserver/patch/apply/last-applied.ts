/**
 * Moving from client-side to server-side apply, as upstream does for the field manager
 * "kubectl" only (other names opt out):
 * - conflicts are forgiven for fields the kubectl.kubernetes.io/last-applied-configuration
 *   annotation lists with the live value: the user applied them before, so taking them over
 *   is what they asked for (lastAppliedManager);
 * - after the apply, an existing annotation is rewritten to the new configuration, so a later
 *   client-side apply computes its three-way patch from the right base (lastAppliedUpdater).
 */
import type { FieldSet } from "../fieldpath/set.js";
import { canonicalJson, deepClone, getOwn, isObject, type JsonObject } from "../json.js";
import type { Updater } from "./updater.js";

export const LAST_APPLIED_ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration";
export const KUBECTL_MANAGER = "kubectl";

function annotationsOf(obj: JsonObject): JsonObject | undefined {
  const meta = getOwn(obj, "metadata");
  const ann = isObject(meta) ? getOwn(meta, "annotations") : undefined;
  return isObject(ann) ? ann : undefined;
}

export function lastAppliedOf(obj: JsonObject): string | undefined {
  const v = annotationsOf(obj) ? getOwn(annotationsOf(obj)!, LAST_APPLIED_ANNOTATION) : undefined;
  return typeof v === "string" && v !== "" ? v : undefined;
}

/** Fields set in the last-applied configuration with the same value live; undefined if none can be trusted. */
export function allowedFromLastApplied(updater: Updater, live: JsonObject, apiVersion: string): FieldSet | undefined {
  const raw = lastAppliedOf(live);
  if (raw === undefined) return undefined;
  let last: unknown;
  try {
    last = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (!isObject(last) || last.apiVersion !== apiVersion) return undefined;
  const diff = updater.compare(last, live);
  return updater.fieldSet(last).difference(diff.modified).difference(diff.added).difference(diff.removed);
}

/** The annotation value for an applied configuration: compact JSON, sorted keys, trailing newline. */
export function buildLastApplied(applied: JsonObject): string {
  const copy = deepClone(applied);
  const ann = annotationsOf(copy);
  if (ann) delete ann[LAST_APPLIED_ANNOTATION];
  return `${canonicalJson(copy)}\n`;
}

/** Rewrite an existing annotation in place; objects without one are left alone. */
export function syncLastApplied(obj: JsonObject, applied: JsonObject): void {
  const ann = annotationsOf(obj);
  if (ann && lastAppliedOf(obj) !== undefined) ann[LAST_APPLIED_ANNOTATION] = buildLastApplied(applied);
}
