/**
 * Server-side printing (meta.k8s.io/v1 Table): kubectl renders `get` output from these rows and
 * has no client-side printers of its own for built-in kinds.
 */
import type { KubeObject, ResourceTraits } from "../../api/types.js";

export type IncludeObject = "None" | "Metadata" | "Object";

export interface TableOptions {
  includeObject: IncludeObject;
  noHeaders?: boolean;
  resourceVersion?: string;
  continueToken?: string;
  remainingItemCount?: number;
}

function rowObject(o: KubeObject, include: IncludeObject): unknown {
  if (include === "None") return undefined;
  if (include === "Object") return o;
  return { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: o.metadata };
}

export function toTable(t: ResourceTraits, objects: KubeObject[], opts: TableOptions, now = new Date()): Record<string, unknown> {
  const metadata: Record<string, unknown> = {};
  if (opts.resourceVersion !== undefined) metadata.resourceVersion = opts.resourceVersion;
  if (opts.continueToken) metadata.continue = opts.continueToken;
  if (opts.remainingItemCount !== undefined) metadata.remainingItemCount = opts.remainingItemCount;
  const table: Record<string, unknown> = { kind: "Table", apiVersion: "meta.k8s.io/v1", metadata };
  if (!opts.noHeaders) table.columnDefinitions = t.tableColumns;
  table.rows = objects.map((o) => {
    const row: Record<string, unknown> = { cells: t.tableRow(o, now) };
    const obj = rowObject(o, opts.includeObject);
    if (obj !== undefined) row.object = obj;
    return row;
  });
  return table;
}

export function parseIncludeObject(v: string | null): IncludeObject {
  return v === "None" || v === "Object" ? v : "Metadata";
}
