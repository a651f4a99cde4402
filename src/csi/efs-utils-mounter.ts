/**
 * The mounter for real Amazon EFS: what the upstream driver does with amazon-efs-utils,
 *   mount -t efs -o <options> <fs-id>:<path> <target>
 * with options accesspoint=<ap> and tls for access point mounts, tls unless encryptInTransit is
 * false, iam to present the node's (or pod's) IAM identity, ro, and the validated mountOptions —
 * run through execFile with an argument vector, never a shell. Root-directory deletion would mount
 * the file system root with "tls,iam" under a temporary directory.
 *
 * Not implemented yet: Cistern's EFS service has no NFS endpoint, so nothing here could be tested.
 * Every call fails with Unimplemented and says so; the seam (NodeMounter, FileSystemRootAccess) is
 * what an implementation plugs into.
 */
import type { FileSystemRootAccess, NodeMounter, PublishSpec } from "./mounter.js";
import type { PublishRecord } from "./publish-state.js";
import { csiError } from "./spec.js";

const WHY = "mounter efs-utils (mount -t efs against Amazon EFS) is not implemented in Cistern yet; use mounter \"cistern\" with Cistern's EFS service";

export class EfsUtilsMounter implements NodeMounter, FileSystemRootAccess {
  readonly name = "efs-utils";

  async publish(_spec: PublishSpec): Promise<PublishRecord> {
    throw csiError("Unimplemented", WHY);
  }

  async unpublish(_rec: PublishRecord): Promise<void> {
    throw csiError("Unimplemented", WHY);
  }

  async reportIo(_rec: PublishRecord): Promise<PublishRecord | undefined> {
    return undefined;
  }

  async unmountUnknown(_targetPath: string): Promise<void> {
    throw csiError("Unimplemented", WHY);
  }

  async withFileSystemRoot<T>(_fileSystemId: string, _fn: (rootDir: string) => Promise<T>): Promise<T> {
    throw csiError("Unimplemented", WHY);
  }
}
