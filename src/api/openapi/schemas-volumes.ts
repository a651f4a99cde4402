/**
 * Volume source schemas. The sources Cistern implements are typed field by field; the others
 * are open objects (x-kubernetes-preserve-unknown-fields) so manifests using them still decode.
 */
import type { Schema, SchemaRegistry } from "../types.js";
import { arrOf, atomic, atomicStruct, bool, enumStr, int32, int64, obj, opaque, ref, str, stringMap } from "./dsl.js";
import { CORE } from "./schemas-core-common.js";

const UNIMPLEMENTED = [
  "gcePersistentDisk",
  "awsElasticBlockStore",
  "glusterfs",
  "rbd",
  "iscsi",
  "cinder",
  "cephfs",
  "fc",
  "flocker",
  "flexVolume",
  "azureFile",
  "vsphereVolume",
  "quobyte",
  "azureDisk",
  "photonPersistentDisk",
  "portworxVolume",
  "scaleIO",
  "storageos",
];

/** Fields of sources Cistern does not implement, as open objects. */
export function unimplementedSources(extra: string[] = []): Record<string, Schema> {
  const out: Record<string, Schema> = {};
  for (const name of [...UNIMPLEMENTED, ...extra]) out[name] = opaque(`A ${name} volume; accepted and stored, not implemented by Cistern.`);
  return out;
}

const fileMode = (what: string) => int32(`Permission bits for ${what}, 0000-0777 (JSON takes decimal).`);

