/**
 * DELETE with upstream's semantics: preconditions (uid, resourceVersion), finalizers (the object
 * stays with deletionTimestamp until they are gone), graceful deletion of pods (a scheduled,
 * non-terminal pod gets deletionTimestamp = now + grace and is removed when its node confirms
 * with grace 0), dryRun. propagationPolicy is accepted; Orphan and Foreground add upstream's
 * finalizers only when the object has dependents (see docs/api-coverage.md).
 */
import type { KubeObject, ResourceTraits } from "../../api/types.js";
import { badRequest, conflict, notFound, StatusError } from "../../api/status.js";
import { isStoreError } from "../../store/types.js";
import type { RegistryContext, WriteOptions } from "./context.js";
import { readerFor } from "./context.js";
import { decodeObject, encodeObject } from "./codec.js";
import { objectKey } from "./keys.js";
import { tryGetObject } from "./read.js";

export interface DeleteOptionsBody {
  gracePeriodSeconds?: number;
  propagationPolicy?: "Orphan" | "Background" | "Foreground";
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: string[];
}

export interface DeleteResult {
  object: KubeObject;
  /** True when the object is gone from the store; false when it waits for finalizers or its node. */
  deleted: boolean;
}

export function parseDeleteOptions(body: unknown, query: URLSearchParams): DeleteOptionsBody {
  const out: DeleteOptionsBody = {};
  if (body && typeof body === "object" && !Array.isArray(body)) Object.assign(out, body);
  const g = query.get("gracePeriodSeconds");
  if (g !== null) out.gracePeriodSeconds = Number(g);
  const pp = query.get("propagationPolicy");
  if (pp) out.propagationPolicy = pp as DeleteOptionsBody["propagationPolicy"];
  if (out.gracePeriodSeconds !== undefined && (!Number.isInteger(out.gracePeriodSeconds) || out.gracePeriodSeconds < 0)) {
    throw badRequest("gracePeriodSeconds must be a non-negative integer");
  }
  if (out.propagationPolicy && !["Orphan", "Background", "Foreground"].includes(out.propagationPolicy)) {
    throw new StatusError(422, "Invalid", `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${out.propagationPolicy}": supported values: "Foreground", "Background", "Orphan", "nil"`);
  }
  return out;
}

function podGrace(obj: KubeObject, requested: number | undefined): number {
  const spec = (obj.spec ?? {}) as { nodeName?: string; terminationGracePeriodSeconds?: number };
  const phase = ((obj.status ?? {}) as { phase?: string }).phase;
  // Upstream: an unscheduled or finished pod has nothing to stop, so it goes at once.
  if (!spec.nodeName || phase === "Succeeded" || phase === "Failed") return 0;
  const g = requested ?? spec.terminationGracePeriodSeconds ?? 30;
  return g;
}

function hasPendingFinalizers(t: ResourceTraits, obj: KubeObject): boolean {
  if ((obj.metadata.finalizers ?? []).length > 0) return true;
  return t.kind === "Namespace" && (((obj.spec ?? {}) as { finalizers?: string[] }).finalizers ?? []).length > 0;
}

export async function deleteObject(ctx: RegistryContext, t: ResourceTraits, ns: string | undefined, name: string, o: DeleteOptionsBody, opts: WriteOptions): Promise<DeleteResult> {
  const key = objectKey(t, ns, name);
  for (let attempt = 0; ; attempt++) {
    const cur = await tryGetObject(ctx, t, ns, name);
    if (!cur) throw notFound(t.plural, name, t.group);
    const pre = o.preconditions;
    if (pre?.uid && pre.uid !== cur.metadata.uid) {
      throw conflict(t.plural, name, t.group, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${cur.metadata.uid}`);
    }
    if (pre?.resourceVersion && pre.resourceVersion !== cur.metadata.resourceVersion) {
      throw conflict(t.plural, name, t.group, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in meta: ${cur.metadata.resourceVersion}`);
    }
    const attrs = { operation: "DELETE" as const, resource: t, subresource: "", namespace: ns, name, oldObject: cur, dryRun: opts.dryRun, user: opts.user, reader: readerFor(ctx) };
    for (const p of ctx.admission) if (p.validate) await p.validate(attrs);

    const grace = t.kind === "Pod" ? podGrace(cur, o.gracePeriodSeconds) : 0;
    const rev = Number(cur.metadata.resourceVersion);
    if (!hasPendingFinalizers(t, cur) && grace === 0) {
      if (opts.dryRun) return { object: cur, deleted: true };
      try {
        const kv = await ctx.backend.delete(key, rev);
        const out = decodeObject(kv);
        return { object: out, deleted: true };
      } catch (e) {
        if ((isStoreError(e, "Conflict") || isStoreError(e, "NotFound")) && attempt < 10) continue;
        throw e;
      }
    }
    // Graceful: mark for deletion (or shorten an existing grace period) and keep the object.
    const next: KubeObject = structuredClone(cur);
    const now = ctx.now();
    const m = next.metadata;
    if (!m.deletionTimestamp) {
      m.deletionTimestamp = new Date(now.getTime() + grace * 1000).toISOString().replace(/\.\d+Z$/, "Z");
      m.deletionGracePeriodSeconds = grace;
    } else if (t.kind === "Pod" && grace < (m.deletionGracePeriodSeconds ?? 0)) {
      m.deletionTimestamp = new Date(now.getTime() + grace * 1000).toISOString().replace(/\.\d+Z$/, "Z");
      m.deletionGracePeriodSeconds = grace;
    } else {
      return { object: cur, deleted: false };
    }
    if (t.kind === "Namespace") next.status = { ...((next.status ?? {}) as object), phase: "Terminating" };
    if (opts.dryRun) return { object: next, deleted: false };
    try {
      const kv = await ctx.backend.update(key, encodeObject(next), rev);
      return { object: decodeObject(kv), deleted: false };
    } catch (e) {
      if ((isStoreError(e, "Conflict") || isStoreError(e, "NotFound")) && attempt < 10) continue;
      throw e;
    }
  }
}
