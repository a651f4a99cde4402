/**
 * core/v1 Namespace. Created Active with the "kubernetes" finalizer in spec.finalizers and the
 * kubernetes.io/metadata.name label; spec.finalizers change only through the finalize
 * subresource, status only through status (Active without deletionTimestamp, else Terminating).
 */
import type { FieldError, KubeObject } from "../types.js";
import { invalid } from "../fields/errors.js";
import { clone, registerKind, type KindDefinition } from "./kind.js";
import { nameIsDNSLabel } from "../validation/names.js";
import { validateFinalizers, validateKubeFinalizerNames } from "../validation/object-meta.js";
import { ageColumn, column, nameColumn } from "../printing/columns.js";
import { ageSince } from "../printing/duration.js";

export const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

export interface Namespace extends KubeObject {
  spec?: { finalizers?: string[] };
  status?: { phase?: string; conditions?: { type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string }[] };
}

function validateSpecFinalizers(ns: Namespace): FieldError[] {
  const list = ns.spec?.finalizers;
  return [...validateFinalizers(list, "spec.finalizers"), ...validateKubeFinalizerNames(list, "spec.finalizers")];
}

export const namespaces: KindDefinition<Namespace> = {
  group: "",
  version: "v1",
  kind: "Namespace",
  listKind: "NamespaceList",
  plural: "namespaces",
  singular: "namespace",
  shortNames: ["ns"],
  namespaced: false,
  categories: [],
  subresources: ["finalize", "status"],
  verbs: ["create", "delete", "get", "list", "patch", "update", "watch"],
  schemaName: "io.k8s.api.core.v1.Namespace",
  validateName: nameIsDNSLabel,

  applyDefaults(ns) {
    ns.metadata.labels ??= {};
    if (ns.metadata.name) ns.metadata.labels[NAMESPACE_NAME_LABEL] = ns.metadata.name;
    ns.status ??= {};
    if (!ns.status.phase) ns.status.phase = "Active";
  },

  prepareForCreate(ns) {
    ns.status = { phase: "Active" };
    ns.spec ??= {};
    const finalizers = ns.spec.finalizers ?? [];
    if (!finalizers.includes("kubernetes")) ns.spec.finalizers = [...finalizers, "kubernetes"];
  },

  prepareForUpdate(ns, old, ctx) {
    if (ctx.subresource === "status") {
      ns.spec = clone(old.spec);
    } else if (ctx.subresource === "finalize") {
      ns.status = clone(old.status);
    } else {
      ns.spec = { ...(ns.spec ?? {}), finalizers: clone(old.spec?.finalizers) };
      if (ns.spec.finalizers === undefined) delete ns.spec.finalizers;
      ns.status = clone(old.status);
    }
  },

  validateCreate: (ns) => validateSpecFinalizers(ns),
  validateUpdate(ns, _old, ctx) {
    if (ctx.subresource === "finalize") return validateSpecFinalizers(ns);
    if (ctx.subresource !== "status") return [];
    const phase = ns.status?.phase ?? "";
    if (!ns.metadata.deletionTimestamp) {
      return phase !== "Active" ? [invalid("status.Phase", phase, "may only be 'Active' if `deletionTimestamp` is empty")] : [];
    }
    return phase !== "Terminating" ? [invalid("status.Phase", phase, "may only be 'Terminating' if `deletionTimestamp` is not empty")] : [];
  },

  tableColumns: [nameColumn(), column("Status", "The status of the namespace"), ageColumn()],
  tableRow: (ns, now) => [ns.metadata.name ?? "", ns.status?.phase ?? "", ageSince(ns.metadata.creationTimestamp, now)],
  fieldSelectors: {
    "status.phase": (ns) => ns.status?.phase ?? "",
    name: (ns) => ns.metadata.name ?? "",
  },
};

export const namespaceKind = registerKind(namespaces);
