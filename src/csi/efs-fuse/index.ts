/**
 * efs-fuse: the node-side EFS data plane. Each mount is one efs-fuse daemon (native/efs-fuse, C on
 * libfuse3) serving a source directory at a target with Amazon EFS's NFS identity rules:
 * - with an access point identity (uid/gid/groups) every operation runs as that identity, whoever
 *   the caller is, so new files belong to it and permission checks use it;
 * - otherwise operations run as the caller, with root squashed to 65534 when squashRoot is set;
 * - nothing outside the source is ever opened: every operation is relative to an O_PATH descriptor
 *   below it and symlinks are never followed by the daemon (callers follow them in their own view);
 * - readOnly mounts fail every write with EROFS;
 * - file data goes through kernel FUSE passthrough when the kernel offers it (host-speed I/O, but
 *   data bytes are then invisible to the IO counters); `passthrough: false` routes and counts it all.
 * Invariants of this wrapper: the daemon only ever gets an argument vector built from validated
 * fields; a mount handle exists only once the mount is in /proc/self/mountinfo; unmounting is
 * idempotent and also clears dead mounts (daemon killed), lazily.
 */
export { mountEfsFuse } from "./mount.js";
export { isEfsFuseMounted, unmountEfsFuse } from "./unmount.js";
export { findEfsFuseBinary, isFuseAvailable, EFS_FUSE_BINARY_ENV } from "./binary.js";
export { EfsFuseOptionError } from "./args.js";
export { readIoCounters } from "./stats.js";
export type { MountEfsFuseOptions, EfsFuseMount, IoCounters } from "./types.js";
