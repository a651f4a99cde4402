/**
 * Container validation (upstream validateContainerCommon, validateContainers,
 * validateInitContainers, ValidateVolumeMounts, validateContainerPorts, ValidateEnv,
 * ValidateResourceRequirements, probes) with upstream's field paths and messages — including
 * the unindexed `volumeMounts.subPath` path upstream reports subPath errors under.
 */
import type { FieldError } from "../types.js";
import { duplicate, forbidden, invalid, notFound, notSupported, required } from "../fields/errors.js";
import type { Container, Probe } from "../kinds/pod-types.js";
import { dns1123Label, isObject, localDescendingPath, nonNegative, nonNegativeQuantity, parseQuantityField } from "./common.js";
import { isEnvVarName, isQualifiedName, isValidPortNum, isConfigMapKey } from "./names.js";

const PULL_POLICIES = ["Always", "IfNotPresent", "Never"];
const TERMINATION_MESSAGE_POLICIES = ["File", "FallbackToLogsOnError"];
const PROTOCOLS = ["SCTP", "TCP", "UDP"];
const MOUNT_PROPAGATIONS = ["Bidirectional", "HostToContainer", "None"];
const STANDARD_CONTAINER_RESOURCES = new Set(["cpu", "memory", "ephemeral-storage"]);

function isNativeResource(name: string): boolean {
  return !name.includes("/") || name.includes("kubernetes.io/");
}

function isHugePages(name: string): boolean {
  return name.startsWith("hugepages-");
}

function validateResourceName(name: string, field: string): FieldError[] {
  const errs = isQualifiedName(name).map((m) => invalid(field, name, m));
  if (errs.length > 0) return errs;
  if (!name.includes("/")) {
    if (!STANDARD_CONTAINER_RESOURCES.has(name) && !isHugePages(name)) errs.push(invalid(field, name, "must be a standard resource for containers"));
  } else if (!isNativeResource(name) && name.startsWith("requests.")) {
    errs.push(invalid(field, name, "doesn't follow extended resource name standard"));
  }
  return errs;
}

export function validateResources(res: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const r = isObject(res) ? res : {};
  const limits = isObject(r.limits) ? (r.limits as Record<string, unknown>) : {};
  const requests = isObject(r.requests) ? (r.requests as Record<string, unknown>) : {};
  const parsedLimits = new Map<string, ReturnType<typeof parseQuantityField>>();
  for (const name of Object.keys(limits).sort()) {
    const p = `${field}.limits[${name}]`;
    errs.push(...validateResourceName(name, p));
    const q = parseQuantityField(limits[name], p, errs);
    parsedLimits.set(name, q);
    if (q) errs.push(...nonNegativeQuantity(q, p));
  }
  for (const name of Object.keys(requests).sort()) {
    const p = `${field}.requests[${name}]`;
    errs.push(...validateResourceName(name, p));
    const q = parseQuantityField(requests[name], p, errs);
    if (!q) continue;
    errs.push(...nonNegativeQuantity(q, p));
    const overcommit = isNativeResource(name) && !isHugePages(name);
    const lim = parsedLimits.get(name);
    if (lim) {
      if (!overcommit && q.cmp(lim) !== 0) errs.push(invalid(`${field}.requests`, q.toString(), `must be equal to ${name} limit of ${lim.toString()}`));
      else if (q.cmp(lim) > 0) errs.push(invalid(`${field}.requests`, q.toString(), `must be less than or equal to ${name} limit of ${lim.toString()}`));
    } else if (!overcommit && !(name in limits)) {
      errs.push(required(`${field}.limits`, "Limit must be set for non overcommitable resources"));
    }
  }
  return errs;
}

function validatePorts(ports: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  (Array.isArray(ports) ? ports : []).forEach((port, i) => {
    const p = `${field}[${i}]`;
    const pt = isObject(port) ? port : {};
    if (typeof pt.name === "string" && pt.name) {
      const nameErrs = validatePortName(pt.name);
      if (nameErrs.length > 0) for (const m of nameErrs) errs.push(invalid(`${p}.name`, pt.name, m));
      else if (names.has(pt.name)) errs.push(duplicate(`${p}.name`, pt.name));
      else names.add(pt.name);
    }
    if (!pt.containerPort) errs.push(required(`${p}.containerPort`));
    else for (const m of isValidPortNum(Number(pt.containerPort))) errs.push(invalid(`${p}.containerPort`, pt.containerPort, m));
    if (pt.hostPort) for (const m of isValidPortNum(Number(pt.hostPort))) errs.push(invalid(`${p}.hostPort`, pt.hostPort, m));
    if (!pt.protocol) errs.push(required(`${p}.protocol`));
    else if (!PROTOCOLS.includes(String(pt.protocol))) errs.push(notSupported(`${p}.protocol`, pt.protocol, PROTOCOLS));
  });
  return errs;
}

