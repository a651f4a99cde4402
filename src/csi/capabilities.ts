/**
 * Which volume capabilities an EFS volume offers: file system (mount) access only, fsType efs or
 * empty, and every access mode. Upstream refuses the read-only and single-writer modes (users asked
 * for ReadOnlyMany and ReadWriteOncePod for years: #502, #972, #540); EFS can serve all of them —
 * reader-only modes are simply published read-only. RWO is not enforced across nodes, as upstream
 * (the scheduler does that for Kubernetes).
 */
import { parseMountOptions } from "./mount-options.js";
import { csiError, type AccessModeName, type VolumeCapability } from "./spec.js";

const ACCESS_MODES: ReadonlySet<AccessModeName> = new Set([
  "SINGLE_NODE_WRITER",
  "SINGLE_NODE_READER_ONLY",
  "MULTI_NODE_READER_ONLY",
  "MULTI_NODE_SINGLE_WRITER",
  "MULTI_NODE_MULTI_WRITER",
  "SINGLE_NODE_SINGLE_WRITER",
  "SINGLE_NODE_MULTI_WRITER",
]);

const READER_ONLY: ReadonlySet<AccessModeName> = new Set(["SINGLE_NODE_READER_ONLY", "MULTI_NODE_READER_ONLY"]);

/** Why `cap` cannot be offered, or undefined when it can. Mount flags are validated like mountOptions. */
export function capabilityProblem(cap: VolumeCapability | undefined): string | undefined {
  if (!cap || typeof cap !== "object") return "volume capability not provided";
  if (cap.block !== undefined) return "block access is not supported: EFS volumes are file systems";
  if (cap.mount === undefined) return "access type must be mount";
  const fsType = cap.mount.fsType ?? "";
  if (fsType !== "" && fsType !== "efs") return `fsType ${JSON.stringify(fsType)} is not supported (use "efs" or leave it empty)`;
  const mode = cap.accessMode?.mode;
  if (!ACCESS_MODES.has(mode)) return `invalid access mode ${JSON.stringify(mode)}`;
  try {
    parseMountOptions(cap.mount.mountFlags);
  } catch (e) {
    return (e as Error).message;
  }
  return undefined;
}

/** Throw InvalidArgument unless every capability can be offered (CreateVolume, NodePublishVolume). */
export function checkCapabilities(caps: VolumeCapability[] | undefined): void {
  if (!Array.isArray(caps) || caps.length === 0) throw csiError("InvalidArgument", "Volume capabilities not provided");
  for (const cap of caps) {
    const problem = capabilityProblem(cap);
    if (problem) throw csiError("InvalidArgument", `Volume capabilities not supported: ${problem}`);
  }
}

export function isReaderOnly(cap: VolumeCapability): boolean {
  return READER_ONLY.has(cap.accessMode.mode);
}
