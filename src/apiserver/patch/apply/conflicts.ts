/**
 * Apply conflicts: fields the applier would change that another manager owns. Reported as
 * upstream does: 409 reason Conflict, one FieldManagerConflict cause per field, and
 *   Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: .spec.x
 * or, for several, one "conflicts with <manager>:" block per manager listing "- <field>".
 */
import { StatusError } from "../../../api/status.js";
import { renderPath, type PathElement } from "../fieldpath/element.js";
import { FieldSet } from "../fieldpath/set.js";
import { compareStrings } from "../json.js";

export interface Conflict {
  managerId: string;
  path: PathElement[];
}

/** Thrown inside the apply machinery; converted to a StatusError at its boundary. */
export class ApplyConflicts extends Error {
  constructor(readonly conflicts: Conflict[]) {
    super(`${conflicts.length} apply conflict(s)`);
    this.name = "ApplyConflicts";
  }

  paths(): FieldSet {
    return FieldSet.of(...this.conflicts.map((c) => c.path));
  }
}

/** Upstream's printManager: "name", optionally with subresource, and "using <version>" for updates. */
export function describeManager(id: string): string {
  let parsed: { manager?: string; operation?: string; apiVersion?: string; subresource?: string };
  try {
    parsed = JSON.parse(id);
  } catch {
    return JSON.stringify(id);
  }
  let out = JSON.stringify(parsed.manager ?? "");
  if (parsed.subresource) out += ` with subresource ${JSON.stringify(parsed.subresource)}`;
  if (parsed.operation === "Update") out += ` using ${parsed.apiVersion ?? ""}`;
  return out;
}

export function conflictError(conflicts: Conflict[]): StatusError {
  const sorted = [...conflicts].sort((a, b) => compareStrings(a.managerId, b.managerId));
  const causes = sorted.map((c) => ({
    reason: "FieldManagerConflict",
    message: `conflict with ${describeManager(c.managerId)}`,
    field: renderPath(c.path),
  }));
  let message: string;
  if (sorted.length === 1) {
    message = `Apply failed with 1 conflict: conflict with ${describeManager(sorted[0].managerId)}: ${renderPath(sorted[0].path)}`;
  } else {
    const lines: string[] = [];
    let current: string | undefined;
    for (const c of sorted) {
      if (c.managerId !== current) {
        current = c.managerId;
        lines.push(`conflicts with ${describeManager(c.managerId)}:`);
      }
      lines.push(`- ${renderPath(c.path)}`);
    }
    message = `Apply failed with ${sorted.length} conflicts: ${lines.join("\n")}`;
  }
  return new StatusError(409, "Conflict", message, { causes });
}