/** IsValidPortName: IANA service name rules. */
function validatePortName(name: string): string[] {
  const errs: string[] = [];
  if (name.length > 15) errs.push("must be no more than 15 characters");
  if (!/^[-a-z0-9]+$/.test(name)) errs.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
  if (!/[a-z]/.test(name)) errs.push("must contain at least one letter (a-z)");
  if (name.includes("--")) errs.push("must not contain consecutive hyphens");
  if (name.startsWith("-") || name.endsWith("-")) errs.push("must not begin or end with a hyphen");
  return errs;
}

function validateEnv(env: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  (Array.isArray(env) ? env : []).forEach((ev, i) => {
    const p = `${field}[${i}]`;
    const e = isObject(ev) ? ev : {};
    const name = typeof e.name === "string" ? e.name : "";
    if (!name) errs.push(required(`${p}.name`));
    else for (const m of isEnvVarName(name)) errs.push(invalid(`${p}.name`, name, m));
    if (isObject(e.valueFrom)) {
      const vf = e.valueFrom;
      const sources = ["fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef"].filter((k) => vf[k] !== undefined);
      if (typeof e.value === "string" && e.value !== "" && sources.length > 0) {
        errs.push(invalid(`${p}.valueFrom`, "", "may not be specified when `value` is not empty"));
      }
      if (sources.length === 0) errs.push(invalid(`${p}.valueFrom`, "", "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"));
      else if (sources.length > 1) {
        errs.push(invalid(`${p}.valueFrom`, "", "may not have more than one field specified at a time"));
      }
      for (const k of ["configMapKeyRef", "secretKeyRef"]) {
        const ref = vf[k];
        if (!isObject(ref)) continue;
        const key = typeof ref.key === "string" ? ref.key : "";
        if (!key) errs.push(required(`${p}.valueFrom.${k}.key`));
        else for (const m of isConfigMapKey(key)) errs.push(invalid(`${p}.valueFrom.${k}.key`, key, m));
        if (!ref.name) errs.push(required(`${p}.valueFrom.${k}.name`));
      }
      if (isObject(vf.fieldRef) && !vf.fieldRef.fieldPath) errs.push(required(`${p}.valueFrom.fieldRef.fieldPath`));
    }
  });
  return errs;
}

function validateVolumeMounts(mounts: unknown, volumeNames: Set<string>, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const paths = new Set<string>();
  (Array.isArray(mounts) ? mounts : []).forEach((mount, i) => {
    const p = `${field}[${i}]`;
    const m = isObject(mount) ? mount : {};
    const name = typeof m.name === "string" ? m.name : "";
    const mountPath = typeof m.mountPath === "string" ? m.mountPath : "";
    if (!name) errs.push(required(`${p}.name`));
    if (!volumeNames.has(name)) errs.push(notFound(`${p}.name`, name));
    if (!mountPath) errs.push(required(`${p}.mountPath`));
    if (paths.has(mountPath)) errs.push(invalid(`${p}.mountPath`, mountPath, "must be unique"));
    paths.add(mountPath);
    const subPath = typeof m.subPath === "string" ? m.subPath : "";
    const subPathExpr = typeof m.subPathExpr === "string" ? m.subPathExpr : "";
    // Upstream reports these under the list path, not the item: `volumeMounts.subPath`.
    if (subPath) errs.push(...localDescendingPath(subPath, `${field}.subPath`));
    if (subPathExpr) {
      if (subPath) errs.push(invalid(`${p}.subPathExpr`, subPathExpr, "subPathExpr and subPath are mutually exclusive"));
      errs.push(...localDescendingPath(subPathExpr, `${field}.subPathExpr`));
    }
    if (m.mountPropagation !== undefined && m.mountPropagation !== null && !MOUNT_PROPAGATIONS.includes(String(m.mountPropagation))) {
      errs.push(notSupported(`${field}.mountPropagation`, m.mountPropagation, MOUNT_PROPAGATIONS));
    }
    if (m.recursiveReadOnly !== undefined && m.recursiveReadOnly !== null) {
      const rro = String(m.recursiveReadOnly);
      if (!["Disabled", "IfPossible", "Enabled"].includes(rro)) errs.push(notSupported(`${field}.recursiveReadOnly`, rro, ["Disabled", "Enabled", "IfPossible"]));
      else if (rro !== "Disabled" && !m.readOnly) errs.push(forbidden(`${field}.recursiveReadOnly`, "may only be specified when readOnly is true"));
    }
  });
  return errs;
}

