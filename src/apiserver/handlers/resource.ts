/**
 * Resource requests: GET/LIST/WATCH, POST, PUT, PATCH, DELETE and DELETECOLLECTION on
 * /api/v1/… and /apis/<group>/<version>/…, plus the status subresource. Other subresources
 * (pods/log, pods/exec, pods/binding, nodes/proxy) are routed to their own handlers.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { KubeObject, ResourceTraits } from "../../api/types.js";
import { badRequest, methodNotAllowed, StatusError } from "../../api/status.js";
import type { UserInfo } from "../registry/admission.js";
import type { RegistryContext, WriteOptions } from "../registry/context.js";
import { getObject, listObjects, listObjectsRaw, type ListOutput } from "../registry/read.js";
import { createObject, updateObject, asObject } from "../registry/write.js";
import { deleteObject, parseDeleteOptions } from "../registry/delete.js";
import { buildFilter, type ObjectFilter } from "../registry/selectors.js";
import type { RequestInfo } from "../http/request-info.js";
import { decodeBody, negotiate, patchTypeOf } from "../http/negotiate.js";
import { readBody } from "../http/body.js";
import { sendJson, sendJsonBytes, successStatus, warningHeaders } from "../http/respond.js";
import { parseIncludeObject, toTable } from "../http/table.js";
import { serveWatch } from "../watch/serve-watch.js";
import type { WatchHub } from "../watch/watch-hub.js";
import { applyPatch } from "./patch.js";

export interface ResourceHandlerContext {
  registry: RegistryContext;
  hub: WatchHub;
  resources: ResourceTraits[];
  /** Subresource handlers beyond status (log, exec, binding, proxy…), keyed "plural/subresource". */
  subresources: Map<string, SubresourceHandler>;
}

export type SubresourceHandler = (req: IncomingMessage, res: ServerResponse, info: RequestInfo, t: ResourceTraits, user: UserInfo, query: URLSearchParams) => Promise<void>;

const FIELD_MANAGER_MAX = 128;

function writeOptions(req: IncomingMessage, query: URLSearchParams, user: UserInfo, subresource: string): WriteOptions {
  const dry = query.getAll("dryRun");
  for (const d of dry) if (d !== "All") throw badRequest(`dryRun: Unsupported value: "${d}": supported values: "All"`);
  const fv = query.get("fieldValidation") ?? "Warn";
  if (!["Strict", "Warn", "Ignore"].includes(fv)) throw badRequest(`fieldValidation: Unsupported value: "${fv}": supported values: "Ignore", "Strict", "Warn"`);
  let manager = query.get("fieldManager") ?? "";
  if (!manager) manager = String(req.headers["user-agent"] ?? "unknown").split("/")[0] || "unknown";
  if (manager.length > FIELD_MANAGER_MAX) throw badRequest(`fieldManager: Too long: must have at most ${FIELD_MANAGER_MAX} bytes`);
  return { dryRun: dry.length > 0, fieldManager: manager, fieldValidation: fv as WriteOptions["fieldValidation"], user, subresource };
}

function namespaceFilter(t: ResourceTraits, ns: string, base?: ObjectFilter): ObjectFilter | undefined {
  if (!t.namespaced || !ns) return base;
  return base ? (o) => o.metadata.namespace === ns && base(o) : (o) => o.metadata.namespace === ns;
}

function parseLimit(v: string | null): number {
  if (v === null || v === "") return 0;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw badRequest(`invalid limit: ${v}`);
  return n;
}

function resolveResource(ctx: ResourceHandlerContext, info: RequestInfo): ResourceTraits {
  const t = ctx.resources.find((r) => r.group === info.group && r.version === info.version && r.plural === info.resource);
  if (!t) throw new StatusError(404, "NotFound", `the server could not find the requested resource`);
  if (!t.namespaced && info.namespace) throw new StatusError(404, "NotFound", `the server could not find the requested resource`);
  if (t.namespaced && info.name && !info.namespace && info.verb !== "list" && info.verb !== "watch") {
    throw new StatusError(404, "NotFound", `the server could not find the requested resource`);
  }
  return t;
}

