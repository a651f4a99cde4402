/**
 * REST paths from resource traits, as kube-apiserver lays them out:
 *   core        /api/v1[/namespaces/{ns}]/{plural}[/{name}[/{subresource}]]
 *   named group /apis/{group}/{version}[/namespaces/{ns}]/{plural}[/{name}[/{subresource}]]
 * Names and namespaces are validated before they reach a URL, so no argument can add, remove or
 * climb a path segment. Cache keys follow client-go's MetaNamespaceKeyFunc: "ns/name" or "name".
 */
import type { KubeObject, ResourceTraits } from "../api/types.js";
import { RequestConstructionError } from "./errors.js";

/** What the client needs to know about a resource; full ResourceTraits satisfy it. */
export type ResourceRef = Pick<ResourceTraits, "group" | "version" | "kind" | "plural" | "namespaced">;

export function apiVersionOf(ref: Pick<ResourceRef, "group" | "version">): string {
  return ref.group ? `${ref.group}/${ref.version}` : ref.version;
}

/** Object names are path segments: one segment, not "." or "..", at most 253 characters. */
function checkSegment(value: string, what: string): void {
  if (typeof value !== "string" || value === "" || value === "." || value === ".." || value.length > 253 || /[/\\%\0?#]/.test(value)) {
    throw new RequestConstructionError(`invalid ${what} ${JSON.stringify(value)}`);
  }
}

function checkNamespace(ref: ResourceRef, namespace: string | undefined, requireForNamespaced: boolean): string | undefined {
  if (!ref.namespaced) {
    if (namespace) throw new RequestConstructionError(`${ref.plural} are cluster-scoped; no namespace may be given (got ${JSON.stringify(namespace)})`);
    return undefined;
  }
  if (!namespace) {
    if (requireForNamespaced) throw new RequestConstructionError(`${ref.plural} are namespaced; a namespace is required`);
    return undefined;
  }
  checkSegment(namespace, "namespace");
  return namespace;
}

function groupPrefix(ref: ResourceRef): string {
  checkSegment(ref.version, "version");
  if (ref.group) checkSegment(ref.group, "group");
  return ref.group ? `/apis/${ref.group}/${ref.version}` : `/api/${ref.version}`;
}

/** The collection path; `namespace` may be omitted for namespaced kinds to span all namespaces. */
export function collectionPath(ref: ResourceRef, namespace?: string): string {
  const ns = checkNamespace(ref, namespace, false);
  checkSegment(ref.plural, "resource");
  return ns ? `${groupPrefix(ref)}/namespaces/${ns}/${ref.plural}` : `${groupPrefix(ref)}/${ref.plural}`;
}

/** The path of one object, or of one of its subresources. */
export function objectPath(ref: ResourceRef, namespace: string | undefined, name: string, subresource?: string): string {
  const ns = checkNamespace(ref, namespace, true);
  checkSegment(ref.plural, "resource");
  checkSegment(name, "name");
  if (subresource !== undefined) checkSegment(subresource, "subresource");
  const base = ns ? `${groupPrefix(ref)}/namespaces/${ns}/${ref.plural}/${name}` : `${groupPrefix(ref)}/${ref.plural}/${name}`;
  return subresource ? `${base}/${subresource}` : base;
}

/** "ns/name" for namespaced objects, "name" for cluster-scoped ones. */
export function objectKey(obj: Pick<KubeObject, "metadata">): string {
  const { namespace, name } = obj.metadata;
  if (!name) throw new RequestConstructionError("object has no metadata.name");
  return namespace ? `${namespace}/${name}` : name;
}

/** Inverse of objectKey. */
export function splitKey(key: string): { namespace?: string; name: string } {
  const slash = key.indexOf("/");
  if (slash < 0) return { name: key };
  return { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
