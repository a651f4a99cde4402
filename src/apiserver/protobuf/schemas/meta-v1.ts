/**
 * meta.k8s.io/v1 messages embedded in every object: ObjectMeta and what it reaches, and
 * LabelSelector. Field numbers from apimachinery's pkg/apis/meta/v1/generated.proto.
 */
import { field, mapOf, message, repeated } from "../descriptor.js";
import { FieldsV1, Time } from "./value-types.js";

export const OwnerReference = message("OwnerReference", {
  1: field("kind", "string", { required: true }),
  3: field("name", "string", { required: true }),
  4: field("uid", "string", { required: true }),
  5: field("apiVersion", "string", { required: true }),
  6: field("controller", "bool", { nullable: true }),
  7: field("blockOwnerDeletion", "bool", { nullable: true }),
});

export const ManagedFieldsEntry = message("ManagedFieldsEntry", {
  1: field("manager", "string"),
  2: field("operation", "string"),
  3: field("apiVersion", "string"),
  4: field("time", Time),
  6: field("fieldsType", "string"),
  7: field("fieldsV1", FieldsV1),
  8: field("subresource", "string"),
});

export const ObjectMeta = message("ObjectMeta", {
  1: field("name", "string"),
  2: field("generateName", "string"),
  3: field("namespace", "string"),
  4: field("selfLink", "string"),
  5: field("uid", "string"),
  6: field("resourceVersion", "string"),
  7: field("generation", "int64"),
  8: field("creationTimestamp", Time),
  9: field("deletionTimestamp", Time),
  10: field("deletionGracePeriodSeconds", "int64", { nullable: true }),
  11: mapOf("labels", "string"),
  12: mapOf("annotations", "string"),
  13: repeated("ownerReferences", OwnerReference),
  14: repeated("finalizers", "string"),
  17: repeated("managedFields", ManagedFieldsEntry),
});

export const LabelSelectorRequirement = message("LabelSelectorRequirement", {
  1: field("key", "string", { required: true }),
  2: field("operator", "string", { required: true }),
  3: repeated("values", "string"),
});

export const LabelSelector = message("LabelSelector", {
  1: mapOf("matchLabels", "string"),
  2: repeated("matchExpressions", LabelSelectorRequirement),
});
