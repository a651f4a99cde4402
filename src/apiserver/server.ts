/**
 * The HTTPS server: authentication, routing to discovery, OpenAPI, health, metrics and the
 * resource handlers, and the error edge (every failure leaves as a Kubernetes Status).
 */
import https from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { StatusError, internalError } from "../api/status.js";
import { isStoreError } from "../store/types.js";
import type { ResourceTraits } from "../api/types.js";
import { createLogger } from "../lib/log.js";
import type { TokenAuthenticator } from "./auth/authenticate.js";
import { isPublicPath } from "./auth/authenticate.js";
import { parseRequestInfo } from "./http/request-info.js";
import { negotiate } from "./http/negotiate.js";
import { sendJson, sendStatus } from "./http/respond.js";
import { serveHealth, serveVersion, type HealthCheck } from "./http/health.js";
import {
  AGGREGATED_CONTENT_TYPE, aggregatedCore, aggregatedGroups, legacyApiGroup, legacyApiGroupList, legacyApiVersions, legacyResourceList,
} from "./http/discovery.js";
import { OpenApiServer } from "./http/openapi.js";
import { handleResource, type ResourceHandlerContext } from "./handlers/resource.js";
import { handleAuthorizationReview } from "./handlers/access-reviews.js";
import { AUTHORIZATION_GROUP, AUTHORIZATION_RESOURCES } from "./handlers/authorization-resources.js";
import type { UserInfo } from "./registry/admission.js";
import { ApiMetrics } from "./http/metrics.js";
import type { RbacAuthorizer } from "./auth/rbac/authorizer.js";
import type { Attributes } from "./auth/rbac/types.js";
import type { ClientLimiter } from "./http/rate-limit.js";
import { AuditLog } from "./http/audit.js";
import type { RequestInfo } from "./http/request-info.js";

const log = createLogger("apiserver");

/**
 * Request line plus headers, as Go's http.DefaultMaxHeaderBytes (kube-apiserver keeps it). Node's
 * default of 16 KiB refused GETs of objects we had accepted: a path-segment name (RBAC, no length
 * limit upstream) of a few thousand non-ASCII characters is several times longer percent-encoded.
 */
export const MAX_REQUEST_HEAD_BYTES = 1 << 20;

export type RawHandler = (req: IncomingMessage, res: ServerResponse, user: UserInfo | undefined) => Promise<boolean>;

export interface ServerDeps {
  resources: ResourceTraits[];
  auth: TokenAuthenticator;
  authz: RbacAuthorizer;
  limiter: ClientLimiter;
  audit?: AuditLog;
  handlerContext: ResourceHandlerContext;
  healthChecks: Record<string, HealthCheck>;
  /** Extra handlers tried before the API (e.g. the dashboard under /ui/); return true when handled. */
  extraHandlers: RawHandler[];
  /** WebSocket upgrades (pods/exec); return true when handled. */
  upgradeHandlers: ((req: IncomingMessage, socket: Socket, head: Buffer, user: UserInfo) => boolean)[];
}

