/** core/v1 schemas shared by several kinds: references, node selectors, tolerations, resources. */
import type { SchemaRegistry } from "../types.js";
import { arrOf, atomic, atomicStruct, enumStr, int64, listMap, obj, quantityMap, ref, str, strings } from "./dsl.js";
import { META } from "./schemas-meta.js";

export const CORE = "io.k8s.api.core.v1.";

export const coreCommonSchemas: SchemaRegistry = {
  [CORE + "ObjectReference"]: obj(
    "A reference to another object.",
    {
      apiVersion: str("API version of the referent."),
      fieldPath: str("A field within the referent, e.g. spec.containers{name}."),
      kind: str("Kind of the referent."),
      name: str("Name of the referent."),
      namespace: str("Namespace of the referent."),
      resourceVersion: str("The referent's resourceVersion when the reference was made."),
      uid: str("UID of the referent."),
    },
    [],
    atomicStruct,
  ),
  [CORE + "LocalObjectReference"]: obj("A reference to an object in the same namespace, by name.", { name: str("Name of the referent.", { default: "" }) }, [], atomicStruct),
  [CORE + "TypedLocalObjectReference"]: obj(
    "A typed reference to an object in the same namespace.",
    {
      apiGroup: str("API group of the referent; empty for the core group."),
      kind: str("Kind of the referent.", { default: "" }),
      name: str("Name of the referent.", { default: "" }),
    },
    ["kind", "name"],
    atomicStruct,
  ),
  [CORE + "TypedObjectReference"]: obj(
    "A typed reference to an object, possibly in another namespace.",
    {
      apiGroup: str("API group of the referent; empty for the core group."),
      kind: str("Kind of the referent.", { default: "" }),
      name: str("Name of the referent.", { default: "" }),
      namespace: str("Namespace of the referent (cross-namespace data sources)."),
    },
    ["kind", "name"],
  ),
  [CORE + "SecretReference"]: obj(
    "A reference to a Secret by name and namespace.",
    { name: str("Name of the secret."), namespace: str("Namespace of the secret.") },
    [],
    atomicStruct,
  ),
  [CORE + "NodeSelector"]: obj(
    "Terms selecting nodes; the terms are ORed.",
    { nodeSelectorTerms: arrOf(CORE + "NodeSelectorTerm", "The terms; a node matching any term is selected.", atomic) },
    ["nodeSelectorTerms"],
    atomicStruct,
  ),
  [CORE + "NodeSelectorTerm"]: obj(
    "Requirements on node labels and fields; ANDed.",
    {
      matchExpressions: arrOf(CORE + "NodeSelectorRequirement", "Requirements on node labels.", atomic),
      matchFields: arrOf(CORE + "NodeSelectorRequirement", "Requirements on node fields (metadata.name).", atomic),
    },
    [],
    atomicStruct,
  ),
  [CORE + "NodeSelectorRequirement"]: obj(
    "One requirement on a node label or field.",
    {
      key: str("The label key (or field name).", { default: "" }),
      operator: enumStr("How the key relates to the values.", ["DoesNotExist", "Exists", "Gt", "In", "Lt", "NotIn"], { default: "" }),
      values: strings("Values for In, NotIn (any number), Gt and Lt (one integer).", atomic),
    },
    ["key", "operator"],
  ),
  [CORE + "TopologySelectorTerm"]: obj(
    "Topology requirements, ANDed.",
    { matchLabelExpressions: arrOf(CORE + "TopologySelectorLabelRequirement", "Requirements on topology labels.", atomic) },
    [],
    atomicStruct,
  ),
  [CORE + "TopologySelectorLabelRequirement"]: obj(
    "A topology label and the values it may take.",
    { key: str("The label key.", { default: "" }), values: strings("Allowed values.", atomic) },
    ["key", "values"],
  ),
  [CORE + "Toleration"]: obj("Lets a pod be scheduled onto (or stay on) nodes with a matching taint.", {
    effect: enumStr("Taint effect to match; empty matches all.", ["NoExecute", "NoSchedule", "PreferNoSchedule"]),
    key: str("Taint key to match; empty with Exists matches every taint."),
    operator: enumStr("Equal (default) or Exists.", ["Equal", "Exists"]),
    tolerationSeconds: int64("For NoExecute: how long the pod stays after the taint appears."),
    value: str("Taint value to match, for Equal."),
  }),
  [CORE + "Taint"]: obj(
    "Marks a node so that pods without a matching toleration avoid it.",
    {
      effect: enumStr("What happens to pods that do not tolerate the taint.", ["NoExecute", "NoSchedule", "PreferNoSchedule"], { default: "" }),
      key: str("The taint key.", { default: "" }),
      timeAdded: ref(META + "Time", "When a NoExecute taint was added."),
      value: str("The taint value."),
    },
    ["key", "effect"],
  ),
  [CORE + "ResourceRequirements"]: obj("Compute resources a container requests and may use.", {
    claims: arrOf(CORE + "ResourceClaim", "Dynamic resource claims used by the container.", listMap(["name"])),
    limits: quantityMap("Maximum amounts the container may use."),
    requests: quantityMap("Minimum amounts the container needs; defaults to limits."),
  }),
  [CORE + "ResourceClaim"]: obj(
    "A reference to one of the pod's resource claims.",
    { name: str("Name of the pod resource claim.", { default: "" }), request: str("A request within the claim.") },
    ["name"],
  ),
  [CORE + "VolumeResourceRequirements"]: obj("Storage a claim requests.", {
    limits: quantityMap("Maximum storage (unused by most provisioners)."),
    requests: quantityMap("Requested storage; requests.storage is required."),
  }),
};
