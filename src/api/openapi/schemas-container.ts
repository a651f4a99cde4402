/** Container schemas: Container, ports, env, mounts, probes, security context. */
import type { SchemaRegistry } from "../types.js";
import { arrOf, atomic, atomicStruct, bool, enumStr, int32, int64, mergeByKey, obj, opaque, ref, str, strings } from "./dsl.js";
import { CORE } from "./schemas-core-common.js";

const INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";

/** Fields of Container (shared with EphemeralContainer). */
export function containerFields(): Record<string, ReturnType<typeof str>> {
  return {
    args: strings("Arguments to the entrypoint; $(VAR) references are expanded.", atomic),
    command: strings("Entrypoint array; the image's ENTRYPOINT when unset.", atomic),
    env: arrOf(CORE + "EnvVar", "Environment variables.", mergeByKey(["name"])),
    envFrom: arrOf(CORE + "EnvFromSource", "Sources of environment variables.", atomic),
    image: str("Container image reference."),
    imagePullPolicy: enumStr("Always, Never or IfNotPresent (default: Always for :latest, else IfNotPresent).", ["Always", "IfNotPresent", "Never"]),
    lifecycle: ref(CORE + "Lifecycle", "Hooks run after start and before stop."),
    livenessProbe: ref(CORE + "Probe", "Restart the container when this probe fails."),
    name: str("Container name, a DNS label unique in the pod.", { default: "" }),
    ports: arrOf(CORE + "ContainerPort", "Ports the container exposes (informational).", mergeByKey(["containerPort", "protocol"])),
    readinessProbe: ref(CORE + "Probe", "Remove the pod from service endpoints while this probe fails."),
    resizePolicy: arrOf(CORE + "ContainerResizePolicy", "How resources may be resized.", atomic),
    resources: ref(CORE + "ResourceRequirements", "Compute resources.", { default: {} }),
    restartPolicy: str("Init containers only: Always makes it a sidecar."),
    securityContext: ref(CORE + "SecurityContext", "Security options of the container."),
    startupProbe: ref(CORE + "Probe", "Other probes wait until this one succeeds."),
    stdin: bool("Allocate a stdin buffer."),
    stdinOnce: bool("Close stdin after the first attach."),
    terminationMessagePath: str("File whose content becomes the termination message (default /dev/termination-log)."),
    terminationMessagePolicy: enumStr("File (default) or FallbackToLogsOnError.", ["FallbackToLogsOnError", "File"]),
    tty: bool("Allocate a TTY."),
    volumeDevices: arrOf(CORE + "VolumeDevice", "Block devices to expose.", mergeByKey(["devicePath"])),
    volumeMounts: arrOf(CORE + "VolumeMount", "Volumes to mount into the container.", mergeByKey(["mountPath"])),
    workingDir: str("Working directory; the image's default when unset."),
  };
}

