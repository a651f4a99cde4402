/**
 * The OpenAPI documents kubectl reads: the v3 root (one entry per group/version, with a hash in
 * the URL so clients can cache), one OpenAPI 3.0 document per group/version (paths with
 * get/list/post/put/patch/delete/deletecollection operations carrying
 * x-kubernetes-group-version-kind and the fieldValidation, dryRun and fieldManager parameters,
 * plus every schema they reference), and a Swagger 2.0 document of all definitions.
 */
import { createHash } from "node:crypto";
import type { Schema } from "../types.js";
import { resources } from "../registry.js";
import type { KindDefinition } from "../kinds/kind.js";
import { REF_PREFIX } from "./dsl.js";
import { referencedClosure, schemas } from "./schemas.js";

export const KUBERNETES_VERSION = "v1.32.0";
const META = "io.k8s.apimachinery.pkg.apis.meta.v1.";

type Json = Record<string, unknown>;

/** "api/v1" or "apis/<group>/<version>": the key of a group/version in the v3 root. */
export function groupVersionPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

function groupWord(group: string): string {
  if (!group) return "Core";
  const base = group.replace(/\.k8s\.io$/, "");
  return base
    .split(".")
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join("");
}

function tag(group: string, version: string): string {
  const w = groupWord(group);
  return `${w.charAt(0).toLowerCase()}${w.slice(1)}_${version}`;
}

const param = (name: string, location: "query" | "path", description: string, type: "string" | "boolean" | "integer" = "string", required = false): Json => {
  const p: Json = { name, in: location, description, schema: { type, uniqueItems: true } };
  if (required) p.required = true;
  return p;
};

const P = {
  pretty: param("pretty", "query", "If 'true', pretty-print the output."),
  dryRun: param("dryRun", "query", "All: validate and admit the request, but do not persist it."),
  fieldManager: param("fieldManager", "query", "Name of the actor making the change, recorded in managedFields."),
  fieldValidation: param("fieldValidation", "query", "Ignore, Warn or Strict: how unknown and duplicate fields are treated."),
  force: param("force", "query", "Apply only: take ownership of conflicting fields.", "boolean"),
  gracePeriodSeconds: param("gracePeriodSeconds", "query", "Seconds before the object is deleted; 0 deletes immediately.", "integer"),
  orphanDependents: param("orphanDependents", "query", "Deprecated: use propagationPolicy.", "boolean"),
  propagationPolicy: param("propagationPolicy", "query", "Orphan, Background or Foreground garbage collection of dependents."),
  list: [
    param("allowWatchBookmarks", "query", "Ask for BOOKMARK events on watches.", "boolean"),
    param("continue", "query", "Continue token of a previous paginated list."),
    param("fieldSelector", "query", "Select by fields, e.g. metadata.name=x."),
    param("labelSelector", "query", "Select by labels, e.g. app=web,tier!=db."),
    param("limit", "query", "Maximum number of items; more are fetched with continue.", "integer"),
    param("resourceVersion", "query", "Serve the list or start the watch at this version."),
    param("resourceVersionMatch", "query", "How resourceVersion applies to a list: Exact or NotOlderThan."),
    param("sendInitialEvents", "query", "Start a watch with ADDED events for existing objects.", "boolean"),
    param("timeoutSeconds", "query", "Limit the duration of the list or watch.", "integer"),
    param("watch", "query", "Stream changes instead of returning a list.", "boolean"),
  ],
};

const schemaRef = (name: string): Json => ({ $ref: REF_PREFIX + name });
const content = (name: string): Json => ({
  "application/json": { schema: schemaRef(name) },
  "application/yaml": { schema: schemaRef(name) },
});
const ok = (name: string): Json => ({ description: "OK", content: content(name) });
/** List responses may also be watch streams. */
const listResponses = (name: string): Json => ({
  200: { description: "OK", content: { ...content(name), "application/json;stream=watch": { schema: schemaRef(name) } } },
  401: { description: "Unauthorized" },
});
const responses = (codes: Record<string, string>): Json => {
  const out: Json = {};
  for (const [code, name] of Object.entries(codes)) out[code] = { description: code === "201" ? "Created" : code === "202" ? "Accepted" : "OK", content: content(name) };
  out["401"] = { description: "Unauthorized" };
  return out;
};

