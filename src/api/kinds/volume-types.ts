/**
 * Volume sources. The ones Cistern implements (csi, hostPath, nfs, local on PVs; plus
 * persistentVolumeClaim, emptyDir, configMap, secret, projected, downwardAPI, ephemeral in pods)
 * are typed; the other upstream sources are accepted as opaque objects so that the "exactly
 * one volume type" rule still counts them.
 */
import type { LocalObjectReference, ObjectReference, ResourceRequirements, SecretReference, LabelSelector, TypedLocalObjectReference, TypedObjectReference } from "./core-types.js";

export interface CSIPersistentVolumeSource {
  driver: string;
  volumeHandle: string;
  readOnly?: boolean;
  fsType?: string;
  volumeAttributes?: Record<string, string>;
  controllerPublishSecretRef?: SecretReference;
  nodeStageSecretRef?: SecretReference;
  nodePublishSecretRef?: SecretReference;
  controllerExpandSecretRef?: SecretReference;
  nodeExpandSecretRef?: SecretReference;
}

export interface CSIVolumeSource {
  driver: string;
  readOnly?: boolean;
  fsType?: string;
  volumeAttributes?: Record<string, string>;
  nodePublishSecretRef?: LocalObjectReference;
}

export interface HostPathVolumeSource {
  path: string;
  type?: string;
}

export interface NFSVolumeSource {
  server: string;
  path: string;
  readOnly?: boolean;
}

export interface LocalVolumeSource {
  path: string;
  fsType?: string;
}

export interface EmptyDirVolumeSource {
  medium?: string;
  sizeLimit?: string;
}

export interface KeyToPath {
  key: string;
  path: string;
  mode?: number;
}

export interface SecretVolumeSource {
  secretName?: string;
  items?: KeyToPath[];
  defaultMode?: number;
  optional?: boolean;
}

export interface ConfigMapVolumeSource {
  name?: string;
  items?: KeyToPath[];
  defaultMode?: number;
  optional?: boolean;
}

export interface ObjectFieldSelector {
  apiVersion?: string;
  fieldPath: string;
}

export interface ResourceFieldSelector {
  containerName?: string;
  resource: string;
  divisor?: string;
}

export interface DownwardAPIVolumeFile {
  path: string;
  fieldRef?: ObjectFieldSelector;
  resourceFieldRef?: ResourceFieldSelector;
  mode?: number;
}

export interface DownwardAPIVolumeSource {
  items?: DownwardAPIVolumeFile[];
  defaultMode?: number;
}

export interface ServiceAccountTokenProjection {
  audience?: string;
  expirationSeconds?: number;
  path: string;
}

export interface VolumeProjection {
  secret?: { name?: string; items?: KeyToPath[]; optional?: boolean };
  configMap?: { name?: string; items?: KeyToPath[]; optional?: boolean };
  downwardAPI?: { items?: DownwardAPIVolumeFile[] };
  serviceAccountToken?: ServiceAccountTokenProjection;
  clusterTrustBundle?: Record<string, unknown>;
}

export interface ProjectedVolumeSource {
  sources?: VolumeProjection[];
  defaultMode?: number;
}

export interface PersistentVolumeClaimVolumeSource {
  claimName: string;
  readOnly?: boolean;
}

export interface PersistentVolumeClaimTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string>; [k: string]: unknown };
  spec: PersistentVolumeClaimSpec;
}

export interface EphemeralVolumeSource {
  volumeClaimTemplate?: PersistentVolumeClaimTemplate;
}

/** PersistentVolumeClaimSpec lives here because ephemeral volumes embed it. */
export interface PersistentVolumeClaimSpec {
  accessModes?: string[];
  selector?: LabelSelector;
  resources?: Pick<ResourceRequirements, "limits" | "requests">;
  volumeName?: string;
  storageClassName?: string;
  volumeMode?: string;
  dataSource?: TypedLocalObjectReference;
  dataSourceRef?: TypedObjectReference;
  volumeAttributesClassName?: string;
}

/** Opaque upstream source we carry but do not implement. */
export type OpaqueSource = Record<string, unknown>;

/** The union of PersistentVolume sources (exactly one must be set). */
export interface PersistentVolumeSource {
  csi?: CSIPersistentVolumeSource;
  hostPath?: HostPathVolumeSource;
  nfs?: NFSVolumeSource;
  local?: LocalVolumeSource;
  gcePersistentDisk?: OpaqueSource;
  awsElasticBlockStore?: OpaqueSource;
  glusterfs?: OpaqueSource;
  rbd?: OpaqueSource;
  iscsi?: OpaqueSource;
  cinder?: OpaqueSource;
  cephfs?: OpaqueSource;
  fc?: OpaqueSource;
  flocker?: OpaqueSource;
  flexVolume?: OpaqueSource;
  azureFile?: OpaqueSource;
  vsphereVolume?: OpaqueSource;
  quobyte?: OpaqueSource;
  azureDisk?: OpaqueSource;
  photonPersistentDisk?: OpaqueSource;
  portworxVolume?: OpaqueSource;
  scaleIO?: OpaqueSource;
  storageos?: OpaqueSource;
}

/** The union of pod volume sources (exactly one must be set; none defaults to emptyDir). */
export interface VolumeSource {
  hostPath?: HostPathVolumeSource;
  emptyDir?: EmptyDirVolumeSource;
  secret?: SecretVolumeSource;
  configMap?: ConfigMapVolumeSource;
  nfs?: NFSVolumeSource;
  persistentVolumeClaim?: PersistentVolumeClaimVolumeSource;
  downwardAPI?: DownwardAPIVolumeSource;
  projected?: ProjectedVolumeSource;
  csi?: CSIVolumeSource;
  ephemeral?: EphemeralVolumeSource;
  gitRepo?: OpaqueSource;
  gcePersistentDisk?: OpaqueSource;
  awsElasticBlockStore?: OpaqueSource;
  iscsi?: OpaqueSource;
  glusterfs?: OpaqueSource;
  rbd?: OpaqueSource;
  flexVolume?: OpaqueSource;
  cinder?: OpaqueSource;
  cephfs?: OpaqueSource;
  flocker?: OpaqueSource;
  fc?: OpaqueSource;
  azureFile?: OpaqueSource;
  vsphereVolume?: OpaqueSource;
  quobyte?: OpaqueSource;
  azureDisk?: OpaqueSource;
  photonPersistentDisk?: OpaqueSource;
  portworxVolume?: OpaqueSource;
  scaleIO?: OpaqueSource;
  storageos?: OpaqueSource;
  image?: OpaqueSource;
}

export interface Volume extends VolumeSource {
  name: string;
}

export type { ObjectReference };
