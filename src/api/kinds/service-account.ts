/** core/v1 ServiceAccount: an identity for pods. Only its name and references are checked. */
import type { KubeObject } from "../types.js";
import type { LocalObjectReference, ObjectReference } from "./core-types.js";
import { registerKind, STANDARD_VERBS, type KindDefinition } from "./kind.js";
import { nameIsDNSSubdomain } from "../validation/names.js";
import { ageColumn, column, nameColumn } from "../printing/columns.js";
import { ageSince } from "../printing/duration.js";

export interface ServiceAccount extends KubeObject {
  secrets?: ObjectReference[];
  imagePullSecrets?: LocalObjectReference[];
  automountServiceAccountToken?: boolean;
}

export const serviceAccounts: KindDefinition<ServiceAccount> = {
  group: "",
  version: "v1",
  kind: "ServiceAccount",
  listKind: "ServiceAccountList",
  plural: "serviceaccounts",
  singular: "serviceaccount",
  shortNames: ["sa"],
  namespaced: true,
  categories: [],
  subresources: ["token"],
  verbs: STANDARD_VERBS,
  schemaName: "io.k8s.api.core.v1.ServiceAccount",
  validateName: nameIsDNSSubdomain,
  applyDefaults: () => undefined,
  validateCreate: () => [],
  validateUpdate: () => [],
  tableColumns: [nameColumn(), column("Secrets", "Number of secrets referenced."), ageColumn()],
  tableRow: (sa, now) => [sa.metadata.name ?? "", (sa.secrets ?? []).length, ageSince(sa.metadata.creationTimestamp, now)],
  fieldSelectors: {},
};

export const serviceAccountKind = registerKind(serviceAccounts);
