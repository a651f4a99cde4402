/**
 * core/v1 kinds kubectl creates through protobuf (ConfigMap, Secret, Namespace, ServiceAccount)
 * and the references they reach. Field numbers from kubernetes/api core/v1/generated.proto.
 */
import { field, mapOf, message, repeated } from "../descriptor.js";
import { ObjectMeta } from "./meta-v1.js";
import { Time } from "./value-types.js";

export const LocalObjectReference = message("LocalObjectReference", {
  1: field("name", "string"),
});

export const ObjectReference = message("ObjectReference", {
  1: field("kind", "string"),
  2: field("namespace", "string"),
  3: field("name", "string"),
  4: field("uid", "string"),
  5: field("apiVersion", "string"),
  6: field("resourceVersion", "string"),
  7: field("fieldPath", "string"),
});

export const ConfigMap = message("ConfigMap", {
  1: field("metadata", ObjectMeta),
  2: mapOf("data", "string"),
  3: mapOf("binaryData", "bytes"),
  4: field("immutable", "bool", { nullable: true }),
});

export const Secret = message("Secret", {
  1: field("metadata", ObjectMeta),
  2: mapOf("data", "bytes"),
  3: field("type", "string"),
  4: mapOf("stringData", "string"),
  5: field("immutable", "bool", { nullable: true }),
});

export const NamespaceCondition = message("NamespaceCondition", {
  1: field("type", "string", { required: true }),
  2: field("status", "string", { required: true }),
  4: field("lastTransitionTime", Time),
  5: field("reason", "string"),
  6: field("message", "string"),
});

export const NamespaceSpec = message("NamespaceSpec", {
  1: repeated("finalizers", "string"),
});

export const NamespaceStatus = message("NamespaceStatus", {
  1: field("phase", "string"),
  2: repeated("conditions", NamespaceCondition),
});

export const Namespace = message("Namespace", {
  1: field("metadata", ObjectMeta),
  2: field("spec", NamespaceSpec),
  3: field("status", NamespaceStatus),
});

export const ServiceAccount = message("ServiceAccount", {
  1: field("metadata", ObjectMeta),
  2: repeated("secrets", ObjectReference),
  3: repeated("imagePullSecrets", LocalObjectReference),
  4: field("automountServiceAccountToken", "bool", { nullable: true }),
});
