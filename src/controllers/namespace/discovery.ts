/**
 * The namespaced kinds to empty a namespace of, from API discovery (preferred version of every
 * group, resources that can be listed and deleted, no subresources) — as upstream's namespace
 * controller finds them, so kinds added later (CRDs, new built-ins) are covered too.
 */
import type { KubeClient, ResourceRef } from "../../client/index.js";

interface ApiResourceList {
  groupVersion?: string;
  resources?: { name: string; namespaced: boolean; kind: string; verbs?: string[] }[];
}

interface ApiGroupList {
  groups?: { name: string; preferredVersion?: { groupVersion: string; version: string } }[];
}

function refsOf(list: ApiResourceList, group: string, version: string): ResourceRef[] {
  return (list.resources ?? [])
    .filter((r) => r.namespaced && !r.name.includes("/") && (r.verbs ?? []).includes("delete") && (r.verbs ?? []).includes("list"))
    .map((r) => ({ group, version, kind: r.kind, plural: r.name, namespaced: true }));
}

export async function discoverNamespacedResources(client: KubeClient): Promise<ResourceRef[]> {
  const refs: ResourceRef[] = [];
  const core = await client.request<ApiResourceList>({ method: "GET", path: "/api/v1" });
  refs.push(...refsOf(core, "", "v1"));
  const groups = await client.request<ApiGroupList>({ method: "GET", path: "/apis" });
  for (const g of groups.groups ?? []) {
    if (!g.preferredVersion) continue;
    const list = await client.request<ApiResourceList>({ method: "GET", path: `/apis/${g.preferredVersion.groupVersion}` });
    refs.push(...refsOf(list, g.name, g.preferredVersion.version));
  }
  return refs;
}