function operation(r: KindDefinition, verb: string, action: string, opId: string, extra: Json): Json {
  return {
    tags: [tag(r.group, r.version)],
    description: `${action} ${r.kind}`,
    operationId: opId,
    "x-kubernetes-action": verb,
    "x-kubernetes-group-version-kind": { group: r.group, version: r.version, kind: r.kind },
    ...extra,
  };
}

function pathsFor(r: KindDefinition): Record<string, Json> {
  const prefix = "/" + groupVersionPath(r.group, r.version);
  const gv = `${groupWord(r.group)}${r.version.charAt(0).toUpperCase()}${r.version.slice(1)}`;
  const scope = r.namespaced ? "Namespaced" : "";
  const kind = r.schemaName;
  const list = kind + "List";
  const nameParam = param("name", "path", `Name of the ${r.kind}.`, "string", true);
  const nsParam = param("namespace", "path", "Object name and auth scope, such as for teams and projects.", "string", true);
  const base = r.namespaced ? `${prefix}/namespaces/{namespace}/${r.plural}` : `${prefix}/${r.plural}`;
  const scopeParams = r.namespaced ? [nsParam] : [];
  const writeParams = [P.dryRun, P.fieldManager, P.fieldValidation];
  const body = (name: string): Json => ({ content: { "*/*": { schema: schemaRef(name) } }, required: true });
  const patchBody: Json = {
    content: Object.fromEntries(
      ["application/apply-patch+yaml", "application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json"].map((t) => [
        t,
        { schema: schemaRef(META + "Patch") },
      ]),
    ),
    required: true,
  };
  const id = (verb: string, suffix = "") => `${verb}${gv}${scope}${r.kind}${suffix}`;
  const paths: Record<string, Json> = {};

  const collection: Json = { parameters: [...scopeParams, P.pretty] };
  if (r.verbs.includes("list")) collection.get = operation(r, "list", "list or watch objects of kind", id("list"), { parameters: P.list, responses: listResponses(list) });
  if (r.verbs.includes("create")) {
    collection.post = operation(r, "post", "create a", id("create"), { parameters: writeParams, requestBody: body(kind), responses: responses({ 200: kind, 201: kind, 202: kind }) });
  }
  if (r.verbs.includes("deletecollection")) {
    collection.delete = operation(r, "deletecollection", "delete collection of", `delete${gv}Collection${scope}${r.kind}`, {
      parameters: [...P.list, P.dryRun, P.gracePeriodSeconds, P.orphanDependents, P.propagationPolicy],
      requestBody: { content: { "*/*": { schema: schemaRef(META + "DeleteOptions") } } },
      responses: responses({ 200: META + "Status" }),
    });
  }
  paths[base] = collection;

  const item: Json = { parameters: [nameParam, ...scopeParams, P.pretty] };
  item.get = operation(r, "get", "read the specified", id("read"), { responses: { 200: ok(kind), 401: { description: "Unauthorized" } } });
  item.put = operation(r, "put", "replace the specified", id("replace"), { parameters: writeParams, requestBody: body(kind), responses: responses({ 200: kind, 201: kind }) });
  item.patch = operation(r, "patch", "partially update the specified", id("patch"), {
    parameters: [...writeParams, P.force],
    requestBody: patchBody,
    responses: responses({ 200: kind, 201: kind }),
  });
  item.delete = operation(r, "delete", "delete a", id("delete"), {
    parameters: [P.dryRun, P.gracePeriodSeconds, P.orphanDependents, P.propagationPolicy],
    requestBody: { content: { "*/*": { schema: schemaRef(META + "DeleteOptions") } } },
    responses: responses({ 200: kind, 202: kind }),
  });
  paths[`${base}/{name}`] = item;

  for (const sub of r.subresources.filter((s) => s === "status" || s === "finalize")) {
    const word = sub.charAt(0).toUpperCase() + sub.slice(1);
    const subPath: Json = { parameters: [nameParam, ...scopeParams, P.pretty] };
    if (sub === "status") subPath.get = operation(r, "get", `read ${sub} of the specified`, id("read", word), { responses: { 200: ok(kind), 401: { description: "Unauthorized" } } });
    subPath.put = operation(r, "put", `replace ${sub} of the specified`, id("replace", word), { parameters: writeParams, requestBody: body(kind), responses: responses({ 200: kind, 201: kind }) });
    if (sub === "status") {
      subPath.patch = operation(r, "patch", `partially update ${sub} of the specified`, id("patch", word), {
        parameters: [...writeParams, P.force],
        requestBody: patchBody,
        responses: responses({ 200: kind, 201: kind }),
      });
    }
    paths[`${base}/{name}/${sub}`] = subPath;
  }
  if (r.namespaced && r.verbs.includes("list")) {
    paths[`${prefix}/${r.plural}`] = {
      parameters: [P.pretty],
      get: operation(r, "list", "list or watch objects of kind", `list${gv}${r.kind}ForAllNamespaces`, { parameters: P.list, responses: listResponses(list) }),
    };
  }
  return paths;
}

