/**
 * metadata validation with upstream's rules and messages (apimachinery ValidateObjectMeta and
 * ValidateObjectMetaUpdate, plus core's finalizer-name rule): name / generateName syntax per
 * kind, namespace iff namespaced, labels, annotations (keys and the 256 KiB total), finalizers,
 * ownerReferences, managedFields, and on update the immutable identity fields.
 */
import type { FieldError, ObjectMeta, OwnerReference } from "../types.js";
import { forbidden, GoValue, invalid, required, tooLong } from "../fields/errors.js";
import { isDNS1123Label, isQualifiedName, isValidLabelValue, type NameValidator } from "./names.js";

export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;
const STANDARD_FINALIZERS = new Set(["kubernetes", "orphan", "foregroundDeletion"]);

export function validateLabels(labels: Record<string, string> | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    for (const m of isQualifiedName(k)) errs.push(invalid(field, k, m));
    if (typeof v !== "string") {
      errs.push(invalid(field, v, "must be a string"));
      continue;
    }
    for (const m of isValidLabelValue(v)) errs.push(invalid(field, v, m));
  }
  return errs;
}

export function validateAnnotations(annotations: Record<string, string> | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const [k, v] of Object.entries(annotations ?? {})) {
    // Case does not matter for annotation keys upstream.
    for (const m of isQualifiedName(k.toLowerCase())) errs.push(invalid(field, k, m));
    total += Buffer.byteLength(k) + Buffer.byteLength(String(v));
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT) errs.push(tooLong(field, "", TOTAL_ANNOTATION_SIZE_LIMIT));
  return errs;
}

export function validateFinalizers(finalizers: string[] | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  let orphan = false;
  let foreground = false;
  for (const f of finalizers ?? []) {
    for (const m of isQualifiedName(f)) errs.push(invalid(field, f, m));
    if (f === "orphan") orphan = true;
    if (f === "foregroundDeletion") foreground = true;
  }
  if (orphan && foreground) errs.push(invalid(field, finalizers, "finalizer orphan and foregroundDeletion cannot be both set"));
  return errs;
}

/** core's extra rule: a finalizer without a '/' must be one of the standard names. */
export function validateKubeFinalizerNames(finalizers: string[] | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of finalizers ?? []) {
    if (!f.includes("/") && !STANDARD_FINALIZERS.has(f)) {
      errs.push(invalid(field, f, "name is neither a standard finalizer name nor is it fully qualified"));
    }
  }
  return errs;
}

function goOwnerReferences(refs: OwnerReference[]): GoValue {
  const items = refs.map(
    (r) => `v1.OwnerReference{APIVersion:${JSON.stringify(r.apiVersion ?? "")}, Kind:${JSON.stringify(r.kind ?? "")}, Name:${JSON.stringify(r.name ?? "")}, UID:${JSON.stringify(r.uid ?? "")}}`,
  );
  return new GoValue(`[]v1.OwnerReference{${items.join(", ")}}`);
}

export function validateOwnerReferences(refs: OwnerReference[] | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  let firstController = "";
  for (const ref of refs ?? []) {
    const version = (ref.apiVersion ?? "").split("/").pop() ?? "";
    if (!version) errs.push(invalid(`${field}.apiVersion`, ref.apiVersion ?? "", "version must not be empty"));
    if (!ref.kind) errs.push(invalid(`${field}.kind`, ref.kind ?? "", "kind must not be empty"));
    if (!ref.name) errs.push(invalid(`${field}.name`, ref.name ?? "", "name must not be empty"));
    if (!ref.uid) errs.push(invalid(`${field}.uid`, ref.uid ?? "", "uid must not be empty"));
    if (ref.apiVersion === "v1" && ref.kind === "Event") errs.push(invalid(field, JSON.stringify(ref), "/v1, Kind=Event is disallowed from being an owner"));
    if (ref.controller === true) {
      const current = `${ref.kind}/${ref.name}`;
      if (firstController) {
        errs.push(
          invalid(
            field,
            goOwnerReferences(refs ?? []),
            `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${current}`,
          ),
        );
      } else {
        firstController = current;
      }
    }
  }
  return errs;
}

export function validateManagedFields(entries: ObjectMeta["managedFields"], field: string): FieldError[] {
  const errs: FieldError[] = [];
  (entries ?? []).forEach((e, i) => {
    const p = `${field}[${i}]`;
    if (e.operation !== "Apply" && e.operation !== "Update") errs.push(invalid(`${p}.operation`, e.operation ?? "", "must be `Apply` or `Update`"));
    if (e.fieldsType && e.fieldsType !== "FieldsV1") errs.push(invalid(`${p}.fieldsType`, e.fieldsType, "must be `FieldsV1`"));
    const manager = e.manager ?? "";
    if (manager.length > 128) errs.push(tooLong(`${p}.manager`, manager, 128));
    else if (/[^\x20-\x7e]/.test(manager)) errs.push(invalid(`${p}.manager`, manager, "must only contain printable characters"));
    if ((e.subresource ?? "").length > 256) errs.push(tooLong(`${p}.subresource`, e.subresource, 256));
  });
  return errs;
}