function validateProbe(probe: unknown, field: string): FieldError[] {
  if (!isObject(probe)) return [];
  const pr = probe as Probe;
  const errs: FieldError[] = [];
  const handlers = ["exec", "httpGet", "tcpSocket", "grpc"].filter((k) => (pr as Record<string, unknown>)[k] !== undefined);
  if (handlers.length === 0) errs.push(required(field, "must specify a handler type"));
  for (const extra of handlers.slice(1)) errs.push(forbidden(`${field}.${extra}`, "may not specify more than 1 handler type"));
  for (const k of ["initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold"] as const) {
    errs.push(...nonNegative(pr[k], `${field}.${k}`));
  }
  if (pr.terminationGracePeriodSeconds !== undefined && pr.terminationGracePeriodSeconds <= 0) {
    errs.push(invalid(`${field}.terminationGracePeriodSeconds`, pr.terminationGracePeriodSeconds, "must be greater than 0"));
  }
  return errs;
}

/** Checks every kind of container shares (validateContainerCommon). */
function validateContainerCommon(c: Container, volumeNames: Set<string>, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!c.name) errs.push(required(`${field}.name`));
  else errs.push(...dns1123Label(c.name, `${field}.name`));
  if (!c.image) errs.push(required(`${field}.image`));
  const tmp = c.terminationMessagePolicy;
  if (!tmp) errs.push(required(`${field}.terminationMessagePolicy`));
  else if (!TERMINATION_MESSAGE_POLICIES.includes(tmp)) errs.push(notSupported(`${field}.terminationMessagePolicy`, tmp, TERMINATION_MESSAGE_POLICIES));
  errs.push(...validatePorts(c.ports, `${field}.ports`));
  errs.push(...validateEnv(c.env, `${field}.env`));
  errs.push(...validateVolumeMounts(c.volumeMounts, volumeNames, `${field}.volumeMounts`));
  const pull = c.imagePullPolicy;
  if (!pull) errs.push(required(`${field}.imagePullPolicy`));
  else if (!PULL_POLICIES.includes(pull)) errs.push(notSupported(`${field}.imagePullPolicy`, pull, PULL_POLICIES));
  errs.push(...validateResources(c.resources, `${field}.resources`));
  return errs;
}

export function validateContainers(containers: unknown, volumeNames: Set<string>, field: string): FieldError[] {
  const list = Array.isArray(containers) ? (containers as Container[]) : [];
  if (list.length === 0) return [required(field)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  list.forEach((raw, i) => {
    const c = (isObject(raw) ? raw : {}) as Container;
    const p = `${field}[${i}]`;
    errs.push(...validateContainerCommon(c, volumeNames, p));
    if (names.has(c.name)) errs.push(duplicate(`${p}.name`, c.name));
    else names.add(c.name);
    if (c.restartPolicy !== undefined && c.restartPolicy !== null) errs.push(forbidden(`${p}.restartPolicy`, "may not be set for non-init containers"));
    errs.push(...validateProbe(c.livenessProbe, `${p}.livenessProbe`));
    errs.push(...validateProbe(c.readinessProbe, `${p}.readinessProbe`));
    errs.push(...validateProbe(c.startupProbe, `${p}.startupProbe`));
    if (isObject(c.livenessProbe) && (c.livenessProbe.successThreshold ?? 1) !== 1) {
      errs.push(invalid(`${p}.livenessProbe.successThreshold`, c.livenessProbe.successThreshold, "must be 1"));
    }
  });
  return errs;
}

export function validateInitContainers(inits: unknown, containers: unknown, volumeNames: Set<string>, field: string): FieldError[] {
  const list = Array.isArray(inits) ? (inits as Container[]) : [];
  const errs: FieldError[] = [];
  const names = new Set((Array.isArray(containers) ? (containers as Container[]) : []).map((c) => c?.name));
  list.forEach((raw, i) => {
    const c = (isObject(raw) ? raw : {}) as Container;
    const p = `${field}[${i}]`;
    errs.push(...validateContainerCommon(c, volumeNames, p));
    if (names.has(c.name)) errs.push(duplicate(`${p}.name`, c.name));
    else if (c.name) names.add(c.name);
    const restartable = c.restartPolicy === "Always";
    if (c.restartPolicy !== undefined && c.restartPolicy !== null && !restartable) {
      errs.push(notSupported(`${p}.restartPolicy`, c.restartPolicy, ["Always"]));
    }
    if (!restartable) {
      for (const probe of ["livenessProbe", "readinessProbe", "startupProbe"] as const) {
        if (c[probe] !== undefined) errs.push(forbidden(`${p}.${probe}`, "may not be set for init containers without restartPolicy=Always"));
      }
    } else {
      errs.push(...validateProbe(c.livenessProbe, `${p}.livenessProbe`));
      errs.push(...validateProbe(c.readinessProbe, `${p}.readinessProbe`));
      errs.push(...validateProbe(c.startupProbe, `${p}.startupProbe`));
    }
  });
  return errs;
}
