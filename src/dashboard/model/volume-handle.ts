/**
 * Where an EFS-backed PersistentVolume keeps its data, read from its CSI volume handle
 * (fs-ID, fs-ID:SUBPATH, fs-ID::fsap-ID or fs-ID:SUBPATH:fsap-ID, optionally prefixed "efs:"),
 * as the EFS CSI driver parses it. Only for drawing: a handle the driver would refuse yields
 * undefined, and the dashboard then draws the volume without a storage edge.
 */
import type { PersistentVolume } from "./kube-types.js";

export const EFS_CSI_DRIVER = "efs.csi.aws.com";

const FS_ID = /^fs-[0-9a-f]{8,40}$/;
const AP_ID = /^fsap-[0-9a-f]{8,40}$/;

export interface EfsLocation {
  fileSystemId: string;
  accessPointId?: string;
  /** "/" or "/a/b", below the access point's root when there is one. */
  subPath: string;
}

export function parseEfsHandle(handle: string): EfsLocation | undefined {
  const rest = handle.startsWith("efs:") ? handle.slice(4) : handle;
  const fields = rest.split(":");
  if (fields.length > 3) return undefined;
  const [fsId, sub = "", apId = ""] = fields;
  if (!FS_ID.test(fsId)) return undefined;
  if (apId !== "" && !AP_ID.test(apId)) return undefined;
  const parts = sub.split("/").filter((p) => p !== "" && p !== ".");
  if (parts.includes("..")) return undefined;
  const subPath = "/" + parts.join("/");
  return apId ? { fileSystemId: fsId, accessPointId: apId, subPath } : { fileSystemId: fsId, subPath };
}

/** The EFS location of a PV served by the EFS CSI driver; undefined for any other volume. */
export function efsLocationOf(pv: PersistentVolume): EfsLocation | undefined {
  const csi = pv.spec?.csi;
  if (!csi || csi.driver !== EFS_CSI_DRIVER || typeof csi.volumeHandle !== "string") return undefined;
  return parseEfsHandle(csi.volumeHandle);
}
