/**
 * The shapes every Kubernetes kind is declared with. Each kind is declared once, in its own
 * file under src/api/kinds/, as a ResourceTraits record; the API server, the client, the
 * printers and the dashboard read traits and never switch on the kind.
 */

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ManagedFieldsEntry {
  manager: string;
  operation: "Apply" | "Update";
  apiVersion: string;
  time?: string;
  fieldsType: "FieldsV1";
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: OwnerReference[];
  managedFields?: ManagedFieldsEntry[];
  [extra: string]: unknown;
}

/** Any stored object. Kind-specific types live in src/api/kinds/*.ts. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** One validation failure, as upstream's field.Error. */
export interface FieldError {
  /** Upstream cause type: FieldValueRequired, FieldValueInvalid, FieldValueNotSupported, FieldValueForbidden, FieldValueDuplicate, FieldValueTooLong, FieldValueTooMany. */
  type: FieldErrorType;
  /** JSON-path-like field, e.g. "spec.accessModes[0]" or "spec.resources[storage]". */
  field: string;
  /** The offending value, when there is one (rendered into the message as upstream does). */
  value?: unknown;
  /** Detail, e.g. "must be greater than zero" or the list of supported values. */
  detail?: string;
  /** For NotSupported: the allowed values. */
  supported?: string[];
}

export type FieldErrorType =
  | "FieldValueRequired"
  | "FieldValueInvalid"
  | "FieldValueNotSupported"
  | "FieldValueForbidden"
  | "FieldValueDuplicate"
  | "FieldValueTooLong"
  | "FieldValueTooMany"
  | "FieldValueTypeInvalid";

/** A column of a server-side Table, as meta.k8s.io/v1 TableColumnDefinition. */
export interface TableColumn {
  name: string;
  type: "string" | "integer" | "number" | "boolean" | "date";
  format: string;
  description: string;
  priority: number;
}

/**
 * An OpenAPI v3 schema node (JSON Schema subset plus Kubernetes extensions). Named schemas are
 * referenced as {$ref: "#/components/schemas/<name>"} with upstream's names
 * (e.g. "io.k8s.api.core.v1.PersistentVolumeClaimSpec").
 */
export interface Schema {
  $ref?: string;
  type?: "object" | "array" | "string" | "integer" | "number" | "boolean";
  format?: string;
  description?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  allOf?: Schema[];
  "x-kubernetes-preserve-unknown-fields"?: boolean;
  "x-kubernetes-int-or-string"?: boolean;
  "x-kubernetes-embedded-resource"?: boolean;
  /** Strategic merge: the field of list elements that identifies them (e.g. "name", "mountPath"). */
  "x-kubernetes-patch-merge-key"?: string;
  /** Strategic merge: "merge", "replace", "retainKeys", "merge,retainKeys". */
  "x-kubernetes-patch-strategy"?: string;
  /** Server-side apply: "atomic" | "set" | "map". */
  "x-kubernetes-list-type"?: "atomic" | "set" | "map";
  "x-kubernetes-list-map-keys"?: string[];
  /** Server-side apply: "atomic" | "granular" for maps/structs. */
  "x-kubernetes-map-type"?: "atomic" | "granular";
  "x-kubernetes-group-version-kind"?: { group: string; version: string; kind: string }[];
  [extension: `x-${string}`]: unknown;
}

/** Named schemas, keyed by upstream definition name. */
export type SchemaRegistry = Record<string, Schema>;

/** What a write-path hook may need to know about the request. */
export interface WriteContext {
  now: Date;
  /** "status" for the status subresource, "" for the main resource. */
  subresource: string;
}

export interface ResourceTraits<T extends KubeObject = KubeObject> {
  group: string; // "" for core
  version: string; // "v1"
  kind: string; // "PersistentVolumeClaim"
  listKind: string; // "PersistentVolumeClaimList"
  plural: string; // "persistentvolumeclaims"
  singular: string; // "persistentvolumeclaim"
  shortNames: string[];
  namespaced: boolean;
  categories: string[];
  /** Subresources served: "status", and for pods "log", "exec", "binding", "eviction"… */
  subresources: string[];
  /** Verbs advertised in discovery. */
  verbs: string[];
  /** Upstream definition name of the kind's schema in `schemas`. */
  schemaName: string;

  /** Fill upstream defaults in place (e.g. PV reclaimPolicy Retain, SC volumeBindingMode Immediate). */
  applyDefaults(obj: T): void;
  /** Upstream's create strategy (e.g. reset status to {phase: Pending}); mutates in place. */
  prepareForCreate?(obj: T, ctx: WriteContext): void;
  /**
   * Upstream's update strategy: for the main resource keep old status; for "status" keep old
   * spec (and set fields such as PV lastPhaseTransitionTime). Mutates `obj` in place.
   */
  prepareForUpdate?(obj: T, old: T, ctx: WriteContext): void;
  /** Create validation; an empty list means valid. Metadata (name, labels…) is validated by the server. */
  validateCreate(obj: T): FieldError[];
  /** Update validation including immutability rules; `ctx.subresource` tells main vs status. */
  validateUpdate(obj: T, old: T, ctx: WriteContext): FieldError[];

  /** Server-side printing: columns (priority 1 = -o wide only) and one row of cells per object. */
  tableColumns: TableColumn[];
  tableRow(obj: T, now: Date): unknown[];

  /**
   * Field selectors served beyond metadata.name and metadata.namespace (which every kind has):
   * selector key → value extractor. Unknown keys are refused with 400 by the server.
   */
  fieldSelectors: Record<string, (obj: T) => string>;
}
