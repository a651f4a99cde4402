/**
 * Runtime errors: one class with a closed `code`. `kubeReason` is the waiting/terminated reason the node agent
 * should put in the pod status, so the agent never parses messages.
 */

export type RuntimeErrorCode =
  | "ImageNotFound" // no local image by that name (agent: ErrImagePull, then ImagePullBackOff)
  | "InvalidImageName" // the reference does not parse (agent: InvalidImageName)
  | "ImageRefused" // the image is malformed or unsafe (symlinked /dev, entries escaping the rootfs...)
  | "InvalidSpec" // the container spec cannot be run as given (agent: CreateContainerConfigError)
  | "SubPathRefused" // a volume subPath is unsafe (agent: CreateContainerConfigError, message mentions subPath)
  | "ContainerNotFound"
  | "RuncFailed" // runc refused to create/start the container (agent: RunContainerError / StartError)
  | "ShimMissing" // the native helper is not built (npm run build)
  | "NotRunning"; // exec/kill on a container that is not running

const kubeReasons: Record<RuntimeErrorCode, string> = {
  ImageNotFound: "ErrImagePull",
  InvalidImageName: "InvalidImageName",
  ImageRefused: "ErrImagePull",
  InvalidSpec: "CreateContainerConfigError",
  SubPathRefused: "CreateContainerConfigError",
  ContainerNotFound: "ContainerNotFound",
  RuncFailed: "RunContainerError",
  ShimMissing: "RunContainerError",
  NotRunning: "ContainerNotRunning",
};

export class RuntimeError extends Error {
  readonly code: RuntimeErrorCode;
  constructor(code: RuntimeErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "RuntimeError";
    this.code = code;
  }
  /** The reason string Kubernetes shows for this failure (container state waiting.reason). */
  get kubeReason(): string {
    return kubeReasons[this.code];
  }
}

export function isRuntimeError(e: unknown, code?: RuntimeErrorCode): e is RuntimeError {
  return e instanceof RuntimeError && (code === undefined || e.code === code);
}
