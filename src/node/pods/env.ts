/**
 * A container's environment as the kubelet builds it (makeEnvironmentVariables): envFrom sources first (config
 * maps and secrets, with their prefix; keys that are not valid variable names are skipped and reported), then
 * `env` in order, each value expanded against the variables defined before it; valueFrom reads pod fields,
 * resource limits, config map keys and secret keys. A missing object or key that is not optional is a
 * ContainerConfigError with upstream's message.
 */
import type { Container, EnvVar, Pod } from "../../api/index.js";
import { Quantity } from "../../lib/quantity.js";
import { ContainerConfigError } from "./errors.js";
import { expand, mappingFor } from "./expand.js";
import type { PodObjects } from "./objects.js";

export interface EnvResult {
  env: { name: string; value: string }[];
  /** Skipped envFrom keys, one message per source (the kubelet's InvalidEnvironmentVariableNames event). */
  invalidKeys: string[];
}

export interface EnvContext {
  pod: Pod;
  objects: PodObjects;
  hostIP: string;
  /** Node allocatable, used for resourceFieldRef when the container sets no limit. */
  allocatable: { cpu: string; memory: string; "ephemeral-storage"?: string };
}

/** Since 1.30 (RelaxedEnvironmentVariableValidation) any printable ASCII except "=" is accepted. */
export function isValidEnvName(name: string): boolean {
  return name.length > 0 && /^[\x20-\x7e]+$/.test(name) && !name.includes("=");
}

function decode(b64: string): string {
  return Buffer.from(b64, "base64").toString("utf8");
}

function formatMap(m: Record<string, string> | undefined): string {
  return Object.keys(m ?? {})
    .sort()
    .map((k) => `${k}=${JSON.stringify(m?.[k] ?? "")}`)
    .join("\n");
}

/** The value of a downward-API field path (metadata.*, spec.*, status.*), as the kubelet resolves it. */
export function podFieldValue(pod: Pod, fieldPath: string, hostIP: string): string {
  const m = pod.metadata;
  const sub = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(fieldPath);
  if (sub) return (sub[1] === "labels" ? m.labels : m.annotations)?.[sub[2]] ?? "";
  switch (fieldPath) {
    case "metadata.name":
      return m.name ?? "";
    case "metadata.namespace":
      return m.namespace ?? "";
    case "metadata.uid":
      return m.uid ?? "";
    case "metadata.labels":
      return formatMap(m.labels);
    case "metadata.annotations":
      return formatMap(m.annotations);
    case "spec.nodeName":
      return pod.spec?.nodeName ?? "";
    case "spec.serviceAccountName":
      return pod.spec?.serviceAccountName ?? "";
    case "status.hostIP":
    case "status.hostIPs":
    case "status.podIP":
    case "status.podIPs":
      return hostIP;
    default:
      throw new ContainerConfigError(`unsupported fieldPath: ${fieldPath}`);
  }
}

function asNumber(q: Quantity): number {
  return Number(q.unscaled) / 10 ** q.scale;
}

/** resourceFieldRef: limits.* / requests.* of a container, divided by the divisor and rounded up. */
export function resourceFieldValue(c: Container, resource: string, divisor: string | undefined, allocatable: EnvContext["allocatable"]): string {
  const m = /^(limits|requests)\.(cpu|memory|ephemeral-storage)$/.exec(resource);
  if (!m) throw new ContainerConfigError(`unsupported container resource : ${resource}`);
  const [, kind, name] = m;
  const set = kind === "limits" ? c.resources?.limits : c.resources?.requests;
  let raw = set?.[name];
  if (raw === undefined && kind === "limits") raw = allocatable[name as keyof EnvContext["allocatable"]];
  if (raw === undefined) raw = "0";
  const value = asNumber(Quantity.parse(raw));
  const div = asNumber(Quantity.parse(divisor || "1"));
  if (div <= 0) throw new ContainerConfigError(`invalid divisor ${divisor}`);
  return String(Math.ceil(value / div));
}

