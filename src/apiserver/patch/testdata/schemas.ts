/**
 * Test schemas shaped like upstream's OpenAPI v3 for Pod and PersistentVolumeClaim (only the
 * fields the tests touch), including upstream's `allOf: [{$ref}]` wrapping and extensions.
 */
import type { Schema, SchemaRegistry } from "../../../api/types.js";

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const wrapped = (name: string): Schema => ({ allOf: [ref(name)], default: {}, description: "wrapped like upstream v3" });
const str: Schema = { type: "string" };
const int: Schema = { type: "integer", format: "int32" };
const bool: Schema = { type: "boolean" };
const strMap: Schema = { type: "object", additionalProperties: { type: "string", default: "" } };
const quantityMap: Schema = { type: "object", additionalProperties: ref("io.k8s.apimachinery.pkg.api.resource.Quantity") };

function mapList(item: string, keys: string[], strategy = "merge"): Schema {
  return {
    type: "array",
    items: { ...wrapped(item) },
    "x-kubernetes-list-type": "map",
    "x-kubernetes-list-map-keys": keys,
    "x-kubernetes-patch-merge-key": keys[0],
    "x-kubernetes-patch-strategy": strategy,
  };
}

export const schemas: SchemaRegistry = {
  "io.k8s.apimachinery.pkg.api.resource.Quantity": { type: "string", description: "Quantity" },
  "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta": {
    type: "object",
    properties: {
      name: str, namespace: str, uid: str, resourceVersion: str, generation: { type: "integer", format: "int64" },
      creationTimestamp: { type: "string", format: "date-time" }, deletionTimestamp: { type: "string", format: "date-time" },
      labels: strMap, annotations: strMap,
      finalizers: { type: "array", items: { type: "string", default: "" }, "x-kubernetes-list-type": "set", "x-kubernetes-patch-strategy": "merge" },
      ownerReferences: mapList("io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference", ["uid"]),
      managedFields: { type: "array", items: wrapped("io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry") },
    },
  },
  "io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference": {
    type: "object",
    required: ["apiVersion", "kind", "name", "uid"],
    properties: { apiVersion: str, kind: str, name: str, uid: str, controller: bool, blockOwnerDeletion: bool },
    "x-kubernetes-map-type": "atomic",
  },
  "io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry": {
    type: "object",
    properties: { manager: str, operation: str, apiVersion: str, time: str, fieldsType: str, fieldsV1: { type: "object" }, subresource: str },
  },
  "io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector": {
    type: "object",
    properties: { matchLabels: strMap, matchExpressions: { type: "array", items: { type: "object", properties: { key: str, operator: str } }, "x-kubernetes-list-type": "atomic" } },
    "x-kubernetes-map-type": "atomic",
  },
  "io.k8s.api.core.v1.Pod": {
    type: "object",
    properties: {
      apiVersion: str, kind: str,
      metadata: wrapped("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"),
      spec: wrapped("io.k8s.api.core.v1.PodSpec"),
      status: wrapped("io.k8s.api.core.v1.PodStatus"),
    },
    "x-kubernetes-group-version-kind": [{ group: "", version: "v1", kind: "Pod" }],
  },
  "io.k8s.api.core.v1.PodSpec": {
    type: "object",
    required: ["containers"],
    properties: {
      containers: mapList("io.k8s.api.core.v1.Container", ["name"]),
      volumes: mapList("io.k8s.api.core.v1.Volume", ["name"], "merge,retainKeys"),
      restartPolicy: str, nodeName: str, terminationGracePeriodSeconds: { type: "integer", format: "int64" },
      securityContext: wrapped("io.k8s.api.core.v1.PodSecurityContext"),
    },
  },
  "io.k8s.api.core.v1.PodSecurityContext": { type: "object", properties: { runAsUser: int, runAsNonRoot: bool } },
  "io.k8s.api.core.v1.Container": {
    type: "object",
    required: ["name"],
    properties: {
      name: str, image: str,
      command: { type: "array", items: { type: "string", default: "" }, "x-kubernetes-list-type": "atomic" },
      args: { type: "array", items: { type: "string", default: "" }, "x-kubernetes-list-type": "atomic" },
      env: mapList("io.k8s.api.core.v1.EnvVar", ["name"]),
      ports: { ...mapList("io.k8s.api.core.v1.ContainerPort", ["containerPort", "protocol"]) },
      volumeMounts: mapList("io.k8s.api.core.v1.VolumeMount", ["mountPath"]),
      resources: wrapped("io.k8s.api.core.v1.ResourceRequirements"),
    },
  },
  "io.k8s.api.core.v1.EnvVar": { type: "object", required: ["name"], properties: { name: str, value: str } },
  "io.k8s.api.core.v1.ContainerPort": {
    type: "object",
    required: ["containerPort"],
    properties: { containerPort: int, protocol: { type: "string", default: "TCP" }, name: str },
  },
  "io.k8s.api.core.v1.VolumeMount": { type: "object", required: ["name", "mountPath"], properties: { name: str, mountPath: str, readOnly: bool } },
  "io.k8s.api.core.v1.Volume": {
    type: "object",
    required: ["name"],
    properties: {
      name: str,
      persistentVolumeClaim: ref("io.k8s.api.core.v1.PersistentVolumeClaimVolumeSource"),
      emptyDir: ref("io.k8s.api.core.v1.EmptyDirVolumeSource"),
      hostPath: { type: "object", properties: { path: str, type: str } },
    },
  },
  "io.k8s.api.core.v1.PersistentVolumeClaimVolumeSource": { type: "object", required: ["claimName"], properties: { claimName: str, readOnly: bool } },
  "io.k8s.api.core.v1.EmptyDirVolumeSource": { type: "object", properties: { medium: str, sizeLimit: ref("io.k8s.apimachinery.pkg.api.resource.Quantity") } },
  "io.k8s.api.core.v1.ResourceRequirements": { type: "object", properties: { limits: quantityMap, requests: quantityMap } },
  "io.k8s.api.core.v1.PodStatus": {
    type: "object",
    properties: {
      phase: str, podIP: str,
      conditions: mapList("io.k8s.api.core.v1.PodCondition", ["type"]),
    },
  },
  "io.k8s.api.core.v1.PodCondition": { type: "object", required: ["type", "status"], properties: { type: str, status: str } },
  "io.k8s.api.core.v1.PersistentVolumeClaim": {
    type: "object",
    properties: {
      apiVersion: str, kind: str,
      metadata: wrapped("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"),
      spec: wrapped("io.k8s.api.core.v1.PersistentVolumeClaimSpec"),
      status: wrapped("io.k8s.api.core.v1.PersistentVolumeClaimStatus"),
    },
  },
  "io.k8s.api.core.v1.PersistentVolumeClaimSpec": {
    type: "object",
    properties: {
      accessModes: { type: "array", items: { type: "string", default: "" }, "x-kubernetes-list-type": "atomic" },
      resources: wrapped("io.k8s.api.core.v1.ResourceRequirements"),
      storageClassName: str, volumeName: str, volumeMode: str,
      selector: ref("io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector"),
    },
  },
  "io.k8s.api.core.v1.PersistentVolumeClaimStatus": {
    type: "object",
    properties: { phase: str, capacity: quantityMap, accessModes: { type: "array", items: str, "x-kubernetes-list-type": "atomic" } },
  },
  "io.example.v1.Widget": {
    type: "object",
    properties: { apiVersion: str, kind: str, metadata: wrapped("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"), spec: { type: "object", "x-kubernetes-preserve-unknown-fields": true } },
  },
};

export const podCtx = { schemas, rootSchema: ref("io.k8s.api.core.v1.Pod") };
export const pvcCtx = { schemas, rootSchema: "io.k8s.api.core.v1.PersistentVolumeClaim" };
export const widgetCtx = { schemas, rootSchema: ref("io.example.v1.Widget") };
