/**
 * What each kind file declares: the shared ResourceTraits plus the kind's metadata name rule
 * (upstream's ValidateNameFunc), which validateObjectMeta reads. Helpers here implement the
 * strategy pieces most kinds share.
 */
import type { KubeObject, ResourceTraits, WriteContext } from "../types.js";
import type { NameValidator } from "../validation/names.js";

export interface KindDefinition<T extends KubeObject = KubeObject> extends ResourceTraits<T> {
  /** Name rule for metadata.name and generateName. */
  validateName: NameValidator;
}

/** Standard verbs of a served kind, in discovery order. */
export const STANDARD_VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

/** Let a typed definition sit in the untyped registry (parameter variance is not checked there). */
export function registerKind<T extends KubeObject>(def: KindDefinition<T>): KindDefinition {
  return def as unknown as KindDefinition;
}

/** metav1.Time as stored: RFC 3339 with second precision. */
export function timestamp(now: Date): string {
  return new Date(Math.floor(now.getTime() / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

export function clone<V>(v: V): V {
  return v === undefined ? v : structuredClone(v);
}

/**
 * The usual status-subresource split: a main-resource update keeps the stored status; a status
 * update keeps the stored spec. Absent fields stay absent.
 */
export function splitSpecAndStatus(obj: KubeObject, old: KubeObject, ctx: WriteContext, specFields: string[] = ["spec"]): void {
  if (ctx.subresource === "status") {
    for (const f of specFields) {
      if (old[f] === undefined) delete obj[f];
      else obj[f] = clone(old[f]);
    }
  } else {
    if (old.status === undefined) delete obj.status;
    else obj.status = clone(old.status);
  }
}

export function ensureObject<V extends object>(holder: Record<string, unknown>, key: string): V {
  const v = holder[key];
  if (typeof v === "object" && v !== null && !Array.isArray(v)) return v as V;
  const created = {} as V;
  holder[key] = created;
  return created;
}
