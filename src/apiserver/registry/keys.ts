/**
 * Store key layout, as kube-apiserver's etcd layout with the group spelled out:
 *   /registry/<group|core>/<plural>/<namespace>/<name>   namespaced kinds
 *   /registry/<group|core>/<plural>/<name>               cluster-scoped kinds
 * Every prefix ends in "/" so that namespace "a" never matches namespace "ab".
 */
import type { ResourceTraits } from "../../api/types.js";

function groupSegment(t: ResourceTraits): string {
  return t.group === "" ? "core" : t.group;
}

export function resourcePrefix(t: ResourceTraits): string {
  return `/registry/${groupSegment(t)}/${t.plural}/`;
}

export function listPrefix(t: ResourceTraits, namespace: string | undefined): string {
  if (t.namespaced && namespace) return `${resourcePrefix(t)}${namespace}/`;
  return resourcePrefix(t);
}

export function objectKey(t: ResourceTraits, namespace: string | undefined, name: string): string {
  return t.namespaced ? `${resourcePrefix(t)}${namespace}/${name}` : `${resourcePrefix(t)}${name}`;
}
