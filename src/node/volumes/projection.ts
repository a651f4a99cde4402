/**
 * What a configMap, secret, downwardAPI or projected volume holds, computed from the API objects (the payload the
 * atomic writer puts on disk). Messages are the kubelet's: a missing object that is not optional fails the mount
 * with `configmap "x" not found` / `secret "x" not found`; a listed key that does not exist with
 * `configmap references non-existent config key: K` / `references non-existent secret key: K`.
 * File modes: the item's mode, else the volume's defaultMode, else 0644.
 */
import type { ConfigMapVolumeSource, DownwardAPIVolumeSource, KeyToPath, Pod, ProjectedVolumeSource, SecretVolumeSource } from "../../api/index.js";
import { podFieldValue, resourceFieldValue, type EnvContext } from "../pods/env.js";
import type { PodObjects } from "../pods/objects.js";
import { validatePayloadPath, type Payload } from "./atomic-writer.js";
import { MountError } from "./mount-error.js";

const DEFAULT_MODE = 0o644;

function put(payload: Payload, p: string, data: Buffer, mode: number): void {
  try {
    validatePayloadPath(p);
  } catch (e) {
    throw new MountError("FailedMount", `invalid path ${JSON.stringify(p)}: ${(e as Error).message}`);
  }
  payload.set(p, { data, mode });
}

function keyed(payload: Payload, all: Map<string, Buffer>, items: KeyToPath[] | undefined, mode: number, missing: (key: string) => string): void {
  if (!items?.length) {
    for (const [k, v] of all) put(payload, k, v, mode);
    return;
  }
  for (const it of items) {
    const v = all.get(it.key);
    if (v === undefined) throw new MountError("FailedMount", missing(it.key));
    put(payload, it.path, v, it.mode ?? mode);
  }
}

async function configMapFiles(payload: Payload, objects: PodObjects, ns: string, src: { name?: string; items?: KeyToPath[]; optional?: boolean }, mode: number): Promise<void> {
  const name = src.name ?? "";
  const cm = await objects.configMap(ns, name);
  if (!cm) {
    if (src.optional) return;
    throw new MountError("FailedMount", `configmap "${name}" not found`);
  }
  const all = new Map<string, Buffer>();
  for (const [k, v] of Object.entries(cm.data ?? {})) all.set(k, Buffer.from(v));
  for (const [k, v] of Object.entries(cm.binaryData ?? {})) all.set(k, Buffer.from(v, "base64"));
  if (src.optional && src.items?.some((i) => !all.has(i.key))) return;
  keyed(payload, all, src.items, mode, (k) => `configmap references non-existent config key: ${k}`);
}

async function secretFiles(payload: Payload, objects: PodObjects, ns: string, src: { name?: string; items?: KeyToPath[]; optional?: boolean }, mode: number): Promise<void> {
  const name = src.name ?? "";
  const s = await objects.secret(ns, name);
  if (!s) {
    if (src.optional) return;
    throw new MountError("FailedMount", `secret "${name}" not found`);
  }
  const all = new Map<string, Buffer>();
  for (const [k, v] of Object.entries(s.data ?? {})) all.set(k, Buffer.from(v, "base64"));
  if (src.optional && src.items?.some((i) => !all.has(i.key))) return;
  keyed(payload, all, src.items, mode, (k) => `references non-existent secret key: ${k}`);
}

function downwardFiles(payload: Payload, pod: Pod, src: DownwardAPIVolumeSource, mode: number, env: Omit<EnvContext, "pod" | "objects">): void {
  for (const item of src.items ?? []) {
    let value: string;
    try {
      if (item.fieldRef) value = podFieldValue(pod, item.fieldRef.fieldPath, env.hostIP);
      else if (item.resourceFieldRef) {
        const c = (pod.spec?.containers ?? []).find((x) => x.name === item.resourceFieldRef?.containerName);
        if (!c) throw new Error(`container ${item.resourceFieldRef.containerName ?? ""} not found`);
        value = resourceFieldValue(c, item.resourceFieldRef.resource, item.resourceFieldRef.divisor, env.allocatable);
      } else continue;
    } catch (e) {
      throw new MountError("FailedMount", (e as Error).message);
    }
    put(payload, item.path, Buffer.from(value), item.mode ?? mode);
  }
}

export async function configMapPayload(objects: PodObjects, ns: string, src: ConfigMapVolumeSource): Promise<Payload> {
  const payload: Payload = new Map();
  await configMapFiles(payload, objects, ns, src, src.defaultMode ?? DEFAULT_MODE);
  return payload;
}

export async function secretPayload(objects: PodObjects, ns: string, src: SecretVolumeSource): Promise<Payload> {
  const payload: Payload = new Map();
  await secretFiles(payload, objects, ns, { name: src.secretName, items: src.items, optional: src.optional }, src.defaultMode ?? DEFAULT_MODE);
  return payload;
}

export function downwardApiPayload(pod: Pod, src: DownwardAPIVolumeSource, env: Omit<EnvContext, "pod" | "objects">): Payload {
  const payload: Payload = new Map();
  downwardFiles(payload, pod, src, src.defaultMode ?? DEFAULT_MODE, env);
  return payload;
}

export async function projectedPayload(pod: Pod, objects: PodObjects, src: ProjectedVolumeSource, env: Omit<EnvContext, "pod" | "objects">): Promise<Payload> {
  const payload: Payload = new Map();
  const ns = pod.metadata.namespace ?? "default";
  const mode = src.defaultMode ?? DEFAULT_MODE;
  for (const s of src.sources ?? []) {
    if (s.configMap) await configMapFiles(payload, objects, ns, s.configMap, mode);
    else if (s.secret) await secretFiles(payload, objects, ns, s.secret, mode);
    else if (s.downwardAPI) downwardFiles(payload, pod, s.downwardAPI, mode, env);
    else if (s.serviceAccountToken) {
      // The API server serves TokenRequest (serviceaccounts/token, given a token issuer), but this node does not
      // yet request pod-bound tokens or rotate them before they expire: refuse rather than mount an empty or
      // soon-stale file.
      throw new MountError("FailedMount", "serviceAccountToken projections are not supported by this node yet");
    } else throw new MountError("FailedMount", "clusterTrustBundle projections are not supported");
  }
  return payload;
}
