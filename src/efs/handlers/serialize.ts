/** Model records → the EFS wire shapes (PascalCase members, epoch-second timestamps). */
import { accessPointArn, fileSystemArn, type Scope } from "../ids.js";
import type { FileSystemSize } from "../metering/meter.js";
import type { AccessPointRecord, ClientMountRecord, FileSystemRecord, LifeCycleState, MountTargetRecord } from "../model/types.js";
import { nameOf } from "../model/validation.js";

export function fileSystemDescription(scope: Scope, fs: FileSystemRecord, size: FileSystemSize, mountTargets: number, zoneId?: string) {
  return {
    OwnerId: scope.accountId,
    CreationToken: fs.creationToken,
    FileSystemId: fs.id,
    FileSystemArn: fileSystemArn(scope, fs.id),
    CreationTime: fs.creationTime,
    LifeCycleState: fs.state,
    Name: nameOf(fs.tags),
    NumberOfMountTargets: mountTargets,
    SizeInBytes: size,
    PerformanceMode: fs.performanceMode,
    Encrypted: fs.encrypted,
    KmsKeyId: fs.kmsKeyId,
    ThroughputMode: fs.throughputMode,
    ProvisionedThroughputInMibps: fs.provisionedThroughputInMibps,
    AvailabilityZoneName: fs.availabilityZoneName,
    AvailabilityZoneId: fs.availabilityZoneName ? zoneId : undefined,
    Tags: fs.tags,
    FileSystemProtection: { ReplicationOverwriteProtection: "ENABLED" },
  };
}

export function accessPointDescription(scope: Scope, ap: AccessPointRecord, state: LifeCycleState = "available") {
  return {
    ClientToken: ap.clientToken,
    Name: nameOf(ap.tags),
    Tags: ap.tags,
    AccessPointId: ap.id,
    AccessPointArn: accessPointArn(scope, ap.id),
    FileSystemId: ap.fsId,
    PosixUser: ap.posixUser ? { Uid: ap.posixUser.uid, Gid: ap.posixUser.gid, SecondaryGids: ap.posixUser.secondaryGids } : undefined,
    RootDirectory: {
      Path: ap.rootPath,
      CreationInfo: ap.creationInfo
        ? { OwnerUid: ap.creationInfo.ownerUid, OwnerGid: ap.creationInfo.ownerGid, Permissions: ap.creationInfo.permissions }
        : undefined,
    },
    OwnerId: scope.accountId,
    LifeCycleState: state,
  };
}

export function mountTargetDescription(scope: Scope, mt: MountTargetRecord) {
  return {
    OwnerId: scope.accountId,
    MountTargetId: mt.id,
    FileSystemId: mt.fsId,
    SubnetId: mt.subnetId,
    LifeCycleState: mt.state,
    IpAddress: mt.ipAddress,
    NetworkInterfaceId: mt.networkInterfaceId,
    AvailabilityZoneId: mt.availabilityZoneId,
    AvailabilityZoneName: mt.availabilityZoneName,
    VpcId: mt.vpcId,
  };
}

export function mountDescription(m: ClientMountRecord) {
  return {
    MountId: m.id,
    FileSystemId: m.fsId,
    AccessPointId: m.apId,
    Path: m.path,
    HostPath: m.hostPath,
    ReadOnly: m.readOnly,
    RootSquash: m.rootSquash,
    PosixUser: m.posixUser ? { Uid: m.posixUser.uid, Gid: m.posixUser.gid, SecondaryGids: m.posixUser.secondaryGids } : undefined,
    NodeId: m.nodeId,
    CreatedAt: m.createdAt,
  };
}
