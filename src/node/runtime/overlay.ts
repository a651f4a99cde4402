/**
 * Per-container root filesystems: overlayfs with the image rootfs as the read-only lower layer and the container's
 * own upper/ and work/, mounted at bundle/rootfs. Containers therefore never modify the image, and each container's
 * changes disappear with it. The mount is made private so nothing propagates from or to it.
 */
import * as path from "node:path";
import { isMountPoint, unmount } from "../../lib/safe-path/index.js";
import { defaultSpawner } from "../../lib/spawner/index.js";
import { RuntimeError } from "./errors.js";

/** overlayfs options are comma-separated and lowerdir uses ":"; the runtime's paths must not contain either. */
export function checkOverlayPath(p: string): void {
  if (/[,:\\\s]/.test(p)) throw new RuntimeError("InvalidSpec", `runtime path ${JSON.stringify(p)} cannot be used with overlayfs (no , : \\ or spaces)`);
}

export async function mountOverlay(lower: string, containerDir: string): Promise<string> {
  const upper = path.join(containerDir, "upper");
  const work = path.join(containerDir, "work");
  const target = path.join(containerDir, "bundle", "rootfs");
  for (const p of [lower, upper, work, target]) checkOverlayPath(p);
  if (isMountPoint(target)) return target; // already mounted: repeat calls are harmless
  try {
    await defaultSpawner().mount(target, [
      { op: "new", fstype: "overlay", source: "overlay", flags: [], data: `lowerdir=${lower},upperdir=${upper},workdir=${work}` },
      { op: "make-private" },
    ]);
  } catch (e) {
    await unmount(target).catch(() => undefined);
    throw new RuntimeError("RuncFailed", `overlay mount for ${target} failed: ${(e as Error).message}`, { cause: e });
  }
  return target;
}

export async function unmountOverlay(containerDir: string): Promise<void> {
  await unmount(path.join(containerDir, "bundle", "rootfs"));
}