export function createHttpsServer(tls: { cert: string; key: string }, deps: ServerDeps): https.Server {
  const openapi = new OpenApiServer(deps.resources);
  const metrics = new ApiMetrics();
  // Discovery also lists the create-only review kinds, which are not stored kinds.
  const discoverable = [...deps.resources, ...AUTHORIZATION_RESOURCES];
  const server = https.createServer({ cert: tls.cert, key: tls.key, keepAlive: true, requestTimeout: 0, maxHeaderSize: MAX_REQUEST_HEAD_BYTES });

  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const started = process.hrtime.bigint();
    const received = new Date();
    let info: RequestInfo | undefined;
    let user: UserInfo | undefined;
    res.on("finish", () => {
      metrics.observe(info?.verb ?? "unknown", info?.resource ?? "", res.statusCode, Number(process.hrtime.bigint() - started) / 1e9);
      if (!info) return;
      if (info.group === "rbac.authorization.k8s.io" && res.statusCode < 300 && info.verb !== "get" && info.verb !== "list" && info.verb !== "watch") deps.authz.invalidate();
      if (deps.audit && AuditLog.shouldAudit(info)) {
        deps.audit.record({ info, user, code: res.statusCode, uri: req.url ?? "", sourceIp: req.socket.remoteAddress ?? "", userAgent: String(req.headers["user-agent"] ?? ""), received });
      }
    });
    void (async () => {
      const url = new URL(req.url ?? "/", "https://localhost");
      const path = url.pathname.replace(/\/+$/, "") || "/";
      const query = url.searchParams;
      try {
        user = await deps.auth.authenticate(req);
        for (const h of deps.extraHandlers) if (await h(req, res, user)) return;
        info = parseRequestInfo(req.method ?? "GET", path, query);
        if (!user) {
          if (!isPublicPath(path)) throw new StatusError(401, "Unauthorized", "Unauthorized");
        } else {
          deps.limiter.admit(user);
          await deps.authz.authorize(attributesFor(user, info, path, req.method ?? "GET"));
        }
        if (path === "/version") return serveVersion(req, res);
        if (/^\/(healthz|livez|readyz)(\/|$)/.test(path)) return await serveHealth(req, res, path, query, deps.healthChecks);
        if (path === "/metrics") return metrics.serve(res);
        if (path.startsWith("/openapi/")) return openapi.serve(req, res, path, query);
        const accept = negotiate(req.headers.accept);
        if (path === "/api") {
          if (accept.aggregatedDiscovery) return sendJson(req, res, 200, aggregatedCore(discoverable), {}, AGGREGATED_CONTENT_TYPE);
          return sendJson(req, res, 200, legacyApiVersions(`${req.socket.localAddress}:${req.socket.localPort}`));
        }
        if (path === "/apis") {
          if (accept.aggregatedDiscovery) return sendJson(req, res, 200, aggregatedGroups(discoverable), {}, AGGREGATED_CONTENT_TYPE);
          return sendJson(req, res, 200, legacyApiGroupList(discoverable));
        }
        if (!info.isResourceRequest) {
          if (info.apiPrefix === "api" && info.version) {
            const list = legacyResourceList(discoverable, "", info.version);
            if (list) return sendJson(req, res, 200, list);
          } else if (info.apiPrefix === "apis" && info.group && !info.version) {
            const g = legacyApiGroup(discoverable, info.group);
            if (g) return sendJson(req, res, 200, g);
          } else if (info.apiPrefix === "apis" && info.version) {
            const list = legacyResourceList(discoverable, info.group, info.version);
            if (list) return sendJson(req, res, 200, list);
          }
          throw new StatusError(404, "NotFound", "the server could not find the requested resource");
        }
        if (info.verb === "watch") {
          const release = deps.limiter.startWatch(user!);
          res.on("close", release);
        }
        if (info.group === AUTHORIZATION_GROUP) return await handleAuthorizationReview(req, res, info, user!, deps.authz);
        await handleResource(req, res, info, query, user!, deps.handlerContext);
      } catch (err) {
        if (err instanceof StatusError) {
          sendStatus(req, res, err);
        } else if (isStoreError(err, "Unavailable")) {
          // As upstream when etcd cannot answer: retryable, not a server bug.
          sendStatus(req, res, new StatusError(503, "ServiceUnavailable", `the storage is unavailable: ${(err as Error).message}`, { retryAfterSeconds: 1 }));
        } else {
          log.error("request failed", { method: req.method, path, err: (err as Error).stack ?? String(err) });
          sendStatus(req, res, internalError((err as Error).message ?? String(err)));
        }
      }
    })();
  });

  server.on("upgrade", (req: IncomingMessage, socket: Socket, head: Buffer) => {
    void (async () => {
      const user = await deps.auth.authenticate(req).catch(() => undefined);
      if (!user) {
        socket.end("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        return;
      }
      try {
        deps.limiter.admit(user);
      } catch {
        socket.end("HTTP/1.1 429 Too Many Requests\r\nRetry-After: 1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        return;
      }
      for (const h of deps.upgradeHandlers) if (h(req, socket, head, user)) return;
      socket.end("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    })();
  });
  server.on("clientError", (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return;
    // As Go's server: a head over the limit is 431, anything else the parser refuses is 400.
    if (err.code === "HPE_HEADER_OVERFLOW") socket.end("HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    else socket.end("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  });
  return server;
}

/** The authorizer's view of a request (upstream's RequestInfo → authorizer.Attributes). */
export function attributesFor(user: UserInfo, info: RequestInfo, path: string, method: string): Attributes {
  if (!info.isResourceRequest) {
    return { user, verb: method.toLowerCase() === "head" ? "get" : method.toLowerCase(), resourceRequest: false, path, apiGroup: "", resource: "", subresource: "", namespace: "", name: "" };
  }
  return {
    user, verb: info.verb, resourceRequest: true, path, apiGroup: info.group, resource: info.resource,
    subresource: info.subresource, namespace: info.namespace, name: info.name,
  };
}

export function listen(server: https.Server, host: string, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve(server.address() as AddressInfo);
    });
  });
}
