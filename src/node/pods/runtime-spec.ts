/**
 * One pod container → the runtime's ContainerSpec: $(VAR) expansion of command and args against the container's
 * environment, pod-level security settings merged under the container's own (as the kubelet does), volume mounts
 * resolved to the agent's host directories (subPath / subPathExpr handed on for the runtime to open safely),
 * memory and CPU limits, and identifying labels.
 */
import type { Container, Pod } from "../../api/index.js";
import { Quantity } from "../../lib/quantity.js";
import { validateRelativePath } from "../../lib/safe-path/index.js";
import type { ContainerSpec, MountSpec, SecurityContext } from "../runtime/index.js";
import { containerEnv, type EnvContext } from "./env.js";
import { ContainerConfigError } from "./errors.js";
import { expand, mappingFor } from "./expand.js";

/** A mounted pod volume as the containers see it. */
export interface VolumeHost {
  /** Absolute, symlink-free host directory. */
  hostPath: string;
  readOnly: boolean;
  /** Agent-written volumes (config maps, secrets…) translate a subPath through their own ..data links. */
  translateSubPath?(subPath: string): string;
}

export interface BuiltContainer {
  spec: ContainerSpec;
  invalidEnvKeys: string[];
}

export function securityContextFor(pod: Pod, c: Container): SecurityContext {
  const p = pod.spec?.securityContext ?? {};
  const s = c.securityContext ?? {};
  const out: SecurityContext = {};
  const runAsUser = s.runAsUser ?? p.runAsUser;
  const runAsGroup = s.runAsGroup ?? p.runAsGroup;
  const runAsNonRoot = s.runAsNonRoot ?? p.runAsNonRoot;
  if (runAsUser !== undefined) out.runAsUser = runAsUser;
  if (runAsGroup !== undefined) out.runAsGroup = runAsGroup;
  if (runAsNonRoot !== undefined) out.runAsNonRoot = runAsNonRoot;
  if (p.fsGroup !== undefined) out.fsGroup = p.fsGroup;
  if (p.supplementalGroups?.length) out.supplementalGroups = p.supplementalGroups;
  if (s.readOnlyRootFilesystem !== undefined) out.readOnlyRootFilesystem = s.readOnlyRootFilesystem;
  if (s.allowPrivilegeEscalation !== undefined) out.allowPrivilegeEscalation = s.allowPrivilegeEscalation;
  if (s.capabilities) out.capabilities = s.capabilities;
  if (s.privileged) out.privileged = s.privileged;
  return out;
}

function asNumber(q: Quantity): number {
  return Number(q.unscaled) / 10 ** q.scale;
}

export function resourceLimits(c: Container): ContainerSpec["resources"] {
  const limits = c.resources?.limits ?? {};
  const out: NonNullable<ContainerSpec["resources"]> = {};
  const mem = Quantity.tryParse(limits.memory);
  if (mem && mem.sign() > 0) out.memoryLimitBytes = Math.max(4 << 20, Number(mem.toBytesCeil()));
  const cpu = Quantity.tryParse(limits.cpu);
  if (cpu && cpu.sign() > 0) out.cpuMillis = Math.max(1, Math.ceil(asNumber(cpu) * 1000));
  return Object.keys(out).length ? out : undefined;
}

function subPathOf(m: NonNullable<Container["volumeMounts"]>[number], c: Container, vars: Map<string, string>): string | undefined {
  let sub = m.subPath;
  if (m.subPathExpr) {
    sub = expand(m.subPathExpr, mappingFor(vars));
    try {
      validateRelativePath(sub);
    } catch (e) {
      throw new ContainerConfigError(`failed to prepare subPath for volumeMount "${m.name}" of container "${c.name}": subPathExpr ${JSON.stringify(m.subPathExpr)} expands to ${JSON.stringify(sub)}: ${(e as Error).message}`);
    }
  }
  return sub === "" ? undefined : sub;
}

export async function buildContainerSpec(pod: Pod, c: Container, attempt: number, volumes: Map<string, VolumeHost>, ctx: EnvContext): Promise<BuiltContainer> {
  if (!c.image) throw new ContainerConfigError(`container ${c.name} has no image`);
  const { env, invalidKeys } = await containerEnv(c, ctx);
  const vars = new Map(env.map((e) => [e.name, e.value]));
  const mapping = mappingFor(vars);
  const mounts: MountSpec[] = [];
  for (const m of c.volumeMounts ?? []) {
    const vol = volumes.get(m.name);
    if (!vol) throw new ContainerConfigError(`cannot find volume "${m.name}" to mount into container "${c.name}"`);
    let subPath = subPathOf(m, c, vars);
    if (subPath !== undefined && vol.translateSubPath) subPath = vol.translateSubPath(subPath);
    mounts.push({ containerPath: m.mountPath, hostPath: vol.hostPath, ...(subPath !== undefined ? { subPath } : {}), readOnly: !!m.readOnly || vol.readOnly });
  }
  const spec: ContainerSpec = {
    pod: { uid: pod.metadata.uid ?? "", name: pod.metadata.name ?? "", namespace: pod.metadata.namespace ?? "default" },
    name: c.name,
    attempt,
    image: c.image,
    env,
    mounts,
    securityContext: securityContextFor(pod, c),
    labels: {
      "io.kubernetes.pod.name": pod.metadata.name ?? "",
      "io.kubernetes.pod.namespace": pod.metadata.namespace ?? "",
      "io.kubernetes.pod.uid": pod.metadata.uid ?? "",
      "io.kubernetes.container.name": c.name,
    },
  };
  if (c.command?.length) spec.command = c.command.map((a) => expand(a, mapping));
  if (c.args?.length) spec.args = c.args.map((a) => expand(a, mapping));
  if (c.workingDir) spec.workingDir = c.workingDir;
  const resources = resourceLimits(c);
  if (resources) spec.resources = resources;
  return { spec, invalidEnvKeys: invalidKeys };
}
