/**
 * Checks an image rootfs before it is installed and before every container start: /dev, /proc and /sys must be
 * real directories. runc before 1.3.6 follows an image's symlinked /dev while it sets up the container and can be
 * made to create or delete files in host directories (CVE-2026-41579), so such images are refused outright.
 */
import { lstatBeneath, mkdirBeneath } from "../../lib/safe-path/index.js";
import { RuntimeError } from "./errors.js";

export const RUNTIME_MOUNT_DIRS = ["dev", "proc", "sys"] as const;

/** Throws ImageRefused if a mount directory is a symlink or not a directory; creates missing ones when `fix`. */
export function checkRootfs(rootfs: string, fix = false): void {
  for (const d of RUNTIME_MOUNT_DIRS) {
    const st = lstatBeneath(rootfs, d);
    if (!st) {
      if (fix) mkdirBeneath(rootfs, d, { mode: 0o755, uid: 0, gid: 0 }).close();
      continue;
    }
    if (st.isSymbolicLink()) {
      throw new RuntimeError("ImageRefused", `image /${d} is a symbolic link; refused (runc CVE-2026-41579 class of attack)`);
    }
    if (!st.isDirectory()) throw new RuntimeError("ImageRefused", `image /${d} is not a directory`);
  }
}
