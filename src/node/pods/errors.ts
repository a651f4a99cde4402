/**
 * Failures while preparing a container that the kubelet reports as a waiting reason (CreateContainerConfigError:
 * a missing config map, secret or key, an unsupported field reference, a bad subPathExpr).
 */
export class ContainerConfigError extends Error {
  readonly reason = "CreateContainerConfigError";
  constructor(message: string) {
    super(message);
    this.name = "ContainerConfigError";
  }
}
