/**
 * PATCH: the patch is applied to the latest stored object and the result goes through the
 * ordinary update path; a conflict with a concurrent writer re-applies the patch to the new
 * version, unless the patch itself pinned metadata.resourceVersion. Apply patches
 * (server-side apply) create the object when it is missing.
 */
import type { KubeObject, ResourceTraits } from "../../api/types.js";
import { badRequest } from "../../api/status.js";
import type { RegistryContext, WriteOptions, WriteResult } from "../registry/context.js";
import { updateObject } from "../registry/write.js";
import { applyJsonPatch, jsonMergePatch, serverSideApply, strategicMergePatch } from "../registry/deps.js";
import type { PatchType } from "../http/negotiate.js";

function pinnedRv(patch: unknown): string | undefined {
  if (!patch || typeof patch !== "object" || Array.isArray(patch)) return undefined;
  const meta = (patch as { metadata?: { resourceVersion?: unknown } }).metadata;
  return typeof meta?.resourceVersion === "string" && meta.resourceVersion !== "" ? meta.resourceVersion : undefined;
}

export async function applyPatch(ctx: RegistryContext, t: ResourceTraits, ns: string | undefined, name: string, type: PatchType, patch: unknown, force: boolean, opts: WriteOptions): Promise<WriteResult> {
  if (type === "json") {
    if (!Array.isArray(patch)) throw badRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
  } else if (!patch || typeof patch !== "object" || Array.isArray(patch)) {
    throw badRequest("the patch body must be a JSON object");
  }
  if (type === "apply") {
    return updateObject(ctx, t, ns, name, {
      allowCreate: opts.subresource === "",
      managedFieldsDone: true,
      desired: (current: KubeObject | undefined) => {
        const applied = structuredClone(patch) as KubeObject;
        return serverSideApply({
          live: current, applied, manager: opts.fieldManager, force, apiVersion: t.group ? `${t.group}/${t.version}` : t.version, kind: t.kind,
          now: ctx.now(), subresource: opts.subresource, rootSchema: t.schemaName,
        });
      },
      preconditionRv: pinnedRv(patch),
    }, opts);
  }
  return updateObject(ctx, t, ns, name, {
    allowCreate: false,
    preconditionRv: pinnedRv(patch),
    desired: (current: KubeObject | undefined) => {
      const base = structuredClone(current!) as KubeObject;
      let out: unknown;
      if (type === "merge") out = jsonMergePatch(base, patch);
      else if (type === "json") out = applyJsonPatch(base, patch as unknown[]);
      else out = strategicMergePatch(base, patch, t.schemaName);
      return out as KubeObject;
    },
  }, opts);
}