/** The OpenAPI 3.0 document of one group/version; undefined when nothing is served there. */
export function openApiV3Document(group: string, version: string): Json | undefined {
  const served = resources.filter((r) => r.group === group && r.version === version);
  if (served.length === 0) return undefined;
  const paths: Record<string, Json> = {};
  const roots = new Set<string>([META + "Status", META + "DeleteOptions", META + "Patch", META + "WatchEvent"]);
  for (const r of served) {
    Object.assign(paths, pathsFor(r));
    roots.add(r.schemaName);
    roots.add(r.schemaName + "List");
  }
  const componentSchemas: Record<string, Schema> = {};
  for (const name of referencedClosure(roots)) componentSchemas[name] = schemas[name];
  return {
    openapi: "3.0.0",
    info: { title: "Kubernetes", version: KUBERNETES_VERSION },
    paths,
    components: {
      schemas: componentSchemas,
      securitySchemes: { BearerToken: { type: "apiKey", description: "Bearer token authentication", name: "authorization", in: "header" } },
    },
  };
}

/** Upstream's document hash: uppercase hex SHA-512 of the JSON document. */
export function openApiV3Hash(group: string, version: string): string {
  return createHash("sha512")
    .update(JSON.stringify(openApiV3Document(group, version) ?? {}))
    .digest("hex")
    .toUpperCase();
}

/**
 * GET /openapi/v3: `{paths: {"api/v1": {serverRelativeURL: "/openapi/v3/api/v1?hash=…"}, …}}`.
 * `hashFor(group, version)` names the document version (default: openApiV3Hash).
 */
export function openApiV3Root(hashFor: (group: string, version: string) => string = openApiV3Hash): Json {
  const paths: Record<string, Json> = {};
  const seen = new Set<string>();
  for (const r of resources) {
    const key = groupVersionPath(r.group, r.version);
    if (seen.has(key)) continue;
    seen.add(key);
    paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${hashFor(r.group, r.version)}` };
  }
  return { paths };
}

/** Rewrite a v3 schema node into Swagger 2.0 form (#/definitions refs, allOf refs flattened). */
function toV2(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toV2);
  if (typeof node !== "object" || node === null) return node;
  const src = node as Record<string, unknown>;
  if (Array.isArray(src.allOf) && src.allOf.length === 1 && typeof (src.allOf[0] as Json).$ref === "string") {
    const { allOf, default: _d, ...rest } = src;
    return { ...(toV2(rest) as Json), $ref: String((allOf as Json[])[0].$ref).replace(REF_PREFIX, "#/definitions/") };
  }
  const out: Json = {};
  for (const [k, v] of Object.entries(src)) {
    out[k] = k === "$ref" && typeof v === "string" ? v.replace(REF_PREFIX, "#/definitions/") : toV2(v);
  }
  return out;
}

/** Swagger 2.0 with every definition (what /openapi/v2 serves as JSON). */
export function openApiV2Document(): Json {
  const definitions: Json = {};
  for (const name of Object.keys(schemas).sort()) definitions[name] = toV2(schemas[name]);
  // Swagger 2.0 has no oneOf: upstream's v2 Quantity is a plain string.
  definitions["io.k8s.apimachinery.pkg.api.resource.Quantity"] = { type: "string", description: schemas["io.k8s.apimachinery.pkg.api.resource.Quantity"].description };
  return { swagger: "2.0", info: { title: "Kubernetes", version: KUBERNETES_VERSION }, paths: {}, definitions };
}
