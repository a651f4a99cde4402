/** Locating the compiled daemon and checking that this machine can run FUSE at all. */
import { accessSync, constants, existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const EFS_FUSE_BINARY_ENV = "CISTERN_EFS_FUSE_BIN";

/** The project root: the nearest ancestor holding package.json (works from src/ and from dist/). */
function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "native"))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error("efs-fuse: cannot find the Cistern project root");
    dir = up;
  }
}

/** Where `npm run build` puts the daemon. */
export function efsFuseBuildPath(): string {
  return join(projectRoot(), "dist", "native", "efs-fuse");
}

/**
 * Absolute path of the efs-fuse daemon: $CISTERN_EFS_FUSE_BIN, else dist/native/efs-fuse.
 * Throws with instructions when it was not built (libfuse3 headers missing at build time).
 */
export function findEfsFuseBinary(): string {
  const candidate = process.env[EFS_FUSE_BINARY_ENV] || efsFuseBuildPath();
  try {
    accessSync(candidate, constants.X_OK);
    return candidate;
  } catch {
    throw new Error(
      `efs-fuse daemon not found at ${candidate}: build it with "npm run build" ` +
        `(node scripts/build-native.mjs), which needs the Debian packages libfuse3-dev and fuse3 ` +
        `(apt-get install -y libfuse3-dev fuse3)`,
    );
  }
}

/** True when the kernel has FUSE and /dev/fuse can be opened for reading and writing. */
export function isFuseAvailable(): boolean {
  try {
    const filesystems = readFileSync("/proc/filesystems", "utf8");
    if (!/\tfuse$/m.test(filesystems)) return false;
    accessSync("/dev/fuse", constants.R_OK | constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
