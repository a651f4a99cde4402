/**
 * API discovery, both forms kubectl understands: aggregated (apidiscovery.k8s.io/v2, two
 * requests in all, with its exact content type) and legacy (/api, /apis, /api/v1, /apis/g/v).
 * Everything is derived from the kinds' traits.
 */
import type { ResourceTraits } from "../../api/types.js";

export const AGGREGATED_CONTENT_TYPE = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

function groupsOf(resources: ResourceTraits[]): Map<string, Map<string, ResourceTraits[]>> {
  const groups = new Map<string, Map<string, ResourceTraits[]>>();
  for (const r of resources) {
    let versions = groups.get(r.group);
    if (!versions) groups.set(r.group, (versions = new Map()));
    let list = versions.get(r.version);
    if (!list) versions.set(r.version, (list = []));
    list.push(r);
  }
  return groups;
}

const subresourceVerbs: Record<string, string[]> = {
  status: ["get", "patch", "update"],
  log: ["get"],
  exec: ["create", "get"],
  attach: ["create", "get"],
  binding: ["create"],
  eviction: ["create"],
  proxy: ["create", "delete", "get", "patch", "update"],
  finalize: ["update"],
  token: ["create"],
};

function subresourceKind(r: ResourceTraits, sub: string): { group: string; version: string; kind: string } {
  if (sub === "status") return { group: "", version: "", kind: r.kind };
  if (sub === "binding") return { group: "", version: "", kind: "Binding" };
  if (sub === "eviction") return { group: "policy", version: "v1", kind: "Eviction" };
  if (sub === "exec" || sub === "attach") return { group: "", version: "", kind: "PodExecOptions" };
  if (sub === "log") return { group: "", version: "", kind: "Pod" };
  if (sub === "token") return { group: "authentication.k8s.io", version: "v1", kind: "TokenRequest" };
  if (sub === "proxy") return { group: "", version: "", kind: r.kind === "Node" ? "NodeProxyOptions" : "PodProxyOptions" };
  return { group: "", version: "", kind: r.kind };
}

function aggregatedResource(r: ResourceTraits): Record<string, unknown> {
  const out: Record<string, unknown> = {
    resource: r.plural,
    responseKind: { group: r.group, version: r.version, kind: r.kind },
    scope: r.namespaced ? "Namespaced" : "Cluster",
    singularResource: r.singular,
    verbs: r.verbs,
  };
  if (r.shortNames.length) out.shortNames = r.shortNames;
  if (r.categories.length) out.categories = r.categories;
  if (r.subresources.length) {
    out.subresources = r.subresources.map((s) => ({
      subresource: s,
      responseKind: subresourceKind(r, s),
      verbs: subresourceVerbs[s] ?? ["get"],
    }));
  }
  return out;
}

function aggregatedGroup(name: string, versions: Map<string, ResourceTraits[]>): Record<string, unknown> {
  return {
    metadata: { name, creationTimestamp: null },
    versions: [...versions.entries()].map(([version, rs]) => ({
      version,
      resources: rs.map(aggregatedResource),
      freshness: "Current",
    })),
  };
}

/** GET /api with the aggregated Accept: the core group only. */
export function aggregatedCore(resources: ResourceTraits[]): unknown {
  const core = groupsOf(resources).get("") ?? new Map();
  return { kind: "APIGroupDiscoveryList", apiVersion: "apidiscovery.k8s.io/v2", metadata: {}, items: [{ ...aggregatedGroup("", core), metadata: { creationTimestamp: null } }] };
}

/** GET /apis with the aggregated Accept: every named group. */
export function aggregatedGroups(resources: ResourceTraits[]): unknown {
  const items = [...groupsOf(resources).entries()].filter(([g]) => g !== "").map(([g, v]) => aggregatedGroup(g, v));
  return { kind: "APIGroupDiscoveryList", apiVersion: "apidiscovery.k8s.io/v2", metadata: {}, items };
}

export function legacyApiVersions(serverAddress: string): unknown {
  return { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }] };
}

function groupEntry(name: string, versions: string[]): Record<string, unknown> {
  const vs = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { name, versions: vs, preferredVersion: vs[0] };
}

export function legacyApiGroupList(resources: ResourceTraits[]): unknown {
  const groups = [...groupsOf(resources).entries()].filter(([g]) => g !== "").map(([g, v]) => groupEntry(g, [...v.keys()]));
  return { kind: "APIGroupList", apiVersion: "v1", groups };
}

export function legacyApiGroup(resources: ResourceTraits[], group: string): unknown | undefined {
  const versions = groupsOf(resources).get(group);
  if (!versions || group === "") return undefined;
  return { kind: "APIGroup", apiVersion: "v1", ...groupEntry(group, [...versions.keys()]) };
}

export function legacyResourceList(resources: ResourceTraits[], group: string, version: string): unknown | undefined {
  const rs = groupsOf(resources).get(group)?.get(version);
  if (!rs) return undefined;
  const list: Record<string, unknown>[] = [];
  for (const r of rs) {
    const entry: Record<string, unknown> = { name: r.plural, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: r.verbs };
    if (r.shortNames.length) entry.shortNames = r.shortNames;
    if (r.categories.length) entry.categories = r.categories;
    list.push(entry);
    for (const s of r.subresources) {
      const k = subresourceKind(r, s);
      const sub: Record<string, unknown> = { name: `${r.plural}/${s}`, singularName: "", namespaced: r.namespaced, kind: k.kind, verbs: subresourceVerbs[s] ?? ["get"] };
      if (k.group) {
        sub.group = k.group;
        sub.version = k.version;
      }
      list.push(sub);
    }
  }
  return { kind: "APIResourceList", apiVersion: "v1", groupVersion: group ? `${group}/${version}` : version, resources: list };
}
