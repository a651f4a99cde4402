/**
 * /openapi/v3 (kubectl's apply/create/replace/diff validate against it; explain reads it) and
 * /openapi/v2. Group-version documents are served under a content hash with immutable caching,
 * so kubectl's HTTP cache keeps them across runs.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { createHash } from "node:crypto";
import { StatusError } from "../../api/status.js";
import { openApiV2Document, openApiV3Document } from "../../api/index.js";
import type { ResourceTraits } from "../../api/types.js";
import { sendJson } from "./respond.js";
import { authorizationOpenApiDocument } from "./openapi-authorization.js";

/** Group/versions served by handlers rather than stored kinds, with their own documents. */
const HANDLER_DOCUMENTS: Record<string, () => unknown> = { "apis/authorization.k8s.io/v1": authorizationOpenApiDocument };

interface CachedDoc {
  body: Buffer;
  hash: string;
}

export class OpenApiServer {
  private v3 = new Map<string, CachedDoc>();
  private v2?: Buffer;

  constructor(private resources: ResourceTraits[]) {}

  private gvPaths(): string[] {
    const seen = new Set<string>();
    for (const r of this.resources) seen.add(r.group ? `apis/${r.group}/${r.version}` : `api/${r.version}`);
    for (const p of Object.keys(HANDLER_DOCUMENTS)) seen.add(p);
    return [...seen].sort();
  }

  private doc(path: string): CachedDoc | undefined {
    const d = this.v3.get(path);
    if (d) return d;
    const handlerDoc = HANDLER_DOCUMENTS[path];
    if (handlerDoc) return this.remember(path, handlerDoc());
    const m = /^(?:api\/(v\d\w*)|apis\/([^/]+)\/(v\d\w*))$/.exec(path);
    if (!m) return undefined;
    const group = m[2] ?? "";
    const version = m[1] ?? m[3];
    if (!this.resources.some((r) => r.group === group && r.version === version)) return undefined;
    return this.remember(path, openApiV3Document(group, version));
  }

  private remember(path: string, doc: unknown): CachedDoc {
    const body = Buffer.from(JSON.stringify(doc));
    const d = { body, hash: createHash("sha512").update(body).digest("hex").slice(0, 128).toUpperCase() };
    this.v3.set(path, d);
    return d;
  }

  serve(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): void {
    if (path === "/openapi/v2") {
      // kubectl asks for protobuf first; we only speak JSON, and it copes with a refusal.
      const accept = String(req.headers.accept ?? "application/json");
      if (!/application\/json|\*\/\*/.test(accept)) {
        throw new StatusError(406, "NotAcceptable", `only the following media types are accepted: application/json`);
      }
      if (!this.v2) this.v2 = Buffer.from(JSON.stringify(openApiV2Document()));
      res.writeHead(200, { "Content-Type": "application/json", "Content-Length": this.v2.length });
      res.end(this.v2);
      return;
    }
    if (path === "/openapi/v3" || path === "/openapi/v3/") {
      const paths: Record<string, { serverRelativeURL: string }> = {};
      for (const p of this.gvPaths()) {
        const d = this.doc(p);
        if (d) paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${d.hash}` };
      }
      sendJson(req, res, 200, { paths });
      return;
    }
    const sub = path.replace(/^\/openapi\/v3\//, "");
    const d = this.doc(sub);
    if (!d) throw new StatusError(404, "NotFound", "the server could not find the requested resource");
    const headers: Record<string, string | number> = { "Content-Type": "application/json", "Content-Length": d.body.length, ETag: `"${d.hash}"` };
    if (query.get("hash") === d.hash) headers["Cache-Control"] = "public, immutable";
    else headers["Cache-Control"] = "no-cache, private";
    res.writeHead(200, headers);
    res.end(d.body);
  }
}
