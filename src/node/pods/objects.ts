/**
 * The API objects a pod refers to, read when the node needs them (container environment, volumes): config maps,
 * secrets, claims, volumes and service accounts. `undefined` means "not found"; other failures throw.
 * One implementation reads through the API client; tests may pass a map.
 */
import type { ConfigMap, KubeObject, PersistentVolume, PersistentVolumeClaim, Secret, ServiceAccount } from "../../api/index.js";
import { isNotFound, type KubeClient } from "../../client/index.js";

export interface PodObjects {
  configMap(namespace: string, name: string): Promise<ConfigMap | undefined>;
  secret(namespace: string, name: string): Promise<Secret | undefined>;
  claim(namespace: string, name: string): Promise<PersistentVolumeClaim | undefined>;
  volume(name: string): Promise<PersistentVolume | undefined>;
  serviceAccount(namespace: string, name: string): Promise<ServiceAccount | undefined>;
}

const R = {
  configMap: { group: "", version: "v1", kind: "ConfigMap", plural: "configmaps", namespaced: true },
  secret: { group: "", version: "v1", kind: "Secret", plural: "secrets", namespaced: true },
  claim: { group: "", version: "v1", kind: "PersistentVolumeClaim", plural: "persistentvolumeclaims", namespaced: true },
  volume: { group: "", version: "v1", kind: "PersistentVolume", plural: "persistentvolumes", namespaced: false },
  serviceAccount: { group: "", version: "v1", kind: "ServiceAccount", plural: "serviceaccounts", namespaced: true },
} as const;

async function orUndefined<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

export function apiPodObjects(client: KubeClient): PodObjects {
  const get = <T extends KubeObject>(ref: (typeof R)[keyof typeof R], ns: string | undefined, name: string) =>
    orUndefined(client.resource<T>(ref).get(ns, name, { timeoutMs: 10_000 }));
  return {
    configMap: (ns, name) => get<ConfigMap>(R.configMap, ns, name),
    secret: (ns, name) => get<Secret>(R.secret, ns, name),
    claim: (ns, name) => get<PersistentVolumeClaim>(R.claim, ns, name),
    volume: (name) => get<PersistentVolume>(R.volume, undefined, name),
    serviceAccount: (ns, name) => get<ServiceAccount>(R.serviceAccount, ns, name),
  };
}
