/**
 * storage.k8s.io/v1 CSINode: the CSI drivers registered on a node (named after the node).
 * Drivers may be added or removed, but an existing driver entry never changes.
 */
import type { FieldError, KubeObject } from "../types.js";
import { duplicate, invalid, required } from "../fields/errors.js";
import { jsonEqual } from "../fields/diff.js";
import { registerKind, STANDARD_VERBS, type KindDefinition } from "./kind.js";
import { nameIsDNSSubdomain } from "../validation/names.js";
import { nonNegative, qualifiedName } from "../validation/common.js";
import { validateCSIDriverName } from "../validation/volume-sources.js";
import { ageColumn, column, nameColumn } from "../printing/columns.js";
import { ageSince } from "../printing/duration.js";

export interface CSINodeDriver {
  name: string;
  nodeID: string;
  topologyKeys?: string[];
  allocatable?: { count?: number };
}

export interface CSINode extends KubeObject {
  spec: { drivers: CSINodeDriver[] };
}

const MAX_NODE_ID = 192;

function validateCSINode(n: CSINode): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  (n.spec?.drivers ?? []).forEach((d, i) => {
    const p = `spec.drivers[${i}]`;
    errs.push(...validateCSIDriverName(d.name ?? "", `${p}.name`));
    if (!d.nodeID) errs.push(required(`${p}.nodeID`));
    else if (d.nodeID.length > MAX_NODE_ID) errs.push(invalid(`${p}.nodeID`, d.nodeID, `must be ${MAX_NODE_ID} characters or less`));
    if (d.allocatable?.count !== undefined) errs.push(...nonNegative(d.allocatable.count, `${p}.allocatable.count`));
    if (names.has(d.name)) errs.push(duplicate(`${p}.name`, d.name));
    const keys = new Set<string>();
    for (const key of d.topologyKeys ?? []) {
      if (!key) errs.push(required(p, key));
      if (keys.has(key)) errs.push(duplicate(p, key));
      keys.add(key);
      errs.push(...qualifiedName(key, p));
    }
    names.add(d.name);
  });
  return errs;
}

function validateCSINodeUpdate(n: CSINode, old: CSINode): FieldError[] {
  const errs = validateCSINode(n);
  for (const od of old.spec?.drivers ?? []) {
    for (const nd of n.spec?.drivers ?? []) {
      if (od.name === nd.name && !jsonEqual(od, nd)) errs.push(invalid("CSINodeDriver", JSON.stringify(nd), "field is immutable"));
    }
  }
  return errs;
}

export const csiNodes: KindDefinition<CSINode> = {
  group: "storage.k8s.io",
  version: "v1",
  kind: "CSINode",
  listKind: "CSINodeList",
  plural: "csinodes",
  singular: "csinode",
  shortNames: [],
  namespaced: false,
  categories: [],
  subresources: [],
  verbs: STANDARD_VERBS,
  schemaName: "io.k8s.api.storage.v1.CSINode",
  validateName: nameIsDNSSubdomain,
  applyDefaults(n) {
    n.spec ??= { drivers: [] };
    n.spec.drivers ??= [];
  },
  validateCreate: (n) => validateCSINode(n),
  validateUpdate: (n, old) => validateCSINodeUpdate(n, old),
  tableColumns: [nameColumn(), column("Drivers", "Number of CSI drivers registered on the node", { type: "integer" }), ageColumn()],
  tableRow: (n, now) => [n.metadata.name ?? "", (n.spec?.drivers ?? []).length, ageSince(n.metadata.creationTimestamp, now)],
  fieldSelectors: {},
};

export const csiNodeKind = registerKind(csiNodes);
