import { badRequest } from "../../api/status.js";
/**
 * Parses a request path the way kube-apiserver's RequestInfoFactory does:
 *   /api/v1/namespaces/{ns}/{resource}/{name}/{subresource}
 *   /apis/{group}/{version}/{resource}/{name}
 * into group, version, namespace, resource, name, subresource and the verb (get, list, watch,
 * create, update, patch, delete, deletecollection, or the HTTP method for subresources).
 */
export interface RequestInfo {
  isResourceRequest: boolean;
  path: string;
  apiPrefix: "api" | "apis" | "";
  group: string;
  version: string;
  namespace: string;
  resource: string;
  name: string;
  subresource: string;
  /** Remaining path parts after the subresource (e.g. nodes/x/proxy/stats/summary). */
  rest: string[];
  verb: string;
}

/** A path segment, percent-decoded; malformed escapes and characters no name can hold are the client's error (400). */
function decodeSegment(segment: string): string {
  let out: string;
  try {
    out = decodeURIComponent(segment);
  } catch {
    throw badRequest(`invalid URL escape in path segment ${JSON.stringify(segment)}`);
  }
  if (out.includes("\u0000") || out.includes("/") || /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(out)) {
    throw badRequest(`invalid path segment ${JSON.stringify(segment)}`);
  }
  return out;
}

const NAMESPACE_SUBRESOURCES = new Set(["status", "finalize"]);

export function parseRequestInfo(method: string, path: string, query: URLSearchParams): RequestInfo {
  const info: RequestInfo = {
    isResourceRequest: false, path, apiPrefix: "", group: "", version: "", namespace: "",
    resource: "", name: "", subresource: "", rest: [], verb: method.toLowerCase(),
  };
  const parts = path.split("/").filter((p) => p.length > 0).map(decodeSegment);
  if (parts[0] === "api") {
    info.apiPrefix = "api";
    if (parts.length < 2) return info;
    info.version = parts[1];
    parts.splice(0, 2);
  } else if (parts[0] === "apis") {
    info.apiPrefix = "apis";
    if (parts.length < 3) {
      info.group = parts[1] ?? "";
      return info;
    }
    info.group = parts[1];
    info.version = parts[2];
    parts.splice(0, 3);
  } else {
    return info;
  }
  if (parts.length === 0) return info;
  info.isResourceRequest = true;
  let rest: string[] = parts;
  // As upstream: /namespaces/{ns}/{resource}… is namespaced, but /namespaces/{name}[/status|/finalize]
  // addresses the namespace object itself.
  if (rest[0] === "namespaces" && rest.length > 1) {
    info.namespace = rest[1];
    if (rest.length > 2 && !NAMESPACE_SUBRESOURCES.has(rest[2])) rest = rest.slice(2);
  }
  info.resource = rest[0] ?? "";
  info.name = rest[1] ?? "";
  info.subresource = rest[2] ?? "";
  info.rest = rest.slice(3);
  if (info.resource === "namespaces") info.namespace = "";
  return withVerb(info, method, query);
}

function withVerb(info: RequestInfo, method: string, query: URLSearchParams): RequestInfo {
  const m = method.toUpperCase();
  const watch = query.get("watch") === "true" || query.get("watch") === "1";
  if (m === "GET" || m === "HEAD") info.verb = info.name ? (watch ? "watch" : "get") : watch ? "watch" : "list";
  else if (m === "POST") info.verb = "create";
  else if (m === "PUT") info.verb = "update";
  else if (m === "PATCH") info.verb = "patch";
  else if (m === "DELETE") info.verb = info.name ? "delete" : "deletecollection";
  else info.verb = m.toLowerCase();
  return info;
}