function listEnvelope(t: ResourceTraits, out: ListOutput<unknown>): { kind: string; apiVersion: string; metadata: Record<string, unknown> } {
  const metadata: Record<string, unknown> = { resourceVersion: out.resourceVersion };
  if (out.continueToken) metadata.continue = out.continueToken;
  if (out.remainingItemCount !== undefined) metadata.remainingItemCount = out.remainingItemCount;
  return { kind: t.listKind, apiVersion: t.group ? `${t.group}/${t.version}` : t.version, metadata };
}

/** A JSON list from items already serialised: the same bytes sendJson would produce from the objects. */
function sendRawList(req: IncomingMessage, res: ServerResponse, t: ResourceTraits, out: ListOutput<Buffer>): void {
  const head = JSON.stringify({ ...listEnvelope(t, out), items: [] });
  const parts: Buffer[] = [Buffer.from(head.slice(0, -2))];
  out.items.forEach((item, i) => (i === 0 ? parts.push(item) : parts.push(COMMA, item)));
  parts.push(Buffer.from("]}"));
  sendJsonBytes(req, res, 200, Buffer.concat(parts));
}

const COMMA = Buffer.from(",");

export async function handleResource(req: IncomingMessage, res: ServerResponse, info: RequestInfo, query: URLSearchParams, user: UserInfo, ctx: ResourceHandlerContext): Promise<void> {
  const t = resolveResource(ctx, info);
  if (info.subresource && info.subresource !== "status") {
    const h = ctx.subresources.get(`${t.plural}/${info.subresource}`);
    if (!h) throw new StatusError(404, "NotFound", `the server could not find the requested resource`);
    return h(req, res, info, t, user, query);
  }
  if (info.subresource === "status" && !t.subresources.includes("status")) {
    throw new StatusError(404, "NotFound", `the server could not find the requested resource`);
  }
  const ns = t.namespaced ? info.namespace || undefined : undefined;
  const accept = negotiate(req.headers.accept);
  const reg = ctx.registry;

  const respondObject = (code: number, obj: KubeObject, warnings: string[] = []) => {
    if (accept.table) {
      sendJson(req, res, code, toTable(t, [obj], { includeObject: parseIncludeObject(query.get("includeObject")), resourceVersion: obj.metadata.resourceVersion }), warningHeaders(warnings));
    } else {
      sendJson(req, res, code, obj, warningHeaders(warnings));
    }
  };

  switch (info.verb) {
    case "get":
      return respondObject(200, await getObject(reg, t, ns, info.name));
    case "list": {
      const filter = buildFilter(t, query.get("labelSelector"), query.get("fieldSelector"));
      const params = {
        filter,
        limit: parseLimit(query.get("limit")),
        continueToken: query.get("continue") || undefined,
        resourceVersion: query.get("resourceVersion") ?? undefined,
        resourceVersionMatch: query.get("resourceVersionMatch") ?? undefined,
      };
      if (!accept.table && !filter) return sendRawList(req, res, t, await listObjectsRaw(reg, t, ns, params));
      const out = await listObjects(reg, t, ns, params);
      if (accept.table) {
        return sendJson(req, res, 200, toTable(t, out.items, {
          includeObject: parseIncludeObject(query.get("includeObject")),
          resourceVersion: out.resourceVersion,
          continueToken: out.continueToken,
          remainingItemCount: out.remainingItemCount,
        }));
      }
      return sendJson(req, res, 200, { ...listEnvelope(t, out), items: out.items });
    }
    case "watch": {
      let filter = buildFilter(t, query.get("labelSelector"), query.get("fieldSelector"));
      if (info.name) {
        const name = info.name;
        const base = filter;
        filter = (o) => o.metadata.name === name && (!base || base(o));
      }
      const ts = query.get("timeoutSeconds");
      return serveWatch(res, reg, ctx.hub, t, {
        namespace: ns,
        resourceVersion: query.get("resourceVersion") ?? undefined,
        filter: namespaceFilter(t, ns ?? "", filter),
        table: accept.table,
        includeObject: parseIncludeObject(query.get("includeObject")),
        allowBookmarks: query.get("allowWatchBookmarks") === "true",
        timeoutSeconds: ts ? Number(ts) : undefined,
      });
    }
    case "create": {
      if (info.name) throw methodNotAllowed(`the server does not allow this method on the requested resource`);
      const opts = writeOptions(req, query, user, "");
      const body = decodeBody(await readBody(req), req.headers["content-type"]);
      const out = await createObject(reg, t, ns, body, opts);
      // The audit log names the created object, as upstream's does.
      info.name = out.object.metadata.name ?? "";
      return respondObject(201, out.object, out.warnings);
    }
    case "update": {
      const opts = writeOptions(req, query, user, info.subresource);
      const body = asObject(decodeBody(await readBody(req), req.headers["content-type"]));
      const sentRv = body.metadata.resourceVersion;
      const isStatus = info.subresource === "status";
      const out = await updateObject(reg, t, ns, info.name, {
        desired: () => structuredClone(body),
        preconditionRv: sentRv || undefined,
        allowCreate: !isStatus && allowsCreateOnUpdate(t),
      }, opts);
      return respondObject(out.created ? 201 : 200, out.object, out.warnings);
    }
    case "patch": {
      const type = patchTypeOf(req.headers["content-type"]);
      if (!type) {
        throw new StatusError(415, "UnsupportedMediaType", `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`);
      }
      const opts = writeOptions(req, query, user, info.subresource);
      if (type === "apply" && !query.get("fieldManager")) throw badRequest("PATCH request with apply patch must have a fieldManager");
      const patchBody = decodeBody(await readBody(req), req.headers["content-type"]);
      const force = query.get("force") === "true";
      if (force && type !== "apply") throw badRequest("force may not be set for non-apply patch");
      const out = await applyPatch(reg, t, ns, info.name, type, patchBody, force, opts);
      return respondObject(out.created ? 201 : 200, out.object, out.warnings);
    }
    case "delete": {
      const opts = writeOptions(req, query, user, "");
      const raw = await readBody(req);
      const body = raw.length ? decodeBody(raw, req.headers["content-type"]) : undefined;
      const o = parseDeleteOptions(body, query);
      if (o.dryRun?.length) opts.dryRun = true;
      const out = await deleteObject(reg, t, ns, info.name, o, opts);
      return respondObject(200, out.object);
    }
    case "deletecollection": {
      const opts = writeOptions(req, query, user, "");
      const raw = await readBody(req);
      const o = parseDeleteOptions(raw.length ? decodeBody(raw, req.headers["content-type"]) : undefined, query);
      const filter = buildFilter(t, query.get("labelSelector"), query.get("fieldSelector"));
      const listed = await listObjects(reg, t, ns, { filter, limit: 0 });
      for (const item of listed.items) {
        try {
          await deleteObject(reg, t, item.metadata.namespace, item.metadata.name!, o, opts);
        } catch (e) {
          if (!(e instanceof StatusError && e.reason === "NotFound")) throw e;
        }
      }
      return sendJson(req, res, 200, successStatus());
    }
    default:
      throw methodNotAllowed(`the server does not allow this method on the requested resource`);
  }
}

/** Upstream's AllowCreateOnUpdate: a PUT to a missing object creates it for these kinds only. */
const CREATE_ON_UPDATE = new Set(["Event", "Lease", "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"]);

function allowsCreateOnUpdate(t: ResourceTraits): boolean {
  return CREATE_ON_UPDATE.has(t.kind);
}
