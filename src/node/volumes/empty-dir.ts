/**
 * emptyDir: a directory under the pod (0777, as the kubelet makes it), or a tmpfs there for medium Memory
 * (sized by sizeLimit when set). With a pod fsGroup the directory is group-owned by it and setgid, so files
 * created inside inherit the group — applied when the directory is created, as fsGroupChangePolicy OnRootMismatch
 * would. Removed with the pod directory; a tmpfs is unmounted first.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import { promisify } from "node:util";
import type { EmptyDirVolumeSource } from "../../api/index.js";
import { Quantity } from "../../lib/quantity.js";
import { isMountPoint } from "../../lib/safe-path/index.js";
import { MountError } from "./mount-error.js";

const run = promisify(execFile);

export async function setUpEmptyDir(dir: string, src: EmptyDirVolumeSource, fsGroup: number | undefined, volName: string): Promise<void> {
  let fresh = !fs.existsSync(dir);
  if (fresh) fs.mkdirSync(dir, { recursive: true, mode: 0o777 });
  if (src.medium === "Memory" && !isMountPoint(dir)) {
    const opts = ["mode=0777", "nosuid", "nodev"];
    if (src.sizeLimit) {
      const q = Quantity.tryParse(src.sizeLimit);
      if (!q || q.sign() <= 0) throw new MountError("FailedMount", `invalid sizeLimit ${JSON.stringify(src.sizeLimit)}`, volName);
      opts.push(`size=${q.toBytesCeil()}`);
    }
    try {
      await run("mount", ["-t", "tmpfs", "-o", opts.join(","), "tmpfs", dir], { timeout: 30_000 });
      await run("mount", ["--make-private", dir], { timeout: 30_000 });
      fresh = true;
    } catch (e) {
      throw new MountError("FailedMount", `mount of tmpfs failed: ${(e as { stderr?: string }).stderr?.trim() || (e as Error).message}`, volName);
    }
  } else if (src.medium && src.medium !== "Memory") {
    throw new MountError("FailedMount", `emptyDir medium ${JSON.stringify(src.medium)} is not supported`, volName);
  }
  if (fresh) {
    if (fsGroup !== undefined) {
      fs.chownSync(dir, 0, fsGroup);
      fs.chmodSync(dir, 0o2777);
    } else fs.chmodSync(dir, 0o777);
  }
}
