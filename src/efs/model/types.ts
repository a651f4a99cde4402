/** The records the model keeps (and persists as JSON documents). camelCase here; handlers/serialize.ts owns the wire shape. */

export type LifeCycleState = "creating" | "available" | "updating" | "deleting" | "deleted" | "error";
export type PerformanceMode = "generalPurpose" | "maxIO";
export type ThroughputMode = "bursting" | "provisioned" | "elastic";

export interface Tag {
  Key: string;
  Value: string;
}

export interface FileSystemRecord {
  id: string;
  seq: number;
  creationToken: string;
  /** Epoch seconds. */
  creationTime: number;
  state: LifeCycleState;
  performanceMode: PerformanceMode;
  throughputMode: ThroughputMode;
  provisionedThroughputInMibps?: number;
  encrypted: boolean;
  kmsKeyId?: string;
  availabilityZoneName?: string;
  tags: Tag[];
}

export interface PosixUser {
  uid: number;
  gid: number;
  secondaryGids: number[];
}

export interface CreationInfo {
  ownerUid: number;
  ownerGid: number;
  /** Octal string as sent, e.g. "750" or "2775". */
  permissions: string;
}

export interface AccessPointRecord {
  id: string;
  seq: number;
  fsId: string;
  clientToken: string;
  creationTime: number;
  tags: Tag[];
  posixUser?: PosixUser;
  /** Absolute path inside the file system, validated: "/" or up to four "/name" levels. */
  rootPath: string;
  creationInfo?: CreationInfo;
}

export interface MountTargetRecord {
  id: string;
  seq: number;
  fsId: string;
  subnetId: string;
  ipAddress: string;
  availabilityZoneName: string;
  availabilityZoneId: string;
  vpcId: string;
  networkInterfaceId: string;
  securityGroups: string[];
  state: LifeCycleState;
}

export interface PolicyRecord {
  fsId: string;
  seq: number;
  text: string;
}

/** A client's active mount made through the Cistern mount extension; counts as a ClientConnection. */
export interface ClientMountRecord {
  id: string;
  seq: number;
  fsId: string;
  apId?: string;
  /** The requested Path, relative to the access point root (or the file system root). */
  path: string;
  principalArn?: string;
  secureTransport: boolean;
  readOnly: boolean;
  rootSquash: boolean;
  posixUser?: PosixUser;
  nodeId?: string;
  hostPath: string;
  createdAt: number;
}
