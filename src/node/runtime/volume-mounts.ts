/**
 * Volume mounts, done the way the kubelet fixed subPath (CVE-2017-1002101, CVE-2021-25741): the volume path (and the
 * user's subPath below it) is opened with safe-path — no symlink followed anywhere — and the opened fd is bind-mounted
 * onto a runtime-owned target under <container>/mounts/<n>. runc is then given only that target, which no container
 * can swap. Read-only volumes are read-only at this bind already, and again in the container.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { SafePathError, bindMountFd, mkdirBeneath, openBeneath, unmount, type BeneathHandle } from "../../lib/safe-path/index.js";
import { checkContainerPath, type MountSpec } from "./container-spec.js";
import { RuntimeError } from "./errors.js";
import type { OciMount } from "./oci-spec.js";

function openVolume(m: MountSpec): BeneathHandle {
  if (m.subPath === undefined) {
    try {
      // The host path must already be resolved by the agent: any symlink in it is refused.
      return openBeneath("/", m.hostPath.replace(/^\/+/, "").replace(/\/+$/, ""), { pathOnly: true });
    } catch (e) {
      if (e instanceof SafePathError) {
        throw new RuntimeError("InvalidSpec", `volume path ${m.hostPath} for ${m.containerPath}: ${e.message}`, { cause: e });
      }
      throw e;
    }
  }
  try {
    try {
      return openBeneath(m.hostPath, m.subPath, { pathOnly: true });
    } catch (e) {
      // Like the kubelet, a missing subPath is created as a directory (with a mkdir chain that never follows links).
      if (!(e instanceof SafePathError && e.code === "NotFound")) throw e;
      mkdirBeneath(m.hostPath, m.subPath, { mode: 0o755, uid: 0, gid: 0 }).close();
      return openBeneath(m.hostPath, m.subPath, { pathOnly: true });
    }
  } catch (e) {
    if (e instanceof SafePathError) {
      throw new RuntimeError("SubPathRefused", `subPath ${JSON.stringify(m.subPath)} of the volume mounted at ${m.containerPath}: ${e.message}`, { cause: e });
    }
    throw e;
  }
}

/** Bind every volume onto <containerDir>/mounts/<n> and return the OCI mounts for runc. Undone by unbindVolumes. */
export async function bindVolumes(containerDir: string, mounts: MountSpec[]): Promise<OciMount[]> {
  const out: OciMount[] = [];
  if (mounts.length > 0) fs.mkdirSync(path.join(containerDir, "mounts"), { recursive: true, mode: 0o700 });
  for (const [i, m] of mounts.entries()) {
    const destination = checkContainerPath(m.containerPath, "mount path");
    const h = openVolume(m);
    try {
      const target = path.join(containerDir, "mounts", String(i));
      if (h.stat.isDirectory()) fs.mkdirSync(target, { mode: 0o700 });
      else fs.writeFileSync(target, "", { mode: 0o600 });
      await bindMountFd(h.fd, target, { readOnly: !!m.readOnly });
      out.push({ destination, type: "bind", source: target, options: ["rbind", "rprivate", m.readOnly ? "ro" : "rw"] });
    } finally {
      h.close();
    }
  }
  return out;
}

export async function unbindVolumes(containerDir: string): Promise<void> {
  const dir = path.join(containerDir, "mounts");
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const n of names) await unmount(path.join(dir, n));
}
