/**
 * Cistern's Kubernetes kinds: the only public surface of src/api.
 *
 * Model: every served kind is declared once, in kinds/<kind>.ts, as a KindDefinition (the shared
 * ResourceTraits plus its metadata name rule) next to its TypeScript type. Callers never switch
 * on a kind; they look up its traits (`resourceFor`, `resourceForKind`) and call them:
 *
 *   decode → decodeErrors(obj, traits.schemaName) → 400 if any   (wrong JSON types, bad quantities)
 *            unknownFields(obj, traits.schemaName)               (fieldValidation=Strict/Warn)
 *            traits.applyDefaults(obj)                           (idempotent, upstream v1 defaults,
 *                                                                canonical quantities)
 *   create → traits.prepareForCreate(obj, ctx)                  (status reset, e.g. PV Pending)
 *            errs = [...validateObjectMeta(obj, traits), ...traits.validateCreate(obj)]
 *   update → prepareMetaForUpdate(obj.metadata, old.metadata)   (generation, uid, timestamps)
 *            traits.prepareForUpdate(obj, old, ctx)             (keep status / keep spec)
 *            errs = [...validateObjectMeta(obj, traits, old), ...traits.validateUpdate(obj, old, ctx)]
 *   errs.length > 0 → throw invalidError(traits, name, errs)    (422, upstream's exact message)
 *   tables → traits.tableColumns / traits.tableRow(obj, now)    (all cells, wide ones included)
 *
 * Invariants: validation never mutates; defaults and strategies mutate only the object passed;
 * messages, field paths and column names are upstream Kubernetes 1.32's; schemas are keyed by
 * upstream definition names and every schema they reference is in `schemas`.
 */

export type {
  FieldError,
  FieldErrorType,
  KubeObject,
  ObjectMeta,
  OwnerReference,
  ResourceTraits,
  Schema,
  SchemaRegistry,
  TableColumn,
  WriteContext,
} from "./types.js";

// Kinds and lookups.
export type { KindDefinition } from "./kinds/kind.js";
export { STANDARD_VERBS } from "./kinds/kind.js";
export { resources, resourceFor, resourceForKind, resourceForObject, apiVersionOf, groupVersions } from "./registry.js";

// Kind types.
export type { ObjectReference, LocalObjectReference, LabelSelector as LabelSelectorSpec, NodeSelector, ResourceList, Toleration, Taint } from "./kinds/core-types.js";
export type * from "./kinds/volume-types.js";
export type * from "./kinds/pod-types.js";
export type { PersistentVolume, PersistentVolumeSpec, PersistentVolumeStatus } from "./kinds/persistent-volume.js";
export type { PersistentVolumeClaim, PersistentVolumeClaimStatus, PersistentVolumeClaimCondition } from "./kinds/persistent-volume-claim.js";
export type { Pod } from "./kinds/pod.js";
export type { Namespace } from "./kinds/namespace.js";
export type { Node, NodeSpec, NodeStatus, NodeCondition } from "./kinds/node.js";
export type { Event } from "./kinds/event.js";
export type { ServiceAccount } from "./kinds/service-account.js";
export type { ConfigMap } from "./kinds/config-map.js";
export type { Secret } from "./kinds/secret.js";
export type { StorageClass } from "./kinds/storage-class.js";
export type { CSIDriver, CSIDriverSpec } from "./kinds/csi-driver.js";
export type { CSINode, CSINodeDriver } from "./kinds/csi-node.js";
export type { Lease, LeaseSpec } from "./kinds/lease.js";
export type { Role } from "./kinds/role.js";
export type { ClusterRole } from "./kinds/cluster-role.js";
export type { RoleBinding } from "./kinds/role-binding.js";
export type { ClusterRoleBinding } from "./kinds/cluster-role-binding.js";
export type { PolicyRule, RoleRef, Subject } from "./kinds/rbac-types.js";
export { podQOSClass } from "./kinds/pod.js";
export { imageTag } from "./kinds/pod-defaults.js";
export { NAMESPACE_NAME_LABEL } from "./kinds/namespace.js";

// Validation and errors.
export { validateObjectMeta } from "./validation/validate-meta.js";
export { validatePodBinding } from "./validation/pod.js";
export { prepareMetaForUpdate } from "./validation/object-meta.js";
export { invalidError, aggregateMessage } from "./fields/invalid-error.js";
export { errorBody, errorString, required, invalid, notSupported, forbidden, duplicate, notFound, tooLong, tooMany } from "./fields/errors.js";
export { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue } from "./validation/names.js";

// Printing.
export { humanDuration, ageSince } from "./printing/duration.js";

// Selectors.
export { parseLabelSelector, labelSelectorFromObject, LabelSelectorError, everything, nothing } from "./selectors/label-selector.js";
export type { LabelSelector, LabelRequirement, LabelOperator, LabelSelectorObject } from "./selectors/label-selector.js";
export { parseFieldSelector, FieldSelectorError, matchesFieldSelector, unsupportedFieldLabel, fieldValue } from "./selectors/field-selector.js";
export type { FieldRequirement } from "./selectors/field-selector.js";

// OpenAPI.
export { schemas, referencedClosure } from "./openapi/schemas.js";
export { openApiV3Root, openApiV3Document, openApiV3Hash, openApiV2Document, groupVersionPath, KUBERNETES_VERSION } from "./openapi/documents.js";
export { unknownFields } from "./openapi/unknown-fields.js";
export { decodeErrors } from "./openapi/decode-errors.js";
export { normalizeNulls } from "./openapi/normalize-nulls.js";

// Storage helpers.
export * from "./storage-helpers.js";

// Quantities (implemented in src/lib/quantity.ts; re-exported for API-level callers).
export { Quantity, QuantityError, parseQuantity, compareQuantities, quantityToBytesCeil, canonicalQuantity } from "../lib/quantity.js";
