/**
 * Why a container of a scheduled pod does not run, from its status as the node agent reports it: the waiting
 * reason (ErrImagePull, ImagePullBackOff, InvalidImageName, CreateContainerConfigError, CreateContainerError,
 * RunContainerError, CrashLoopBackOff) and its message, the previous run's exit, and for image failures the
 * node's "Failed to pull image" event, which says more than the back-off message does.
 */
import type { KubeEvent } from "../model/types.js";
import { describeExit, type ContainerStatusView } from "./pod-status-view.js";
import { Fix } from "./fixes.js";
import type { Cause } from "./report.js";

export interface ContainerContext {
  namespace: string;
  pod: string;
  /** The container's image from the pod spec (the status may not carry it yet). */
  image: string;
  /** The pod's Warning events, newest first. */
  warnings: KubeEvent[];
  /** Whether a container that exits is started again (restartPolicy Always, or OnFailure after a failure). */
  restarts: boolean;
}

const logs = (c: ContainerContext, name: string, previous: boolean) => `kubectl logs ${c.pod} -c ${name} -n ${c.namespace}${previous ? " --previous" : ""}`;

function imageCause(s: ContainerStatusView, reason: string, c: ContainerContext): Cause {
  const wanted = c.image || s.image || "";
  const failure = c.warnings.map((e) => /^Failed to pull image "([^"]*)": ([\s\S]*)$/.exec(e.message ?? "")).find((m) => m !== null);
  // The node keeps reporting the last failure until its back-off ends, also after the spec names another image.
  const image = failure?.[1] ?? wanted;
  if (image !== wanted) {
    return { id: "image-changed", message: `container ${s.name}: image "${image}" was not present on the node (${reason}); the pod now names "${wanted}", which the node tries once its back-off ends (up to 5 minutes)`, fixes: [Fix.events(c.namespace, c.pod)] };
  }
  const fixes = [`docker save ${image} -o image.tar   # on a machine that has the image`, `cistern image import ${image} image.tar`, `kubectl set image pod/${c.pod} ${s.name}=busybox -n ${c.namespace}`];
  const detail = failure?.[2];
  if (detail?.includes("install busybox-static")) {
    return { id: "busybox-missing", message: `container ${s.name}: the built-in busybox image needs the host's static busybox, which is missing (${reason}: ${detail})`, fixes: ["apt-get install -y busybox-static"] };
  }
  if (!detail || detail.includes("is not present on this node")) {
    return { id: "image-not-present", message: `container ${s.name}: image "${image}" is not present on the node (${reason}); Cistern does not pull images: import it, or use busybox, which is built in`, fixes };
  }
  return { id: "image-unusable", message: `container ${s.name}: image "${image}" cannot be used (${reason}: ${detail})`, fixes };
}

function configCause(s: ContainerStatusView, reason: string, message: string, c: ContainerContext): Cause {
  const missing = /\b(configmap|secret)s? "([^"]+)" not found/.exec(message);
  const fixes = missing ? [`kubectl get ${missing[1]} ${missing[2]} -n ${c.namespace}`] : [Fix.describe("pod", c.namespace, c.pod)];
  return { id: "container-config", message: `container ${s.name} cannot be created from its spec (${reason}: ${message})`, fixes };
}

/** The cause that keeps this container from running, if any. */
export function containerCause(s: ContainerStatusView, c: ContainerContext): Cause | undefined {
  const waiting = s.state?.waiting;
  const reason = waiting?.reason ?? "";
  const message = waiting?.message ?? "";
  switch (reason) {
    case "ErrImagePull":
    case "ImagePullBackOff":
    case "ErrImageNeverPull":
      return imageCause(s, reason, c);
    case "InvalidImageName":
      return { id: "invalid-image", message: `container ${s.name}: the image name "${c.image || s.image || ""}" does not parse (${message || reason})`, fixes: [`kubectl set image pod/${c.pod} ${s.name}=busybox -n ${c.namespace}`] };
    case "CreateContainerConfigError":
      return configCause(s, reason, message, c);
    case "CreateContainerError":
    case "RunContainerError": {
      const fixes = message.includes("npm run build") ? ["npm run build"] : [Fix.describe("pod", c.namespace, c.pod), Fix.events(c.namespace, c.pod)];
      return { id: "container-start", message: `container ${s.name} could not be started by the runtime (${reason}: ${message || "no message"})`, fixes };
    }
    case "CrashLoopBackOff": {
      const last = s.lastState?.terminated;
      const how = last ? `its last run ended with ${describeExit(last)}` : "it keeps exiting";
      return { id: "crash-loop", message: `container ${s.name} keeps failing: ${how}; restarted ${s.restartCount ?? 0} times, now waiting out a back-off`, fixes: [logs(c, s.name, true), Fix.describe("pod", c.namespace, c.pod)] };
    }
    case "":
    case "ContainerCreating":
    case "PodInitializing":
      break;
    default:
      return { id: "container-waiting", message: `container ${s.name} is waiting: ${reason}${message ? `: ${message}` : ""}`, fixes: [Fix.describe("pod", c.namespace, c.pod)] };
  }
  const ended = s.state?.terminated;
  if (ended && !c.restarts && ((ended.exitCode ?? 0) !== 0 || ended.signal)) {
    return { id: "container-failed", message: `container ${s.name} failed: ${describeExit(ended)}${ended.message ? ` (${ended.message})` : ""}; it is not restarted`, fixes: [logs(c, s.name, false)] };
  }
  return undefined;
}