export const volumeSchemas: SchemaRegistry = {
  [CORE + "CSIPersistentVolumeSource"]: obj(
    "A volume managed by an external CSI driver.",
    {
      controllerExpandSecretRef: ref(CORE + "SecretReference", "Secret passed to ControllerExpandVolume."),
      controllerPublishSecretRef: ref(CORE + "SecretReference", "Secret passed to ControllerPublishVolume."),
      driver: str("Name of the CSI driver, e.g. efs.csi.aws.com.", { default: "" }),
      fsType: str("Filesystem type to mount, for block-backed drivers."),
      nodeExpandSecretRef: ref(CORE + "SecretReference", "Secret passed to NodeExpandVolume."),
      nodePublishSecretRef: ref(CORE + "SecretReference", "Secret passed to NodePublishVolume."),
      nodeStageSecretRef: ref(CORE + "SecretReference", "Secret passed to NodeStageVolume."),
      readOnly: bool("Mount read-only."),
      volumeAttributes: stringMap("Driver-specific attributes of the volume."),
      volumeHandle: str("The driver's id of the volume, e.g. an EFS file system or access point id.", { default: "" }),
    },
    ["driver", "volumeHandle"],
  ),
  [CORE + "CSIVolumeSource"]: obj(
    "An inline ephemeral volume provided by a CSI driver.",
    {
      driver: str("Name of the CSI driver.", { default: "" }),
      fsType: str("Filesystem type to mount."),
      nodePublishSecretRef: ref(CORE + "LocalObjectReference", "Secret passed to NodePublishVolume."),
      readOnly: bool("Mount read-only."),
      volumeAttributes: stringMap("Driver-specific attributes."),
    },
    ["driver"],
  ),
  [CORE + "HostPathVolumeSource"]: obj(
    "A directory or file of the node mapped into the pod.",
    {
      path: str("Path on the host.", { default: "" }),
      type: enumStr("What must exist at the path.", ["", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"]),
    },
    ["path"],
  ),
  [CORE + "NFSVolumeSource"]: obj(
    "An NFS export.",
    {
      path: str("Exported path on the server.", { default: "" }),
      readOnly: bool("Mount read-only."),
      server: str("Host name or IP of the NFS server.", { default: "" }),
    },
    ["server", "path"],
  ),
  [CORE + "LocalVolumeSource"]: obj(
    "A local disk or directory on one node (needs nodeAffinity).",
    { fsType: str("Filesystem type when path is a block device."), path: str("Full path on the node.", { default: "" }) },
    ["path"],
  ),
  [CORE + "VolumeNodeAffinity"]: obj("The nodes a volume can be used from.", {
    required: ref(CORE + "NodeSelector", "Nodes that can access the volume."),
  }),
  [CORE + "EmptyDirVolumeSource"]: obj("A temporary directory that lives as long as the pod.", {
    medium: str('Storage medium: "" (node default) or "Memory".'),
    sizeLimit: ref("io.k8s.apimachinery.pkg.api.resource.Quantity", "Maximum size of the directory."),
  }),
  [CORE + "KeyToPath"]: obj(
    "Maps a data key to a file path.",
    { key: str("The data key.", { default: "" }), mode: fileMode("this file"), path: str("Relative file path; may not contain '..'.", { default: "" }) },
    ["key", "path"],
  ),
  [CORE + "SecretVolumeSource"]: obj("Files from a Secret.", {
    defaultMode: fileMode("the files (default 0644)"),
    items: arrOf(CORE + "KeyToPath", "Keys to project; default all keys.", atomic),
    optional: bool("Tolerate a missing secret or key."),
    secretName: str("Name of the secret in the pod's namespace."),
  }),
  [CORE + "ConfigMapVolumeSource"]: obj(
    "Files from a ConfigMap.",
    {
      defaultMode: fileMode("the files (default 0644)"),
      items: arrOf(CORE + "KeyToPath", "Keys to project; default all keys.", atomic),
      name: str("Name of the ConfigMap.", { default: "" }),
      optional: bool("Tolerate a missing ConfigMap or key."),
    },
    [],
    atomicStruct,
  ),
  [CORE + "PersistentVolumeClaimVolumeSource"]: obj(
    "A reference to a PersistentVolumeClaim in the pod's namespace.",
    { claimName: str("Name of the claim.", { default: "" }), readOnly: bool("Mount read-only.") },
    ["claimName"],
  ),
  [CORE + "ObjectFieldSelector"]: obj(
    "Selects a field of the pod.",
    { apiVersion: str("Version of the schema fieldPath is written in (default v1)."), fieldPath: str("Path of the field, e.g. metadata.name.", { default: "" }) },
    ["fieldPath"],
    atomicStruct,
  ),
  [CORE + "ResourceFieldSelector"]: obj(
    "Selects a container resource (limits.cpu, requests.memory…).",
    {
      containerName: str("Container name (required for volumes)."),
      divisor: ref("io.k8s.apimachinery.pkg.api.resource.Quantity", "Output unit (default 1)."),
      resource: str("The resource to select.", { default: "" }),
    },
    ["resource"],
    atomicStruct,
  ),
  [CORE + "DownwardAPIVolumeFile"]: obj(
    "One file of pod information.",
    {
      fieldRef: ref(CORE + "ObjectFieldSelector", "A pod field."),
      mode: fileMode("this file"),
      path: str("Relative file path.", { default: "" }),
      resourceFieldRef: ref(CORE + "ResourceFieldSelector", "A container resource."),
    },
    ["path"],
  ),
  [CORE + "DownwardAPIVolumeSource"]: obj("Files of pod information.", {
    defaultMode: fileMode("the files (default 0644)"),
    items: arrOf(CORE + "DownwardAPIVolumeFile", "The files.", atomic),
  }),
  [CORE + "SecretProjection"]: obj(
    "Secret data in a projected volume.",
    { items: arrOf(CORE + "KeyToPath", "Keys to project.", atomic), name: str("Secret name.", { default: "" }), optional: bool("Tolerate a missing secret.") },
    [],
    atomicStruct,
  ),
  [CORE + "ConfigMapProjection"]: obj(
    "ConfigMap data in a projected volume.",
    { items: arrOf(CORE + "KeyToPath", "Keys to project.", atomic), name: str("ConfigMap name.", { default: "" }), optional: bool("Tolerate a missing ConfigMap.") },
    [],
    atomicStruct,
  ),
  [CORE + "DownwardAPIProjection"]: obj("Pod information in a projected volume.", {
    items: arrOf(CORE + "DownwardAPIVolumeFile", "The files.", atomic),
  }),
  [CORE + "ServiceAccountTokenProjection"]: obj(
    "A service-account token in a projected volume.",
    {
      audience: str("Intended audience of the token."),
      expirationSeconds: int64("Requested lifetime (default 3600, at least 600)."),
      path: str("Relative file path.", { default: "" }),
    },
    ["path"],
  ),
  [CORE + "VolumeProjection"]: obj("One source of a projected volume.", {
    clusterTrustBundle: opaque("Trust anchors from ClusterTrustBundles (not implemented)."),
    configMap: ref(CORE + "ConfigMapProjection", "ConfigMap data."),
    downwardAPI: ref(CORE + "DownwardAPIProjection", "Pod information."),
    secret: ref(CORE + "SecretProjection", "Secret data."),
    serviceAccountToken: ref(CORE + "ServiceAccountTokenProjection", "A service-account token."),
  }),
  [CORE + "ProjectedVolumeSource"]: obj("Several sources projected into one directory.", {
    defaultMode: fileMode("the files (default 0644)"),
    sources: arrOf(CORE + "VolumeProjection", "The sources.", atomic),
  }),
  [CORE + "PersistentVolumeClaimTemplate"]: obj(
    "Template of the claim created for an ephemeral volume.",
    {
      metadata: ref("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "Labels and annotations for the claim.", { default: {} }),
      spec: ref(CORE + "PersistentVolumeClaimSpec", "The claim's spec.", { default: {} }),
    },
    ["spec"],
  ),
  [CORE + "EphemeralVolumeSource"]: obj("A volume backed by a claim created and deleted with the pod.", {
    volumeClaimTemplate: ref(CORE + "PersistentVolumeClaimTemplate", "Template of the claim."),
  }),
  [CORE + "Volume"]: obj(
    "A named volume of a pod; exactly one source must be set.",
    {
      name: str("Volume name, a DNS label unique in the pod.", { default: "" }),
      configMap: ref(CORE + "ConfigMapVolumeSource", "Files from a ConfigMap."),
      csi: ref(CORE + "CSIVolumeSource", "An inline CSI volume."),
      downwardAPI: ref(CORE + "DownwardAPIVolumeSource", "Pod information as files."),
      emptyDir: ref(CORE + "EmptyDirVolumeSource", "A temporary directory."),
      ephemeral: ref(CORE + "EphemeralVolumeSource", "A claim that lives with the pod."),
      hostPath: ref(CORE + "HostPathVolumeSource", "A path on the node."),
      nfs: ref(CORE + "NFSVolumeSource", "An NFS export."),
      persistentVolumeClaim: ref(CORE + "PersistentVolumeClaimVolumeSource", "A PersistentVolumeClaim."),
      projected: ref(CORE + "ProjectedVolumeSource", "Several sources in one directory."),
      secret: ref(CORE + "SecretVolumeSource", "Files from a Secret."),
      ...unimplementedSources(["gitRepo", "image"]),
    },
    ["name"],
  ),
};
