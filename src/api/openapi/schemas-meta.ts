/** Schemas of apimachinery types: ObjectMeta, ListMeta, LabelSelector, Status, DeleteOptions, Quantity. */
import type { Schema, SchemaRegistry } from "../types.js";
import { arrOf, atomic, atomicStruct, bool, enumStr, int32, int64, mergeByKey, obj, ref, set, str, stringMap, strings } from "./dsl.js";

export const META = "io.k8s.apimachinery.pkg.apis.meta.v1.";

export const metaSchemas: SchemaRegistry = {
  // Upstream's v3 form: a string or a number, no "type" (so kubectl explain prints <Quantity>).
  "io.k8s.apimachinery.pkg.api.resource.Quantity": {
    description: 'A fixed-point number with an optional SI or binary suffix, e.g. "5Gi", "100M", "500m", "1e3".',
    oneOf: [{ type: "string" }, { type: "number" }],
  } as Schema,
  "io.k8s.apimachinery.pkg.util.intstr.IntOrString": {
    type: "string",
    format: "int-or-string",
    description: "Either an integer or a string (e.g. a port number or a port name).",
    "x-kubernetes-int-or-string": true,
  },
  [META + "Time"]: { type: "string", format: "date-time", description: "A timestamp in RFC 3339 form, second precision." },
  [META + "MicroTime"]: { type: "string", format: "date-time", description: "A timestamp in RFC 3339 form, microsecond precision." },
  [META + "FieldsV1"]: { type: "object", description: "The set of fields a manager owns, in the FieldsV1 trie format." },
  [META + "Patch"]: { type: "object", description: "A patch body: JSON patch, merge patch, strategic merge patch or apply configuration." },

  [META + "ObjectMeta"]: obj("Metadata every persisted object carries.", {
    annotations: stringMap("Unstructured key/value data for tools; not used for selection."),
    creationTimestamp: ref(META + "Time", "When the object was created; set by the server, read-only."),
    deletionGracePeriodSeconds: int64("Seconds the object is given to terminate once deletion started; read-only."),
    deletionTimestamp: ref(META + "Time", "When deletion was requested; set by the server, read-only."),
    finalizers: strings("Keys that must be removed before the object is deleted.", { "x-kubernetes-patch-strategy": "merge", ...set }),
    generateName: str("Prefix the server uses to generate a unique name when name is empty."),
    generation: int64("Sequence number of the desired state; read-only."),
    labels: stringMap("Key/value pairs used to organise and select objects."),
    managedFields: arrOf(META + "ManagedFieldsEntry", "Which manager owns which fields (server-side apply); maintained by the server."),
    name: str("Unique name within the namespace (or cluster, for cluster-scoped kinds)."),
    namespace: str("The namespace the object lives in; empty for cluster-scoped kinds."),
    ownerReferences: arrOf(META + "OwnerReference", "Objects this one depends on; used by garbage collection.", mergeByKey(["uid"])),
    resourceVersion: str("Opaque version of the object, used for optimistic concurrency and watches; read-only."),
    selfLink: str("Deprecated and never set."),
    uid: str("Unique id of this incarnation of the object; set by the server, read-only."),
  }),
  [META + "ListMeta"]: obj("Metadata of a list response.", {
    continue: str("Token to fetch the next page, when the list was limited."),
    remainingItemCount: int64("How many items remain after this page, when known."),
    resourceVersion: str("The store revision the list was read at."),
    selfLink: str("Deprecated and never set."),
  }),
  [META + "OwnerReference"]: obj(
    "A reference to an owning object in the same namespace.",
    {
      apiVersion: str("API version of the owner.", { default: "" }),
      blockOwnerDeletion: bool("If true, the owner cannot be deleted in the foreground before this object."),
      controller: bool("If true, this owner is the managing controller."),
      kind: str("Kind of the owner.", { default: "" }),
      name: str("Name of the owner.", { default: "" }),
      uid: str("UID of the owner.", { default: "" }),
    },
    ["apiVersion", "kind", "name", "uid"],
    atomicStruct,
  ),
  [META + "ManagedFieldsEntry"]: obj("One manager's ownership of a set of fields.", {
    apiVersion: str("API version the fields are expressed in."),
    fieldsType: str('Format of fieldsV1; always "FieldsV1".'),
    fieldsV1: ref(META + "FieldsV1", "The owned fields."),
    manager: str("Name of the manager (the field manager of the request)."),
    operation: str('"Apply" or "Update".'),
    subresource: str("The subresource the change was made through, if any."),
    time: ref(META + "Time", "When the fields were last changed by this manager."),
  }),
  [META + "LabelSelector"]: obj(
    "Selects objects by labels; requirements are ANDed. Empty selects everything, null nothing.",
    {
      matchExpressions: arrOf(META + "LabelSelectorRequirement", "Set-based requirements.", atomic),
      matchLabels: stringMap("Exact key=value requirements."),
    },
    [],
    atomicStruct,
  ),
  [META + "LabelSelectorRequirement"]: obj(
    "One set-based label requirement.",
    {
      key: str("The label key.", { default: "" }),
      operator: str("In, NotIn, Exists or DoesNotExist.", { default: "" }),
      values: strings("Values for In and NotIn; empty for Exists and DoesNotExist.", atomic),
    },
    ["key", "operator"],
  ),
  [META + "Status"]: obj("The result of an operation that does not return an object, such as an error.", {
    apiVersion: str("Always v1."),
    code: int32("HTTP status code."),
    details: ref(META + "StatusDetails", "Extra data about the failure, such as the invalid fields."),
    kind: str("Always Status."),
    message: str("Human-readable description."),
    metadata: ref(META + "ListMeta", "Unused list metadata.", { default: {} }),
    reason: str("Machine-readable reason, e.g. NotFound, Invalid, Conflict."),
    status: str('"Success" or "Failure".'),
  }),
  [META + "StatusDetails"]: obj("Details of a failed operation.", {
    causes: arrOf(META + "StatusCause", "Individual causes, e.g. one per invalid field.", atomic),
    group: str("API group of the affected resource."),
    kind: str("Kind (or resource) of the affected object."),
    name: str("Name of the affected object."),
    retryAfterSeconds: int32("Seconds a client should wait before retrying."),
    uid: str("UID of the affected object."),
  }),
  [META + "StatusCause"]: obj("One cause of a failure.", {
    field: str("The field at fault, e.g. spec.accessModes[0]."),
    message: str("Human-readable description of the cause."),
    reason: str("Machine-readable cause, e.g. FieldValueRequired."),
  }),
  [META + "Preconditions"]: obj("Conditions that must hold for a delete to proceed.", {
    resourceVersion: str("The object must have this resourceVersion."),
    uid: str("The object must have this UID."),
  }),
  [META + "DeleteOptions"]: obj("Options of a delete request.", {
    apiVersion: str("The versioned schema of this object."),
    dryRun: strings("All: validate and admit, but do not persist.", atomic),
    gracePeriodSeconds: int64("Seconds before the object is removed; 0 deletes immediately."),
    kind: str("Always DeleteOptions."),
    orphanDependents: bool("Deprecated: use propagationPolicy."),
    preconditions: ref(META + "Preconditions", "Conditions that must hold for the delete."),
    propagationPolicy: enumStr("How dependents are garbage collected.", ["Background", "Foreground", "Orphan"]),
  }),
  [META + "WatchEvent"]: obj(
    "One event of a watch stream.",
    {
      object: { type: "object", description: "The object (or Status for ERROR).", "x-kubernetes-embedded-resource": true, "x-kubernetes-preserve-unknown-fields": true },
      type: str("ADDED, MODIFIED, DELETED, BOOKMARK or ERROR.", { default: "" }),
    },
    ["type", "object"],
  ),
};

