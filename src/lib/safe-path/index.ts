/**
 * safe-path: the one way user-influenced paths touch the disk or a mount.
 *
 * Model: a trusted root directory (a volume, a file system's data dir, an image rootfs) and a relative path from
 * user input. The path is first pattern-checked (validateRelativePath: relative, no "..", ".", empty components or
 * NUL), then opened one component at a time through /proc/self/fd/<dirfd>/<name> with O_NOFOLLOW, so:
 *   - no symlink is ever followed below the root, not even one swapped in while we walk (the walk fails instead);
 *   - what callers act on is an fd, never a re-walked path string; the opened object is re-checked to lie beneath
 *     the root;
 *   - destructive operations (removeTreeBeneath) never leave the root, never follow links and never cross a mount;
 *   - mounts of user paths bind the opened fd itself (mount --no-canonicalize) and verify dev+inode afterwards.
 * Every refusal is a SafePathError with a closed `code`. The root path itself is the caller's and is trusted.
 * Synchronous calls are bounded by the path depth; the tree walk and the mount calls are asynchronous.
 */
export { SafePathError, isSafePathError, type SafePathErrorCode } from "./errors.js";
export { validateRelativePath, validateName, NAME_MAX, PATH_MAX } from "./validate.js";
export { O_PATH, fdPath, fdPathForChild, childPath, isPathWithin } from "./fd-path.js";
export {
  openBeneath,
  mkdirBeneath,
  openParentBeneath,
  withBeneath,
  resolveBeneath,
  lstatBeneath,
  type BeneathHandle,
  type OpenBeneathOptions,
  type Ownership,
} from "./open-beneath.js";
export { removeTreeBeneath, type RemoveTreeOptions } from "./remove-tree.js";
export { bindMountFd, unmount, type BindMountOptions, type UnmountOptions } from "./bind-mount.js";
export { isMountPoint, isMountPointPath, mountsAtOrBelow, parseMountInfo, readMountInfo, type MountInfo } from "./mountinfo.js";
