/** Namespace, Node, Event, ServiceAccount, ConfigMap and Secret schemas. */
import type { SchemaRegistry } from "../types.js";
import { arrOf, atomic, bool, enumStr, int32, int64, kindSchema, listSchema, map, mergeByKey, obj, quantityMap, ref, set, str, stringMap, strings } from "./dsl.js";
import { CORE } from "./schemas-core-common.js";
import { META } from "./schemas-meta.js";

export const coreMiscSchemas: SchemaRegistry = {
  [CORE + "Namespace"]: kindSchema("A scope for names of namespaced objects.", "", "v1", "Namespace", {
    spec: ref(CORE + "NamespaceSpec", "The namespace's finalizers.", { default: {} }),
    status: ref(CORE + "NamespaceStatus", "Active or Terminating.", { default: {} }),
  }),
  [CORE + "NamespaceList"]: listSchema("A list of Namespaces.", "", "v1", "Namespace", CORE + "Namespace"),
  [CORE + "NamespaceSpec"]: obj("Desired state of a namespace.", { finalizers: strings("Must be empty before the namespace is removed.", atomic) }),
  [CORE + "NamespaceStatus"]: obj("Observed state of a namespace.", {
    conditions: arrOf(CORE + "NamespaceCondition", "Conditions of the namespace's deletion.", mergeByKey(["type"])),
    phase: enumStr("Active or Terminating.", ["Active", "Terminating"]),
  }),
  [CORE + "NamespaceCondition"]: obj(
    "A condition of a namespace.",
    {
      lastTransitionTime: ref(META + "Time", "Last time the status changed."),
      message: str("Human-readable details."),
      reason: str("Machine-readable reason."),
      status: str("True, False or Unknown.", { default: "" }),
      type: str("Condition type.", { default: "" }),
    },
    ["type", "status"],
  ),

  [CORE + "Node"]: kindSchema("A machine that runs pods (here: a Cistern node agent).", "", "v1", "Node", {
    spec: ref(CORE + "NodeSpec", "How the node is configured.", { default: {} }),
    status: ref(CORE + "NodeStatus", "What the node agent reports.", { default: {} }),
  }),
  [CORE + "NodeList"]: listSchema("A list of Nodes.", "", "v1", "Node", CORE + "Node"),
  [CORE + "NodeSpec"]: obj("Desired state of a node.", {
    configSource: { type: "object", description: "Deprecated dynamic kubelet configuration.", "x-kubernetes-preserve-unknown-fields": true },
    externalID: str("Deprecated."),
    podCIDR: str("Pod IP range of the node."),
    podCIDRs: strings("Pod IP ranges of the node, one per family.", { "x-kubernetes-patch-strategy": "merge", ...set }),
    providerID: str("Cloud provider id of the node."),
    taints: arrOf(CORE + "Taint", "Taints repelling pods.", atomic),
    unschedulable: bool("Keep new pods off the node (kubectl cordon)."),
  }),
  [CORE + "NodeStatus"]: obj("Observed state of a node.", {
    addresses: arrOf(CORE + "NodeAddress", "Addresses of the node.", mergeByKey(["type"])),
    allocatable: quantityMap("Resources available to pods (defaults to capacity)."),
    capacity: quantityMap("Total resources of the node."),
    conditions: arrOf(CORE + "NodeCondition", "Ready and pressure conditions.", mergeByKey(["type"])),
    config: { type: "object", description: "Status of dynamic configuration (deprecated).", "x-kubernetes-preserve-unknown-fields": true },
    daemonEndpoints: ref(CORE + "NodeDaemonEndpoints", "Ports of the node agent.", { default: {} }),
    features: { type: "object", description: "Features the node supports.", "x-kubernetes-preserve-unknown-fields": true },
    images: arrOf(CORE + "ContainerImage", "Images present on the node.", atomic),
    nodeInfo: ref(CORE + "NodeSystemInfo", "Versions and ids of the node.", { default: {} }),
    phase: str("Deprecated."),
    runtimeHandlers: { type: "array", description: "Runtime handlers.", items: { type: "object", "x-kubernetes-preserve-unknown-fields": true }, ...atomic },
    volumesAttached: arrOf(CORE + "AttachedVolume", "Volumes attached to the node.", atomic),
    volumesInUse: strings("Volumes in use on the node.", atomic),
  }),
  [CORE + "NodeAddress"]: obj("An address of a node.", { address: str("The address.", { default: "" }), type: str("Hostname, InternalIP, ExternalIP…", { default: "" }) }, ["type", "address"]),
  [CORE + "NodeCondition"]: obj(
    "A condition of a node.",
    {
      lastHeartbeatTime: ref(META + "Time", "Last time the condition was reported."),
      lastTransitionTime: ref(META + "Time", "Last time the status changed."),
      message: str("Human-readable details."),
      reason: str("Machine-readable reason."),
      status: str("True, False or Unknown.", { default: "" }),
      type: str("Ready, MemoryPressure, DiskPressure…", { default: "" }),
    },
    ["type", "status"],
  ),
  [CORE + "NodeDaemonEndpoints"]: obj("Ports of daemons on the node.", { kubeletEndpoint: ref(CORE + "DaemonEndpoint", "The node agent's port.", { default: {} }) }),
  [CORE + "DaemonEndpoint"]: obj("A daemon's port.", { Port: int32("Port number.", { default: 0 }) }, ["Port"]),
  [CORE + "NodeSystemInfo"]: obj(
    "Versions and ids of a node.",
    {
      architecture: str("CPU architecture.", { default: "" }),
      bootID: str("Boot id.", { default: "" }),
      containerRuntimeVersion: str("Container runtime and version.", { default: "" }),
      kernelVersion: str("Kernel version.", { default: "" }),
      kubeProxyVersion: str("Deprecated.", { default: "" }),
      kubeletVersion: str("Node agent version.", { default: "" }),
      machineID: str("Machine id.", { default: "" }),
      operatingSystem: str("Operating system.", { default: "" }),
      osImage: str("OS image.", { default: "" }),
      swap: { type: "object", description: "Swap information.", "x-kubernetes-preserve-unknown-fields": true },
      systemUUID: str("System UUID.", { default: "" }),
    },
    ["machineID", "systemUUID", "bootID", "kernelVersion", "osImage", "containerRuntimeVersion", "kubeletVersion", "kubeProxyVersion", "operatingSystem", "architecture"],
  ),
  [CORE + "ContainerImage"]: obj("An image on a node.", { names: strings("Names of the image.", atomic), sizeBytes: int64("Size in bytes.") }),
  [CORE + "AttachedVolume"]: obj("A volume attached to a node.", { devicePath: str("Device path.", { default: "" }), name: str("Volume name.", { default: "" }) }, ["name", "devicePath"]),

  [CORE + "Event"]: kindSchema(
    "A report of something that happened to an object.",
    "",
    "v1",
    "Event",
    {
      action: str("What was done (new-style events)."),
      count: int32("How many times the event occurred."),
      eventTime: ref(META + "MicroTime", "When the event first happened (new-style events)."),
      firstTimestamp: ref(META + "Time", "When the event was first recorded."),
      involvedObject: ref(CORE + "ObjectReference", "The object the event is about.", { default: {} }),
      lastTimestamp: ref(META + "Time", "When the event was last recorded."),
      message: str("Human-readable description."),
      reason: str("Short machine-readable reason, e.g. ProvisioningSucceeded."),
      related: ref(CORE + "ObjectReference", "A second object involved."),
      reportingComponent: str("Controller that emitted the event, e.g. persistentvolume-controller."),
      reportingInstance: str("Instance of that controller."),
      series: ref(CORE + "EventSeries", "Data about a series of repeated events."),
      source: ref(CORE + "EventSource", "Component reporting the event.", { default: {} }),
      type: str("Normal or Warning."),
    },
    ["metadata", "involvedObject"],
  ),
  [CORE + "EventList"]: listSchema("A list of Events.", "", "v1", "Event", CORE + "Event"),
  [CORE + "EventSource"]: obj("Who reported an event.", { component: str("Reporting component."), host: str("Node of the component.") }),
  [CORE + "EventSeries"]: obj("A series of repeated events.", { count: int32("Occurrences so far."), lastObservedTime: ref(META + "MicroTime", "Time of the last occurrence.") }),

  [CORE + "ServiceAccount"]: kindSchema("An identity for processes in pods.", "", "v1", "ServiceAccount", {
    automountServiceAccountToken: bool("Whether pods mount its token by default."),
    imagePullSecrets: arrOf(CORE + "LocalObjectReference", "Secrets for pulling images.", atomic),
    secrets: arrOf(CORE + "ObjectReference", "Secrets the account may use.", mergeByKey(["name"])),
  }),
  [CORE + "ServiceAccountList"]: listSchema("A list of ServiceAccounts.", "", "v1", "ServiceAccount", CORE + "ServiceAccount"),

  [CORE + "ConfigMap"]: kindSchema("Non-secret configuration data.", "", "v1", "ConfigMap", {
    binaryData: map({ type: "string", format: "byte" }, "Binary values, base64-encoded."),
    data: stringMap("UTF-8 values."),
    immutable: bool("When true, data can no longer change."),
  }),
  [CORE + "ConfigMapList"]: listSchema("A list of ConfigMaps.", "", "v1", "ConfigMap", CORE + "ConfigMap"),

  [CORE + "Secret"]: kindSchema("Sensitive data such as passwords, tokens or keys.", "", "v1", "Secret", {
    data: map({ type: "string", format: "byte" }, "Values, base64-encoded."),
    immutable: bool("When true, data can no longer change."),
    stringData: stringMap("Write-only plain-text values, merged into data."),
    type: str("How the data is used, e.g. Opaque (default) or kubernetes.io/tls."),
  }),
  [CORE + "SecretList"]: listSchema("A list of Secrets.", "", "v1", "Secret", CORE + "Secret"),
};