/** Go's metav1.Time String(), used when upstream prints a timestamp in an error. */
export function goTime(iso: string | undefined): GoValue {
  if (!iso) return new GoValue("<nil>");
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return new GoValue(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return new GoValue(
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000 UTC`,
  );
}

export interface MetaRules {
  namespaced: boolean;
  validateName: NameValidator;
}

/** Create-time metadata rules (also re-applied on update). */
export function validateMetaCreate(meta: ObjectMeta | undefined, rules: MetaRules): FieldError[] {
  const m = meta ?? {};
  const errs: FieldError[] = [];
  if (m.generateName) for (const msg of rules.validateName(m.generateName, true)) errs.push(invalid("metadata.generateName", m.generateName, msg));
  if (!m.name) errs.push(required("metadata.name", "name or generateName is required"));
  else for (const msg of rules.validateName(m.name, false)) errs.push(invalid("metadata.name", m.name, msg));
  if (rules.namespaced) {
    if (!m.namespace) errs.push(required("metadata.namespace"));
    else for (const msg of isDNS1123Label(m.namespace)) errs.push(invalid("metadata.namespace", m.namespace, msg));
  } else if (m.namespace) {
    errs.push(forbidden("metadata.namespace", "not allowed on this type"));
  }
  if (typeof m.generation === "number" && m.generation < 0) errs.push(invalid("metadata.generation", m.generation, "must be greater than or equal to 0"));
  errs.push(...validateLabels(m.labels, "metadata.labels"));
  errs.push(...validateAnnotations(m.annotations, "metadata.annotations"));
  errs.push(...validateOwnerReferences(m.ownerReferences, "metadata.ownerReferences"));
  errs.push(...validateFinalizers(m.finalizers, "metadata.finalizers"));
  errs.push(...validateManagedFields(m.managedFields, "metadata.managedFields"));
  errs.push(...validateKubeFinalizerNames(m.finalizers, "metadata.finalizers"));
  return errs;
}

function immutable(field: string, now: unknown, before: unknown, render: (v: unknown) => unknown = (v) => v ?? ""): FieldError[] {
  return (now ?? "") === (before ?? "") ? [] : [invalid(field, render(now), "field is immutable")];
}

/** Update-only metadata rules: identity fields immutable, no new finalizers while deleting. */
export function validateMetaUpdate(meta: ObjectMeta | undefined, old: ObjectMeta | undefined): FieldError[] {
  const m = meta ?? {};
  const o = old ?? {};
  const errs: FieldError[] = [];
  if (o.deletionTimestamp) {
    const before = new Set(o.finalizers ?? []);
    const extra = [...new Set((m.finalizers ?? []).filter((f) => !before.has(f)))].sort();
    if (extra.length > 0) {
      const list = `[]string{${extra.map((f) => JSON.stringify(f)).join(", ")}}`;
      errs.push(forbidden("metadata.finalizers", `no new finalizers can be added if the object is being deleted, found new finalizers ${list}`));
    }
  }
  if (!m.resourceVersion) errs.push(invalid("metadata.resourceVersion", m.resourceVersion ?? "", "must be specified for an update"));
  if ((m.generation ?? 0) < (o.generation ?? 0)) errs.push(invalid("metadata.generation", m.generation ?? 0, "must not be decremented"));
  errs.push(...immutable("metadata.name", m.name, o.name));
  errs.push(...immutable("metadata.namespace", m.namespace, o.namespace));
  errs.push(...immutable("metadata.uid", m.uid, o.uid));
  errs.push(...immutable("metadata.creationTimestamp", m.creationTimestamp, o.creationTimestamp, (v) => goTime(v as string)));
  errs.push(...immutable("metadata.deletionTimestamp", m.deletionTimestamp, o.deletionTimestamp, (v) => goTime(v as string)));
  if ((m.deletionGracePeriodSeconds ?? null) !== (o.deletionGracePeriodSeconds ?? null)) {
    errs.push(invalid("metadata.deletionGracePeriodSeconds", m.deletionGracePeriodSeconds ?? null, "field is immutable"));
  }
  return errs;
}

/**
 * What upstream's registry does to metadata before update validation: an update sent without
 * resourceVersion is unconditional and takes the stored one (every kind Cistern serves allows
 * that); the request may not change generation, uid (when omitted), creationTimestamp or an
 * existing deletionTimestamp.
 */
export function prepareMetaForUpdate(meta: ObjectMeta, old: ObjectMeta): void {
  if (!meta.resourceVersion && old.resourceVersion) meta.resourceVersion = old.resourceVersion;
  if (old.generation !== undefined) meta.generation = old.generation;
  else delete meta.generation;
  if (!meta.uid && old.uid) meta.uid = old.uid;
  if (old.creationTimestamp) meta.creationTimestamp = old.creationTimestamp;
  if (old.deletionTimestamp) meta.deletionTimestamp = old.deletionTimestamp;
  if (old.deletionGracePeriodSeconds !== undefined && meta.deletionGracePeriodSeconds === undefined) {
    meta.deletionGracePeriodSeconds = old.deletionGracePeriodSeconds;
  }
}
