/**
 * Why a scheduled pod's volumes are not set up, from the node agent's newest FailedMount / FailedAttachVolume
 * event (the pod status only says ContainerCreating). The messages are the node agent's and the EFS CSI
 * driver's own (src/node/volumes, src/csi), worded as the kubelet words them; each known one maps to the fix
 * docs/troubleshooting.md gives for it, anything else to the generic look-at-it commands.
 */
import { Fix } from "./fixes.js";
import type { Cause } from "./report.js";

export interface MountContext {
  namespace: string;
  pod: string;
  serviceAccount: string;
}

/** Event messages can carry a whole stderr; a cause line keeps the start. */
function shorten(message: string, max = 240): string {
  const one = message.replace(/\s+/g, " ").trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

export function mountCause(reason: string, message: string, c: MountContext): Cause {
  const said = `${reason}: ${shorten(message)}`;
  const claim = /error processing PVC [^/\s]+\/([^:\s]+)/.exec(message)?.[1];
  if (claim) {
    return { id: "claim-not-ready", message: `claim ${claim} is not ready to be mounted (${said})`, fixes: [`cistern explain pvc ${claim} -n ${c.namespace}`] };
  }
  if (message.includes("needs an IAM principal")) {
    return {
      id: "iam-principal",
      message: `the volume is mounted with the iam option, but the pod's service account ${c.serviceAccount} names no IAM role; annotate it, or drop iam from the volume's mountOptions (${said})`,
      fixes: [`kubectl annotate serviceaccount ${c.serviceAccount} -n ${c.namespace} eks.amazonaws.com/role-arn=arn:aws:iam::111122223333:role/ROLE`],
    };
  }
  if (/not authorized to perform: elasticfilesystem:Client/.test(message) || message.includes("PermissionDenied")) {
    const fs = /\bfs-[0-9a-f]{8,40}\b/.exec(message)?.[0] ?? "fs-XXXXXXXX";
    return { id: "efs-permission", message: `the file system policy does not grant the pod's principal access (${said})`, fixes: [`aws efs describe-file-system-policy --file-system-id ${fs}`] };
  }
  if (message.includes("efs-fuse daemon not found")) {
    return { id: "fuse-not-built", message: `the efs-fuse daemon that serves access-point and root-squashed volumes is not built (${said})`, fixes: ["apt-get install -y libfuse3-dev fuse3", "npm run build"] };
  }
  if (/efs-fuse|\bfuse\b/i.test(message)) {
    return {
      id: "fuse-unavailable",
      message: `FUSE is not usable on this machine, and access-point and root-squashed volumes are served through it (${said})`,
      fixes: ["ls -l /dev/fuse", "grep fuse /proc/filesystems", "apt-get install -y fuse3"],
    };
  }
  const missing = /\b(configmap|secret)s? "([^"]+)" not found/.exec(message);
  if (missing) {
    return { id: "object-missing", message: `the pod mounts ${missing[1]} ${missing[2]}, which does not exist (${said})`, fixes: [`kubectl get ${missing[1]} ${missing[2]} -n ${c.namespace}`] };
  }
  return { id: "mount-failed", message: `its volumes could not be set up (${said})`, fixes: [Fix.describe("pod", c.namespace, c.pod), Fix.events(c.namespace, c.pod)] };
}
