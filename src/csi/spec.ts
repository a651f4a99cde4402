/**
 * CSI-shaped messages (container-storage-interface spec v1.x, field names in camelCase as a JSON
 * mapping of the protobuf would spell them) and the one error type every RPC throws. The driver is
 * called in-process (node agent, external provisioner), so these are plain objects, not gRPC; the
 * error still carries the gRPC status code a CO would see, because callers branch on it.
 */

/** gRPC status codes the driver uses, by name, with their wire numbers. */
export const GRPC_CODES = {
  OK: 0,
  InvalidArgument: 3,
  NotFound: 5,
  AlreadyExists: 6,
  PermissionDenied: 7,
  ResourceExhausted: 8,
  FailedPrecondition: 9,
  Aborted: 10,
  Unimplemented: 12,
  Internal: 13,
  Unavailable: 14,
  Unauthenticated: 16,
} as const;

export type CsiCode = Exclude<keyof typeof GRPC_CODES, "OK">;

export class CsiError extends Error {
  override name = "CsiError";
  constructor(
    readonly code: CsiCode,
    message: string,
  ) {
    super(message);
  }

  get grpcCode(): number {
    return GRPC_CODES[this.code];
  }

  /** What a Go CSI client prints (`status.Error(...).Error()`), the text users find in events. */
  describe(): string {
    return `rpc error: code = ${this.code} desc = ${this.message}`;
  }
}

export function isCsiError(e: unknown, code?: CsiCode): e is CsiError {
  return e instanceof CsiError && (code === undefined || e.code === code);
}

export function csiError(code: CsiCode, message: string): CsiError {
  return new CsiError(code, message);
}

/** The code a failure is reported under (metrics, events): CsiError's own, else Internal. */
export function codeOf(e: unknown): CsiCode {
  return e instanceof CsiError ? e.code : "Internal";
}

// ---------------------------------------------------------------- common

export type AccessModeName =
  | "SINGLE_NODE_WRITER"
  | "SINGLE_NODE_READER_ONLY"
  | "MULTI_NODE_READER_ONLY"
  | "MULTI_NODE_SINGLE_WRITER"
  | "MULTI_NODE_MULTI_WRITER"
  | "SINGLE_NODE_SINGLE_WRITER"
  | "SINGLE_NODE_MULTI_WRITER";

export interface VolumeCapability {
  /** Exactly one of mount / block. EFS volumes are file systems: block is refused. */
  mount?: { fsType?: string; mountFlags?: string[]; volumeMountGroup?: string };
  block?: Record<string, never>;
  accessMode: { mode: AccessModeName };
}

export interface Topology {
  segments: Record<string, string>;
}

export type Secrets = Record<string, string>;

// ---------------------------------------------------------------- identity

export interface GetPluginInfoResponse {
  name: string;
  vendorVersion: string;
  manifest?: Record<string, string>;
}

export type PluginCapabilityType = "CONTROLLER_SERVICE" | "VOLUME_ACCESSIBILITY_CONSTRAINTS";

export interface GetPluginCapabilitiesResponse {
  capabilities: { service: { type: PluginCapabilityType } }[];
}

export interface ProbeResponse {
  ready: boolean;
}

export interface IdentityService {
  getPluginInfo(): Promise<GetPluginInfoResponse>;
  getPluginCapabilities(): Promise<GetPluginCapabilitiesResponse>;
  probe(): Promise<ProbeResponse>;
}

// ---------------------------------------------------------------- controller

export interface CreateVolumeRequest {
  name: string;
  capacityRange?: { requiredBytes?: number; limitBytes?: number };
  volumeCapabilities: VolumeCapability[];
  parameters?: Record<string, string>;
  secrets?: Secrets;
  volumeContentSource?: { snapshot?: { snapshotId: string }; volume?: { volumeId: string } };
  accessibilityRequirements?: { requisite?: Topology[]; preferred?: Topology[] };
}

export interface Volume {
  volumeId: string;
  capacityBytes: number;
  volumeContext: Record<string, string>;
  accessibleTopology?: Topology[];
}

export interface CreateVolumeResponse {
  volume: Volume;
}

export interface DeleteVolumeRequest {
  volumeId: string;
  secrets?: Secrets;
}

export interface ValidateVolumeCapabilitiesRequest {
  volumeId: string;
  volumeContext?: Record<string, string>;
  volumeCapabilities: VolumeCapability[];
  parameters?: Record<string, string>;
  secrets?: Secrets;
}

