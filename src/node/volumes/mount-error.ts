/**
 * A volume that could not be made ready for a pod. `reason` is the event reason the kubelet uses
 * (FailedMount, FailedAttachVolume); `message` the detail that goes after the kubelet's prefix.
 */
export type MountErrorReason = "FailedMount" | "FailedAttachVolume";

export class MountError extends Error {
  constructor(
    readonly reason: MountErrorReason,
    message: string,
    /** The volume's name in messages (the PV name for claims, the pod volume name otherwise). */
    readonly volume?: string,
    /** Transient: the claim is not bound yet, another pod holds it… (retried quickly, no back-off growth). */
    readonly waiting = false,
  ) {
    super(message);
    this.name = "MountError";
  }
}
