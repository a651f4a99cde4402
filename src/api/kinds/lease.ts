/**
 * coordination.k8s.io/v1 Lease: leader election and node heartbeats. Only durations and the
 * transition count are checked, as upstream (the 1.32 alpha strategy fields are dropped).
 */
import type { FieldError, KubeObject } from "../types.js";
import { invalid } from "../fields/errors.js";
import { registerKind, STANDARD_VERBS, type KindDefinition } from "./kind.js";
import { nameIsDNSSubdomain } from "../validation/names.js";
import { ageColumn, column, nameColumn } from "../printing/columns.js";
import { ageSince } from "../printing/duration.js";

export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
  strategy?: string;
  preferredHolder?: string;
}

export interface Lease extends KubeObject {
  spec?: LeaseSpec;
}

function validateLease(l: Lease): FieldError[] {
  const errs: FieldError[] = [];
  const s = l.spec ?? {};
  if (typeof s.leaseDurationSeconds === "number" && s.leaseDurationSeconds <= 0) errs.push(invalid("spec.leaseDurationSeconds", s.leaseDurationSeconds, "must be greater than 0"));
  if (typeof s.leaseTransitions === "number" && s.leaseTransitions < 0) errs.push(invalid("spec.leaseTransitions", s.leaseTransitions, "must be greater than or equal to 0"));
  return errs;
}

function dropDisabledFields(l: Lease): void {
  if (!l.spec) return;
  delete l.spec.strategy;
  delete l.spec.preferredHolder;
}

export const leases: KindDefinition<Lease> = {
  group: "coordination.k8s.io",
  version: "v1",
  kind: "Lease",
  listKind: "LeaseList",
  plural: "leases",
  singular: "lease",
  shortNames: [],
  namespaced: true,
  categories: [],
  subresources: [],
  verbs: STANDARD_VERBS,
  schemaName: "io.k8s.api.coordination.v1.Lease",
  validateName: nameIsDNSSubdomain,
  applyDefaults: () => undefined,
  prepareForCreate: (l) => dropDisabledFields(l),
  prepareForUpdate: (l) => dropDisabledFields(l),
  validateCreate: (l) => validateLease(l),
  validateUpdate: (l) => validateLease(l),
  tableColumns: [nameColumn(), column("Holder", "Identity of the current holder."), ageColumn()],
  tableRow: (l, now) => [l.metadata.name ?? "", l.spec?.holderIdentity ?? "", ageSince(l.metadata.creationTimestamp, now)],
  fieldSelectors: {},
};

export const leaseKind = registerKind(leases);
