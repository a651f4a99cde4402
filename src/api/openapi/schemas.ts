/**
 * Every named schema, keyed by upstream's definition name (io.k8s.api.core.v1.PersistentVolumeClaim,
 * io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta, …). Schemas reference each other with
 * `#/components/schemas/<name>`; `referencedClosure` collects what a document must include.
 */
import type { Schema, SchemaRegistry } from "../types.js";
import { REF_PREFIX } from "./dsl.js";
import { metaSchemas } from "./schemas-meta.js";
import { coreCommonSchemas } from "./schemas-core-common.js";
import { volumeSchemas } from "./schemas-volumes.js";
import { claimSchemas } from "./schemas-claims.js";
import { containerSchemas } from "./schemas-container.js";
import { podSchemas } from "./schemas-pod.js";
import { coreMiscSchemas } from "./schemas-core-misc.js";
import { storageSchemas } from "./schemas-storage.js";
import { rbacSchemas } from "./schemas-rbac.js";

export const schemas: SchemaRegistry = {
  ...metaSchemas,
  ...coreCommonSchemas,
  ...volumeSchemas,
  ...claimSchemas,
  ...containerSchemas,
  ...podSchemas,
  ...coreMiscSchemas,
  ...storageSchemas,
  ...rbacSchemas,
};

/** The schema a `$ref` names, or undefined. */
export function resolveRef(refText: string): Schema | undefined {
  return refText.startsWith(REF_PREFIX) ? schemas[refText.slice(REF_PREFIX.length)] : undefined;
}

function collectRefs(node: unknown, out: Set<string>): void {
  if (Array.isArray(node)) {
    for (const n of node) collectRefs(n, out);
    return;
  }
  if (typeof node !== "object" || node === null) return;
  for (const [k, v] of Object.entries(node)) {
    if (k === "$ref" && typeof v === "string" && v.startsWith(REF_PREFIX)) out.add(v.slice(REF_PREFIX.length));
    else collectRefs(v, out);
  }
}

/** Names reachable from `roots` through $refs (roots included). */
export function referencedClosure(roots: Iterable<string>): string[] {
  const seen = new Set<string>();
  const queue = [...roots];
  while (queue.length > 0) {
    const name = queue.pop() as string;
    if (seen.has(name) || !schemas[name]) continue;
    seen.add(name);
    const refs = new Set<string>();
    collectRefs(schemas[name], refs);
    for (const r of refs) if (!seen.has(r)) queue.push(r);
  }
  return [...seen].sort();
}
