/**
 * Pod defaulting exactly as upstream v1 SetDefaults_Pod / _PodSpec / _Container / _Volume and the
 * nested source defaults, plus the decode-time conversions a v1 client relies on (podIP ↔
 * podIPs, hostIP ↔ hostIPs) and canonical quantities.
 */
import type { Container, PodSpec, Probe } from "./pod-types.js";
import type { Volume } from "./volume-types.js";
import type { Pod } from "./pod.js";
import { canonicalizeQuantity, canonicalizeResourceList } from "./quantities.js";
import { POD_VOLUME_SOURCES } from "../validation/pod.js";

const DEFAULT_MODE = 0o644;

/**
 * The tag of an image reference, as upstream's parsers.ParseImageName sees it: "latest" when
 * neither tag nor digest is given, "" when a digest is given or the reference does not parse.
 */
export function imageTag(image: string): string {
  if (!image || image !== image.trim()) return "";
  let rest = image;
  let digest = "";
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!/^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/.test(digest)) return "";
  }
  let tag = "";
  const slash = rest.lastIndexOf("/");
  const colon = rest.lastIndexOf(":");
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!/^[\w][\w.-]{0,127}$/.test(tag)) return "";
  }
  // Repository path: optional registry host, then lowercase components.
  const parts = rest.split("/");
  const first = parts[0];
  const hasDomain = parts.length > 1 && (first.includes(".") || first.includes(":") || first === "localhost" || /[A-Z]/.test(first));
  const components = hasDomain ? parts.slice(1) : parts;
  if (hasDomain && !/^[a-zA-Z0-9.-]+(?::\d+)?$/.test(first)) return "";
  if (components.length === 0 || !components.every((c) => /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/.test(c))) return "";
  if (!tag && !digest) return "latest";
  return tag;
}

function defaultProbe(p: Probe | undefined): void {
  if (!p) return;
  p.timeoutSeconds ??= 1;
  p.periodSeconds ??= 10;
  p.successThreshold ??= 1;
  p.failureThreshold ??= 3;
  if (p.httpGet) {
    p.httpGet.path ??= "/";
    p.httpGet.scheme ??= "HTTP";
  }
}

function defaultContainer(c: Container, hostNetwork: boolean, isPod: boolean): void {
  if (!c.imagePullPolicy) c.imagePullPolicy = imageTag(c.image ?? "") === "latest" ? "Always" : "IfNotPresent";
  if (!c.terminationMessagePath) c.terminationMessagePath = "/dev/termination-log";
  if (!c.terminationMessagePolicy) c.terminationMessagePolicy = "File";
  for (const port of c.ports ?? []) {
    if (!port.protocol) port.protocol = "TCP";
    if (hostNetwork && !port.hostPort) port.hostPort = port.containerPort;
  }
  for (const env of c.env ?? []) {
    if (env.valueFrom?.fieldRef && !env.valueFrom.fieldRef.apiVersion) env.valueFrom.fieldRef.apiVersion = "v1";
    if (env.valueFrom?.resourceFieldRef) canonicalizeQuantity(env.valueFrom.resourceFieldRef as unknown as Record<string, unknown>, "divisor");
  }
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  if (c.resources) {
    canonicalizeResourceList(c.resources.limits);
    canonicalizeResourceList(c.resources.requests);
    // Only pods (not templates) copy limits into missing requests.
    if (isPod && c.resources.limits) {
      c.resources.requests ??= {};
      for (const [k, v] of Object.entries(c.resources.limits)) if (!(k in c.resources.requests)) c.resources.requests[k] = v;
    }
  }
}

function defaultVolume(v: Volume): void {
  const record = v as unknown as Record<string, unknown>;
  if (POD_VOLUME_SOURCES.every((k) => record[k] === undefined || record[k] === null)) v.emptyDir = {};
  if (v.hostPath && v.hostPath.type === undefined) v.hostPath.type = "";
  if (v.secret) v.secret.defaultMode ??= DEFAULT_MODE;
  if (v.configMap) v.configMap.defaultMode ??= DEFAULT_MODE;
  if (v.downwardAPI) {
    v.downwardAPI.defaultMode ??= DEFAULT_MODE;
    for (const item of v.downwardAPI.items ?? []) if (item.fieldRef && !item.fieldRef.apiVersion) item.fieldRef.apiVersion = "v1";
  }
  if (v.projected) {
    v.projected.defaultMode ??= DEFAULT_MODE;
    for (const s of v.projected.sources ?? []) {
      if (s.serviceAccountToken) s.serviceAccountToken.expirationSeconds ??= 3600;
      for (const item of s.downwardAPI?.items ?? []) if (item.fieldRef && !item.fieldRef.apiVersion) item.fieldRef.apiVersion = "v1";
    }
  }
  if (v.emptyDir) canonicalizeQuantity(v.emptyDir as unknown as Record<string, unknown>, "sizeLimit");
  if (v.ephemeral?.volumeClaimTemplate?.spec) {
    const spec = v.ephemeral.volumeClaimTemplate.spec;
    if (spec.volumeMode === undefined || spec.volumeMode === null) spec.volumeMode = "Filesystem";
    canonicalizeResourceList(spec.resources?.requests);
  }
}

/** SetDefaults_PodSpec: the defaults every PodSpec (pods and templates) receives. */
export function defaultPodSpec(spec: PodSpec): void {
  if (!spec.dnsPolicy) spec.dnsPolicy = "ClusterFirst";
  if (!spec.restartPolicy) spec.restartPolicy = "Always";
  spec.securityContext ??= {};
  if (spec.terminationGracePeriodSeconds === undefined || spec.terminationGracePeriodSeconds === null) spec.terminationGracePeriodSeconds = 30;
  if (!spec.schedulerName) spec.schedulerName = "default-scheduler";
  // serviceAccount is the deprecated alias; v1 conversion reads it only when serviceAccountName
  // is empty and always writes it back equal to serviceAccountName.
  if (!spec.serviceAccountName && spec.serviceAccount) spec.serviceAccountName = spec.serviceAccount;
  if (spec.serviceAccountName) spec.serviceAccount = spec.serviceAccountName;
}

/** Everything upstream defaults on a v1 Pod. Idempotent. */
export function defaultPod(pod: Pod): void {
  pod.spec ??= { containers: [] };
  const spec = pod.spec;
  defaultPodSpec(spec);
  const hostNetwork = spec.hostNetwork === true;
  for (const c of spec.containers ?? []) defaultContainer(c, hostNetwork, true);
  for (const c of spec.initContainers ?? []) defaultContainer(c, hostNetwork, true);
  for (const c of spec.ephemeralContainers ?? []) defaultContainer(c, false, false);
  for (const v of spec.volumes ?? []) defaultVolume(v);
  if (spec.enableServiceLinks === undefined || spec.enableServiceLinks === null) spec.enableServiceLinks = true;
  canonicalizeResourceList(spec.overhead);
  const status = pod.status;
  if (status) {
    if (status.podIP && !(status.podIPs ?? []).length) status.podIPs = [{ ip: status.podIP }];
    else if (!status.podIP && status.podIPs?.[0]?.ip) status.podIP = status.podIPs[0].ip;
    if (status.hostIP && !(status.hostIPs ?? []).length) status.hostIPs = [{ ip: status.hostIP }];
    else if (!status.hostIP && status.hostIPs?.[0]?.ip) status.hostIP = status.hostIPs[0].ip;
  }
}
