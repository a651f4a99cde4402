/**
 * emptyDir: a directory under the pod (0777, as the kubelet makes it), or a tmpfs there for medium Memory
 * (sized by sizeLimit when set). With a pod fsGroup the directory is group-owned by it and setgid, so files
 * created inside inherit the group — applied when the directory is created, as fsGroupChangePolicy OnRootMismatch
 * would. Removed with the pod directory; a tmpfs is unmounted first.
 */
import * as fs from "node:fs";
import type { EmptyDirVolumeSource } from "../../api/index.js";
import { Quantity } from "../../lib/quantity.js";
import { isMountPoint, unmount } from "../../lib/safe-path/index.js";
import { defaultSpawner } from "../../lib/spawner/index.js";
import { MountError } from "./mount-error.js";

export async function setUpEmptyDir(dir: string, src: EmptyDirVolumeSource, fsGroup: number | undefined, volName: string): Promise<void> {
  let fresh = !fs.existsSync(dir);
  if (fresh) fs.mkdirSync(dir, { recursive: true, mode: 0o777 });
  if (src.medium === "Memory" && !isMountPoint(dir)) {
    const data = ["mode=0777"];
    if (src.sizeLimit) {
      const q = Quantity.tryParse(src.sizeLimit);
      if (!q || q.sign() <= 0) throw new MountError("FailedMount", `invalid sizeLimit ${JSON.stringify(src.sizeLimit)}`, volName);
      data.push(`size=${q.toBytesCeil()}`);
    }
    try {
      await defaultSpawner().mount(dir, [{ op: "new", fstype: "tmpfs", source: "tmpfs", flags: ["nosuid", "nodev"], data: data.join(",") }, { op: "make-private" }]);
      fresh = true;
    } catch (e) {
      await unmount(dir).catch(() => undefined);
      throw new MountError("FailedMount", `mount of tmpfs failed: ${(e as Error).message}`, volName);
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
