/**
 * What the node agent asks the runtime to run, and its validation. Everything here may come from a pod spec
 * written by a user, so every string that reaches argv, a path or the OCI config is checked; failures are
 * RuntimeError("InvalidSpec") or, for volume sub-paths, RuntimeError("SubPathRefused").
 */
import { SafePathError, validateRelativePath } from "../../lib/safe-path/index.js";
import { RuntimeError } from "./errors.js";

export interface PodRef {
  uid: string;
  name: string;
  namespace: string;
}

/**
 * A volume mount. `hostPath` is the agent's already-resolved (symlink-free) host directory or file for the volume;
 * `subPath`, when given, is the user's path below it and is opened with safe-path (no symlink is ever followed).
 */
export interface MountSpec {
  containerPath: string;
  hostPath: string;
  subPath?: string;
  readOnly?: boolean;
}

export interface SecurityContext {
  runAsUser?: number;
  runAsGroup?: number;
  runAsNonRoot?: boolean;
  /** Pod-level: added to the supplementary groups (the agent owns chown-ing volumes). */
  fsGroup?: number;
  supplementalGroups?: number[];
  readOnlyRootFilesystem?: boolean;
  allowPrivilegeEscalation?: boolean;
  capabilities?: { add?: string[]; drop?: string[] };
  /** Not supported: privileged containers are refused. */
  privileged?: boolean;
}

export interface ContainerSpec {
  pod: PodRef;
  /** Container name in the pod (DNS label). */
  name: string;
  /** Restart count; logs of the previous attempt are read with { previous: true }. */
  attempt?: number;
  image: string;
  command?: string[];
  args?: string[];
  env?: { name: string; value: string }[];
  workingDir?: string;
  securityContext?: SecurityContext;
  mounts?: MountSpec[];
  labels?: Record<string, string>;
  resources?: { memoryLimitBytes?: number; cpuMillis?: number };
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const POD_UID = /^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/;
const ENV_NAME = /^[^=\0]+$/;

function invalid(msg: string): RuntimeError {
  return new RuntimeError("InvalidSpec", msg);
}

function noNul(values: string[] | undefined, what: string): void {
  for (const v of values ?? []) if (typeof v !== "string" || v.includes("\0")) throw invalid(`${what} must be strings without NUL bytes`);
}

function id32(n: unknown, what: string): void {
  if (n === undefined) return;
  if (!Number.isInteger(n) || (n as number) < 0 || (n as number) > 0xfffffffe) throw invalid(`${what} must be an integer 0..4294967294`);
}

/** An absolute container path with plain components; returns it normalised (no trailing slash). */
export function checkContainerPath(p: string, what: string): string {
  if (typeof p !== "string" || !p.startsWith("/")) throw invalid(`${what} ${JSON.stringify(p)} must be an absolute path`);
  const rel = p.replace(/^\/+/, "").replace(/\/+$/, "");
  try {
    validateRelativePath(rel);
  } catch (e) {
    throw invalid(`${what} ${JSON.stringify(p)}: ${(e as Error).message}`);
  }
  return "/" + rel;
}

/** The hostname a pod's containers get: the pod name cut to a DNS label, as the kubelet does. */
export function podHostname(pod: PodRef): string {
  return pod.name.slice(0, 63).replace(/[-.]+$/, "");
}

/** The pod's uid, name and namespace reach paths, ids and the hostname: pattern-checked here. */
export function validatePodRef(pod: PodRef | undefined): void {
  if (!pod || typeof pod !== "object" || !POD_UID.test(pod.uid ?? "")) throw invalid(`pod uid ${JSON.stringify(pod?.uid)} is not valid`);
  if (!DNS_SUBDOMAIN.test(pod.name ?? "")) throw invalid(`pod name ${JSON.stringify(pod.name)} is not a DNS subdomain`);
  if (!DNS_LABEL.test(pod.namespace ?? "")) throw invalid(`namespace ${JSON.stringify(pod.namespace)} is not a DNS label`);
}

export function validateContainerSpec(spec: ContainerSpec): void {
  if (!spec || typeof spec !== "object") throw invalid("container spec missing");
  validatePodRef(spec.pod);
  if (!DNS_LABEL.test(spec.name ?? "")) throw invalid(`container name ${JSON.stringify(spec.name)} is not a DNS label`);
  if (spec.attempt !== undefined && (!Number.isInteger(spec.attempt) || spec.attempt < 0)) throw invalid("attempt must be a non-negative integer");
  if (typeof spec.image !== "string" || !spec.image) throw invalid("image is required");
  noNul(spec.command, "command");
  noNul(spec.args, "args");
  for (const e of spec.env ?? []) {
    if (!ENV_NAME.test(e?.name ?? "")) throw invalid(`environment variable name ${JSON.stringify(e?.name)} is not valid`);
    noNul([e.value ?? ""], `env ${e.name}`);
  }
  if (spec.workingDir) {
    const wd = checkContainerPath(spec.workingDir, "workingDir");
    if (wd === "/proc" || wd.startsWith("/proc/")) throw invalid("workingDir must not be under /proc"); // CVE-2024-21626 shape
  }
  const sc = spec.securityContext ?? {};
  if (sc.privileged) throw invalid("privileged containers are not supported by this runtime");
  id32(sc.runAsUser, "runAsUser");
  id32(sc.runAsGroup, "runAsGroup");
  id32(sc.fsGroup, "fsGroup");
  for (const g of sc.supplementalGroups ?? []) id32(g, "supplementalGroups");
  const seen = new Set<string>();
  for (const m of spec.mounts ?? []) {
    const dest = checkContainerPath(m?.containerPath, "mount path");
    if (dest === "/") throw invalid("cannot mount a volume over /");
    if (seen.has(dest)) throw invalid(`two volumes mounted at ${dest}`);
    seen.add(dest);
    if (typeof m.hostPath !== "string" || !m.hostPath.startsWith("/") || m.hostPath.includes("\0")) {
      throw invalid(`volume host path for ${dest} must be absolute`);
    }
    if (m.subPath !== undefined) {
      try {
        validateRelativePath(m.subPath);
      } catch (e) {
        const why = e instanceof SafePathError ? e.message : String(e);
        throw new RuntimeError("SubPathRefused", `subPath ${JSON.stringify(m.subPath)} for ${dest} is invalid: ${why}`);
      }
    }
  }
  const r = spec.resources ?? {};
  if (r.memoryLimitBytes !== undefined && (!Number.isSafeInteger(r.memoryLimitBytes) || r.memoryLimitBytes < 4 << 20)) {
    throw invalid("memory limit must be an integer of at least 4 MiB");
  }
  if (r.cpuMillis !== undefined && (!Number.isInteger(r.cpuMillis) || r.cpuMillis < 1)) throw invalid("cpu limit must be a positive integer of millicores");
}
