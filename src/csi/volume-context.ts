/**
 * PV volumeAttributes (CSI volume_context) the node side accepts, as upstream: a closed set of keys
 * (case-insensitive), each value checked; any other key is InvalidArgument "Volume context property
 * X not supported". The pod-info keys kubelet adds when the CSIDriver asks for podInfoOnMount are
 * accepted too. Cross-account keys are recognised and validated, but Cistern has one account, so
 * they change nothing.
 */
import { isIP } from "node:net";
import { csiError } from "./spec.js";

export interface VolumeContextOptions {
  /** encryptInTransit (default true): false drops tls. */
  encryptInTransit: boolean;
  mountTargetIp?: string;
}

const BOOL = /^(true|false)$/i;
const POD_INFO = new Set([
  "csi.storage.k8s.io/pod.name",
  "csi.storage.k8s.io/pod.namespace",
  "csi.storage.k8s.io/pod.uid",
  "csi.storage.k8s.io/serviceaccount.name",
  "csi.storage.k8s.io/ephemeral",
]);

function checkIpMap(v: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(v);
  } catch {
    throw csiError("InvalidArgument", "Volume context property mounttargetipmap must be a JSON object of availability zone to IP address");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw csiError("InvalidArgument", "Volume context property mounttargetipmap must be a JSON object of availability zone to IP address");
  }
  for (const [az, ip] of Object.entries(parsed)) {
    if (!/^[a-z0-9-]{1,32}$/.test(az) || typeof ip !== "string" || isIP(ip) === 0) {
      throw csiError("InvalidArgument", `Volume context property mounttargetipmap has an invalid entry for ${JSON.stringify(az)}`);
    }
  }
}

export function parseVolumeContext(ctx: Record<string, string> | undefined): VolumeContextOptions {
  const out: VolumeContextOptions = { encryptInTransit: true };
  for (const [rawKey, value] of Object.entries(ctx ?? {})) {
    const key = rawKey.toLowerCase();
    if (typeof value !== "string") throw csiError("InvalidArgument", `Volume context property ${rawKey} must be a string`);
    switch (key) {
      case "encryptintransit":
        if (!BOOL.test(value)) throw csiError("InvalidArgument", `Volume context property ${rawKey} must be "true" or "false", got ${JSON.stringify(value)}`);
        out.encryptInTransit = value.toLowerCase() === "true";
        break;
      case "mounttargetip":
        if (isIP(value) === 0) throw csiError("InvalidArgument", `Volume context property ${rawKey} must be an IP address, got ${JSON.stringify(value)}`);
        out.mountTargetIp = value;
        break;
      case "mounttargetipmap":
        checkIpMap(value);
        break;
      case "crossaccount":
        if (!BOOL.test(value)) throw csiError("InvalidArgument", `Volume context property ${rawKey} must be "true" or "false"`);
        break;
      case "storage.kubernetes.io/csiprovisioneridentity":
        break;
      default:
        if (!POD_INFO.has(key)) throw csiError("InvalidArgument", `Volume context property ${rawKey} not supported`);
    }
  }
  return out;
}
