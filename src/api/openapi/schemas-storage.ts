/** storage.k8s.io/v1 schemas: StorageClass, CSIDriver, CSINode. */
import type { SchemaRegistry } from "../types.js";
import { arrOf, atomic, bool, enumStr, int32, int64, kindSchema, listSchema, mergeByKey, obj, ref, set, str, stringMap, strings } from "./dsl.js";
import { CORE } from "./schemas-core-common.js";

export const STORAGE = "io.k8s.api.storage.v1.";

export const storageSchemas: SchemaRegistry = {
  [STORAGE + "StorageClass"]: kindSchema(
    "A class of dynamically provisioned storage.",
    "storage.k8s.io",
    "v1",
    "StorageClass",
    {
      allowVolumeExpansion: bool("Whether claims of this class may grow."),
      allowedTopologies: arrOf(CORE + "TopologySelectorTerm", "Where volumes may be provisioned.", atomic),
      mountOptions: strings("Mount options of provisioned volumes.", atomic),
      parameters: stringMap("Provisioner parameters, e.g. provisioningMode, fileSystemId."),
      provisioner: str("Driver that provisions volumes, e.g. efs.csi.aws.com.", { default: "" }),
      reclaimPolicy: enumStr("Reclaim policy of provisioned volumes: Delete (default) or Retain.", ["Delete", "Recycle", "Retain"]),
      volumeBindingMode: enumStr("Immediate (default) or WaitForFirstConsumer.", ["Immediate", "WaitForFirstConsumer"]),
    },
    ["provisioner"],
  ),
  [STORAGE + "StorageClassList"]: listSchema("A list of StorageClasses.", "storage.k8s.io", "v1", "StorageClass", STORAGE + "StorageClass"),
  [STORAGE + "CSIDriver"]: kindSchema(
    "How Kubernetes interacts with one CSI driver.",
    "storage.k8s.io",
    "v1",
    "CSIDriver",
    { spec: ref(STORAGE + "CSIDriverSpec", "The driver's capabilities.", { default: {} }) },
    ["spec"],
  ),
  [STORAGE + "CSIDriverList"]: listSchema("A list of CSIDrivers.", "storage.k8s.io", "v1", "CSIDriver", STORAGE + "CSIDriver"),
  [STORAGE + "CSIDriverSpec"]: obj("Capabilities of a CSI driver.", {
    attachRequired: bool("Whether volumes need an attach (ControllerPublish) step (default true)."),
    fsGroupPolicy: enumStr("How fsGroup ownership changes apply.", ["File", "None", "ReadWriteOnceWithFSType"]),
    nodeAllocatableUpdatePeriodSeconds: int64("How often the node's allocatable count is refreshed."),
    podInfoOnMount: bool("Pass pod details to NodePublishVolume (default false)."),
    requiresRepublish: bool("Call NodePublishVolume periodically (default false)."),
    seLinuxMount: bool("Whether the driver supports the SELinux mount option."),
    storageCapacity: bool("Whether the scheduler considers reported capacity (default false)."),
    tokenRequests: arrOf(STORAGE + "TokenRequest", "Service-account tokens passed to the driver.", atomic),
    volumeLifecycleModes: strings("Persistent and/or Ephemeral.", set),
  }),
  [STORAGE + "TokenRequest"]: obj(
    "A service-account token for a driver.",
    { audience: str("Token audience.", { default: "" }), expirationSeconds: int64("Token lifetime.") },
    ["audience"],
  ),
  [STORAGE + "CSINode"]: kindSchema(
    "The CSI drivers installed on a node.",
    "storage.k8s.io",
    "v1",
    "CSINode",
    { spec: ref(STORAGE + "CSINodeSpec", "Drivers registered on the node.", { default: {} }) },
    ["spec"],
  ),
  [STORAGE + "CSINodeList"]: listSchema("A list of CSINodes.", "storage.k8s.io", "v1", "CSINode", STORAGE + "CSINode"),
  [STORAGE + "CSINodeSpec"]: obj("The drivers of a node.", { drivers: arrOf(STORAGE + "CSINodeDriver", "Registered drivers.", mergeByKey(["name"])) }, ["drivers"]),
  [STORAGE + "CSINodeDriver"]: obj(
    "One driver on a node.",
    {
      allocatable: ref(STORAGE + "VolumeNodeResources", "Volume limits of the driver on the node."),
      name: str("Driver name.", { default: "" }),
      nodeID: str("The driver's id of the node.", { default: "" }),
      topologyKeys: strings("Topology labels the driver uses.", atomic),
    },
    ["name", "nodeID"],
  ),
  [STORAGE + "VolumeNodeResources"]: obj("Volume limits on a node.", { count: int32("Maximum volumes of this driver on the node.") }),
};
