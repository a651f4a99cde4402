/**
 * The seam between the driver's CSI logic and how a file system is actually mounted:
 *   - "cistern": Cistern's EFS service — the mount extension authorises the mount and names a local
 *     directory, which is served through efs-fuse or a safe bind mount (cistern-mounter.ts);
 *   - "efs-utils": real Amazon EFS through `mount -t efs` (efs-utils-mounter.ts; not implemented yet).
 * Pointing the driver at AWS is a configuration change (endpoint, credentials, mounter), not code.
 */
import type { PublishRecord } from "./publish-state.js";

export interface PublishSpec {
  volumeId: string;
  fileSystemId: string;
  accessPointId?: string;
  /** "/" or "/a/b": below the access point's root, or the file system root without one. */
  path: string;
  /** Presented only for `iam` mounts (see node.ts); absent = anonymous client. */
  principalArn?: string;
  secureTransport: boolean;
  readOnly: boolean;
  targetPath: string;
  /** Validated, de-duplicated mount options (what efs-utils would get after -o). */
  options: string[];
}

export interface NodeMounter {
  readonly name: string;
  /** Mount the volume at spec.targetPath (an existing empty directory) and say how. */
  publish(spec: PublishSpec): Promise<PublishRecord>;
  /** Undo publish: unmount the target and release what publish took. Idempotent. */
  unpublish(rec: PublishRecord): Promise<void>;
  /** Tell EFS about I/O since the last report; the updated record, or undefined if nothing changed. */
  reportIo(rec: PublishRecord): Promise<PublishRecord | undefined>;
  /** Remove whatever this mounter may have mounted at `targetPath` when no record says what (lost state). */
  unmountUnknown(targetPath: string): Promise<void>;
}

export interface FileSystemRootAccess {
  /**
   * Run `fn` with a directory that is the file system's root, with root access (not squashed,
   * writable) — what DeleteVolume needs to remove an access point's directory. The directory is
   * only valid during the call.
   */
  withFileSystemRoot<T>(fileSystemId: string, fn: (rootDir: string) => Promise<T>): Promise<T>;
}
