/**
 * Pieces the four RBAC kind files share: upstream's defaults (roleRef.apiGroup and subjects'
 * apiGroup), the default two-column table roles use, and the binding table.
 */
import type { TableColumn } from "../types.js";
import type { RoleRef, Subject } from "./rbac-types.js";
import { RBAC_GROUP, subjectsStrings } from "../validation/rbac.js";
import { ageColumn, column, createdAtColumn, nameColumn } from "../printing/columns.js";
import { ageSince } from "../printing/duration.js";

export function defaultRoleRef(ref: RoleRef | undefined): void {
  if (ref && !ref.apiGroup) ref.apiGroup = RBAC_GROUP;
}

export function defaultSubjects(subjects: Subject[] | undefined): void {
  for (const s of subjects ?? []) {
    if (s.apiGroup) continue;
    if (s.kind === "User" || s.kind === "Group") s.apiGroup = RBAC_GROUP;
    else if (s.kind === "ServiceAccount") s.apiGroup = "";
  }
}

/** Roles have no printer upstream; the generic table is NAME, CREATED AT (RFC 3339). */
export const roleColumns = (): TableColumn[] => [nameColumn(), createdAtColumn()];

export function roleRow(meta: { name?: string; creationTimestamp?: string }): unknown[] {
  const ts = meta.creationTimestamp ? new Date(meta.creationTimestamp).toISOString().replace(/\.\d{3}Z$/, "Z") : "0001-01-01T00:00:00Z";
  return [meta.name ?? "", ts];
}

export const bindingColumns = (what: string): TableColumn[] => [
  nameColumn(),
  column("Role", "The referenced role, as Kind/name."),
  ageColumn(),
  column("Users", `Users in the ${what}`, { priority: 1 }),
  column("Groups", `Groups in the ${what}`, { priority: 1 }),
  column("ServiceAccounts", `ServiceAccounts in the ${what}`, { priority: 1 }),
];

export function bindingRow(meta: { name?: string; creationTimestamp?: string }, roleRef: RoleRef | undefined, subjects: Subject[] | undefined, now: Date): unknown[] {
  const { users, groups, serviceAccounts } = subjectsStrings(subjects);
  return [meta.name ?? "", `${roleRef?.kind ?? ""}/${roleRef?.name ?? ""}`, ageSince(meta.creationTimestamp, now), users.join(", "), groups.join(", "), serviceAccounts.join(", ")];
}