export async function containerEnv(c: Container, ctx: EnvContext): Promise<EnvResult> {
  const { pod, objects } = ctx;
  const ns = pod.metadata.namespace ?? "default";
  const vars = new Map<string, string>();
  const invalidKeys: string[] = [];
  for (const from of c.envFrom ?? []) {
    const prefix = from.prefix ?? "";
    let data: Record<string, string> | undefined;
    let what: string;
    if (from.configMapRef) {
      const name = from.configMapRef.name ?? "";
      what = `configMap ${ns}/${name}`;
      const cm = await objects.configMap(ns, name);
      if (!cm) {
        if (from.configMapRef.optional) continue;
        throw new ContainerConfigError(`configmap "${name}" not found`);
      }
      data = cm.data ?? {};
    } else if (from.secretRef) {
      const name = from.secretRef.name ?? "";
      what = `secret ${ns}/${name}`;
      const s = await objects.secret(ns, name);
      if (!s) {
        if (from.secretRef.optional) continue;
        throw new ContainerConfigError(`secret "${name}" not found`);
      }
      data = Object.fromEntries(Object.entries(s.data ?? {}).map(([k, v]) => [k, decode(v)]));
    } else continue;
    const bad: string[] = [];
    for (const [k, v] of Object.entries(data)) {
      const key = prefix + k;
      if (!isValidEnvName(key)) bad.push(key);
      else vars.set(key, v);
    }
    if (bad.length) invalidKeys.push(`Keys [${bad.sort().join(", ")}] from the EnvFrom ${what} were skipped since they are considered invalid environment variable names.`);
  }
  for (const e of c.env ?? []) {
    const v = await envValue(e, c, ctx, ns, vars);
    if (v !== undefined) vars.set(e.name, v);
  }
  return { env: [...vars].map(([name, value]) => ({ name, value })), invalidKeys };
}

/** undefined: an optional reference that does not resolve, so the variable is not set at all. */
async function envValue(e: EnvVar, c: Container, ctx: EnvContext, ns: string, vars: Map<string, string>): Promise<string | undefined> {
  const from = e.valueFrom;
  if (!from) return expand(e.value ?? "", mappingFor(vars));
  if (from.fieldRef) return podFieldValue(ctx.pod, from.fieldRef.fieldPath, ctx.hostIP);
  if (from.resourceFieldRef) {
    const target = from.resourceFieldRef.containerName ? [...(ctx.pod.spec?.containers ?? []), ...(ctx.pod.spec?.initContainers ?? [])].find((x) => x.name === from.resourceFieldRef?.containerName) : c;
    if (!target) throw new ContainerConfigError(`container ${from.resourceFieldRef.containerName} not found`);
    return resourceFieldValue(target, from.resourceFieldRef.resource, from.resourceFieldRef.divisor, ctx.allocatable);
  }
  if (from.configMapKeyRef) {
    const { name = "", key, optional } = from.configMapKeyRef;
    const cm = await ctx.objects.configMap(ns, name);
    if (!cm) {
      if (optional) return undefined;
      throw new ContainerConfigError(`configmap "${name}" not found`);
    }
    const v = cm.data?.[key] ?? (cm.binaryData?.[key] !== undefined ? decode(cm.binaryData[key]) : undefined);
    if (v === undefined) {
      if (optional) return undefined;
      throw new ContainerConfigError(`couldn't find key ${key} in ConfigMap ${ns}/${name}`);
    }
    return v;
  }
  if (from.secretKeyRef) {
    const { name = "", key, optional } = from.secretKeyRef;
    const s = await ctx.objects.secret(ns, name);
    if (!s) {
      if (optional) return undefined;
      throw new ContainerConfigError(`secret "${name}" not found`);
    }
    const v = s.data?.[key];
    if (v === undefined) {
      if (optional) return undefined;
      throw new ContainerConfigError(`couldn't find key ${key} in Secret ${ns}/${name}`);
    }
    return decode(v);
  }
  return "";
}
