/** What the runtime keeps about an image: its rootfs on disk and the parts of the image config that matter. */

export interface ImageConfig {
  entrypoint: string[];
  cmd: string[];
  /** "KEY=value" entries, in image order. */
  env: string[];
  workingDir: string;
  /** "uid", "uid:gid", "name" or "name:group" as in the image config; resolved against the rootfs at run time. */
  user: string;
}

export interface ImageInfo {
  id: string;
  /** Canonical references that resolve to this image ("docker.io/library/busybox:latest", ...). */
  names: string[];
  /** Read-only lower layer for containers; never modified after the image is installed. */
  rootfs: string;
  config: ImageConfig;
  createdAt: string;
  /** "busybox" for the image built from the host's busybox binary. */
  builtin?: "busybox";
}

export interface ImageProgress {
  phase: "build" | "import" | "layer" | "done";
  message: string;
  done?: number;
  total?: number;
}

export type ProgressFn = (p: ImageProgress) => void;

export const DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
