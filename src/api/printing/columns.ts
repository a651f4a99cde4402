/**
 * Table column declarations. Names, types and priorities are upstream's (printers.go);
 * descriptions are our own one-liners (they reach clients only through the Table object).
 */
import type { TableColumn } from "../types.js";

export function column(name: string, description: string, opts: { type?: TableColumn["type"]; priority?: number; format?: string } = {}): TableColumn {
  return { name, type: opts.type ?? "string", format: opts.format ?? "", description, priority: opts.priority ?? 0 };
}

export const nameColumn = (): TableColumn => column("Name", "Name of the object, unique within its namespace.", { format: "name" });
export const ageColumn = (): TableColumn => column("Age", "Time since the object was created.");

/** The default table for kinds without a printer upstream (RBAC roles): NAME, CREATED AT. */
export const createdAtColumn = (): TableColumn => column("Created At", "Time the object was created.", { type: "date" });