export const containerSchemas: SchemaRegistry = {
  [CORE + "Container"]: obj("A container of a pod.", containerFields(), ["name"]),
  [CORE + "EphemeralContainer"]: obj(
    "A debugging container added to a running pod.",
    { ...containerFields(), targetContainerName: str("Container whose namespaces this one joins.") },
    ["name"],
  ),
  [CORE + "ContainerPort"]: obj(
    "A port a container listens on.",
    {
      containerPort: int32("Port number in the pod's network namespace.", { default: 0 }),
      hostIP: str("Host IP to bind the host port to."),
      hostPort: int32("Port number on the host."),
      name: str("IANA service name of the port."),
      protocol: enumStr("TCP (default), UDP or SCTP.", ["SCTP", "TCP", "UDP"], { default: "TCP" }),
    },
    ["containerPort"],
  ),
  [CORE + "EnvVar"]: obj(
    "An environment variable.",
    {
      name: str("Variable name.", { default: "" }),
      value: str("Value; $(VAR) references are expanded."),
      valueFrom: ref(CORE + "EnvVarSource", "Source of the value, instead of value."),
    },
    ["name"],
  ),
  [CORE + "EnvVarSource"]: obj("Where an environment variable's value comes from.", {
    configMapKeyRef: ref(CORE + "ConfigMapKeySelector", "A key of a ConfigMap."),
    fieldRef: ref(CORE + "ObjectFieldSelector", "A field of the pod."),
    resourceFieldRef: ref(CORE + "ResourceFieldSelector", "A resource of the container."),
    secretKeyRef: ref(CORE + "SecretKeySelector", "A key of a Secret."),
  }),
  [CORE + "ConfigMapKeySelector"]: obj(
    "A key of a ConfigMap.",
    { key: str("The key.", { default: "" }), name: str("ConfigMap name.", { default: "" }), optional: bool("Tolerate a missing ConfigMap or key.") },
    ["key"],
    atomicStruct,
  ),
  [CORE + "SecretKeySelector"]: obj(
    "A key of a Secret.",
    { key: str("The key.", { default: "" }), name: str("Secret name.", { default: "" }), optional: bool("Tolerate a missing Secret or key.") },
    ["key"],
    atomicStruct,
  ),
  [CORE + "EnvFromSource"]: obj("A set of environment variables from a ConfigMap or Secret.", {
    configMapRef: ref(CORE + "ConfigMapEnvSource", "The ConfigMap."),
    prefix: str("Prefix added to every variable name."),
    secretRef: ref(CORE + "SecretEnvSource", "The Secret."),
  }),
  [CORE + "ConfigMapEnvSource"]: obj("A ConfigMap's keys as variables.", { name: str("ConfigMap name.", { default: "" }), optional: bool("Tolerate a missing ConfigMap.") }),
  [CORE + "SecretEnvSource"]: obj("A Secret's keys as variables.", { name: str("Secret name.", { default: "" }), optional: bool("Tolerate a missing Secret.") }),
  [CORE + "VolumeMount"]: obj(
    "A volume mounted into a container.",
    {
      mountPath: str("Path inside the container; must not contain ':'.", { default: "" }),
      mountPropagation: enumStr("None (default), HostToContainer or Bidirectional.", ["Bidirectional", "HostToContainer", "None"]),
      name: str("Name of a pod volume.", { default: "" }),
      readOnly: bool("Mount read-only."),
      recursiveReadOnly: str("Disabled, IfPossible or Enabled (with readOnly)."),
      subPath: str("Path within the volume to mount instead of its root; relative, without '..'."),
      subPathExpr: str("Like subPath, with $(VAR) expansion."),
    },
    ["name", "mountPath"],
  ),
  [CORE + "VolumeDevice"]: obj(
    "A raw block volume exposed as a device.",
    { devicePath: str("Device path inside the container.", { default: "" }), name: str("Name of a pod volume (a Block claim).", { default: "" }) },
    ["name", "devicePath"],
  ),
  [CORE + "Probe"]: obj("A health check of a container.", {
    exec: ref(CORE + "ExecAction", "Run a command; exit 0 is success."),
    failureThreshold: int32("Consecutive failures before failing (default 3)."),
    grpc: ref(CORE + "GRPCAction", "Call the gRPC health service."),
    httpGet: ref(CORE + "HTTPGetAction", "Send an HTTP GET; 2xx/3xx is success."),
    initialDelaySeconds: int32("Seconds after start before the first probe."),
    periodSeconds: int32("Seconds between probes (default 10)."),
    successThreshold: int32("Consecutive successes to pass (default 1)."),
    tcpSocket: ref(CORE + "TCPSocketAction", "Open a TCP connection."),
    terminationGracePeriodSeconds: int64("Grace period when the probe kills the container."),
    timeoutSeconds: int32("Seconds before a probe times out (default 1)."),
  }),
  [CORE + "ExecAction"]: obj("A command run in the container.", { command: strings("The command line, not run in a shell.", atomic) }),
  [CORE + "HTTPGetAction"]: obj(
    "An HTTP GET request.",
    {
      host: str("Host name; the pod IP by default."),
      httpHeaders: arrOf(CORE + "HTTPHeader", "Extra headers.", atomic),
      path: str("Request path."),
      port: ref(INT_OR_STRING, "Port number or name."),
      scheme: enumStr("HTTP (default) or HTTPS.", ["HTTP", "HTTPS"]),
    },
    ["port"],
  ),
  [CORE + "HTTPHeader"]: obj("An HTTP header.", { name: str("Header name.", { default: "" }), value: str("Header value.", { default: "" }) }, ["name", "value"]),
  [CORE + "TCPSocketAction"]: obj("A TCP connection attempt.", { host: str("Host; the pod IP by default."), port: ref(INT_OR_STRING, "Port number or name.") }, ["port"]),
  [CORE + "GRPCAction"]: obj("A gRPC health check.", { port: int32("Port number.", { default: 0 }), service: str("Service name for the health request.", { default: "" }) }, ["port"]),
  [CORE + "Lifecycle"]: obj("Container lifecycle hooks.", {
    postStart: ref(CORE + "LifecycleHandler", "Run right after the container starts."),
    preStop: ref(CORE + "LifecycleHandler", "Run before the container is stopped."),
    stopSignal: str("Signal used to stop the container."),
  }),
  [CORE + "LifecycleHandler"]: obj("One lifecycle hook action.", {
    exec: ref(CORE + "ExecAction", "Run a command."),
    httpGet: ref(CORE + "HTTPGetAction", "Send an HTTP GET."),
    sleep: { type: "object", description: "Sleep for a number of seconds.", properties: { seconds: int64("Seconds to sleep.", { default: 0 }) }, required: ["seconds"] },
    tcpSocket: ref(CORE + "TCPSocketAction", "Deprecated TCP check."),
  }),
  [CORE + "ContainerResizePolicy"]: obj(
    "Whether resizing a resource restarts the container.",
    { resourceName: str("cpu or memory.", { default: "" }), restartPolicy: str("NotRequired or RestartContainer.", { default: "" }) },
    ["resourceName", "restartPolicy"],
  ),
  [CORE + "Capabilities"]: obj("Linux capabilities to add and drop.", { add: strings("Capabilities to add.", atomic), drop: strings("Capabilities to drop.", atomic) }),
  [CORE + "SecurityContext"]: obj(
    "Security options of a container.",
    {
      appArmorProfile: opaque("AppArmor profile (not enforced by Cistern)."),
      procMount: str("Default or Unmasked /proc mount."),
      seLinuxOptions: opaque("SELinux labels (not enforced by Cistern)."),
      seccompProfile: opaque("Seccomp profile (not enforced by Cistern)."),
      windowsOptions: opaque("Windows-specific options (unused on Linux)."),
      allowPrivilegeEscalation: bool("Whether a process may gain more privileges than its parent."),
      capabilities: ref(CORE + "Capabilities", "Capabilities to add and drop."),
      privileged: bool("Run as privileged."),
      readOnlyRootFilesystem: bool("Mount the root filesystem read-only."),
      runAsGroup: int64("GID of the entrypoint process."),
      runAsNonRoot: bool("Refuse to start as UID 0."),
      runAsUser: int64("UID of the entrypoint process."),
    },
  ),
};