export interface ValidateVolumeCapabilitiesResponse {
  confirmed?: { volumeContext?: Record<string, string>; volumeCapabilities: VolumeCapability[]; parameters?: Record<string, string> };
  message?: string;
}

export type ControllerCapabilityType =
  | "CREATE_DELETE_VOLUME"
  | "PUBLISH_UNPUBLISH_VOLUME"
  | "LIST_VOLUMES"
  | "GET_CAPACITY"
  | "CREATE_DELETE_SNAPSHOT"
  | "CLONE_VOLUME"
  | "EXPAND_VOLUME";

export interface ControllerGetCapabilitiesResponse {
  capabilities: { rpc: { type: ControllerCapabilityType } }[];
}

export interface ControllerService {
  createVolume(req: CreateVolumeRequest): Promise<CreateVolumeResponse>;
  deleteVolume(req: DeleteVolumeRequest): Promise<Record<string, never>>;
  validateVolumeCapabilities(req: ValidateVolumeCapabilitiesRequest): Promise<ValidateVolumeCapabilitiesResponse>;
  controllerGetCapabilities(): Promise<ControllerGetCapabilitiesResponse>;
  // Not offered by EFS (Unimplemented, as upstream):
  controllerPublishVolume(req: unknown): Promise<never>;
  controllerUnpublishVolume(req: unknown): Promise<never>;
  listVolumes(req: unknown): Promise<never>;
  getCapacity(req: unknown): Promise<never>;
  createSnapshot(req: unknown): Promise<never>;
  deleteSnapshot(req: unknown): Promise<never>;
  listSnapshots(req: unknown): Promise<never>;
  controllerExpandVolume(req: unknown): Promise<never>;
  controllerGetVolume(req: unknown): Promise<never>;
  controllerModifyVolume(req: unknown): Promise<never>;
}

// ---------------------------------------------------------------- node

export interface NodePublishVolumeRequest {
  volumeId: string;
  publishContext?: Record<string, string>;
  stagingTargetPath?: string;
  /** Absolute directory to serve the volume at; created by the driver (its parent must exist). */
  targetPath: string;
  volumeCapability: VolumeCapability;
  readonly: boolean;
  secrets?: Secrets;
  volumeContext?: Record<string, string>;
  /**
   * Cistern extension: the pod's IAM principal, i.e. the value of its ServiceAccount's
   * `eks.amazonaws.com/role-arn` annotation. Presented to EFS only when the volume's mount options
   * include `iam` (as efs-utils does); otherwise the mount is anonymous.
   */
  principalArn?: string;
}

export interface NodeUnpublishVolumeRequest {
  volumeId: string;
  targetPath: string;
}

export interface VolumeUsage {
  available: number;
  total: number;
  used: number;
  unit: "BYTES" | "INODES";
}

export interface NodeGetVolumeStatsRequest {
  volumeId: string;
  volumePath: string;
  stagingTargetPath?: string;
}

export interface NodeGetVolumeStatsResponse {
  usage: VolumeUsage[];
  volumeCondition?: { abnormal: boolean; message: string };
}

export interface NodeGetInfoResponse {
  nodeId: string;
  maxVolumesPerNode: number;
  accessibleTopology?: Topology;
}

export type NodeCapabilityType = "STAGE_UNSTAGE_VOLUME" | "GET_VOLUME_STATS" | "EXPAND_VOLUME" | "VOLUME_CONDITION" | "SINGLE_NODE_MULTI_WRITER";

export interface NodeGetCapabilitiesResponse {
  capabilities: { rpc: { type: NodeCapabilityType } }[];
}

export interface NodeService {
  nodePublishVolume(req: NodePublishVolumeRequest): Promise<Record<string, never>>;
  nodeUnpublishVolume(req: NodeUnpublishVolumeRequest): Promise<Record<string, never>>;
  nodeGetVolumeStats(req: NodeGetVolumeStatsRequest): Promise<NodeGetVolumeStatsResponse>;
  nodeGetInfo(): Promise<NodeGetInfoResponse>;
  nodeGetCapabilities(): Promise<NodeGetCapabilitiesResponse>;
  // Not offered (Unimplemented, as upstream):
  nodeStageVolume(req: unknown): Promise<never>;
  nodeUnstageVolume(req: unknown): Promise<never>;
  nodeExpandVolume(req: unknown): Promise<never>;
}
