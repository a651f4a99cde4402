/**
 * The HTTPS server: authentication, routing to discovery, OpenAPI, health, metrics and the
 * resource handlers, and the error edge (every failure leaves as a Kubernetes Status).
 */
import https from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { StatusError, internalError } from "../api/status.js";
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
import type { UserInfo } from "./registry/admission.js";
import { ApiMetrics } from "./http/metrics.js";

const log = createLogger("apiserver");

export type RawHandler = (req: IncomingMessage, res: ServerResponse, user: UserInfo | undefined) => Promise<boolean>;

export interface ServerDeps {
  resources: ResourceTraits[];
  auth: TokenAuthenticator;
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
  const server = https.createServer({ cert: tls.cert, key: tls.key, keepAlive: true, requestTimeout: 0 });

  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const started = process.hrtime.bigint();
    let verb = "unknown";
    let resource = "";
    res.on("finish", () => metrics.observe(verb, resource, res.statusCode, Number(process.hrtime.bigint() - started) / 1e9));
    void (async () => {
      const url = new URL(req.url ?? "/", "https://localhost");
      const path = url.pathname.replace(/\/+$/, "") || "/";
      const query = url.searchParams;
      try {
        const user = deps.auth.authenticate(req);
        for (const h of deps.extraHandlers) if (await h(req, res, user)) return;
        if (!user && !isPublicPath(path)) {
          throw new StatusError(401, "Unauthorized", "Unauthorized");
        }
        if (path === "/version") return serveVersion(req, res);
        if (/^\/(healthz|livez|readyz)(\/|$)/.test(path)) return await serveHealth(req, res, path, query, deps.healthChecks);
        if (path === "/metrics") return metrics.serve(res);
        if (path.startsWith("/openapi/")) return openapi.serve(req, res, path, query);
        const accept = negotiate(req.headers.accept);
        if (path === "/api") {
          if (accept.aggregatedDiscovery) return sendJson(req, res, 200, aggregatedCore(deps.resources), {}, AGGREGATED_CONTENT_TYPE);
          return sendJson(req, res, 200, legacyApiVersions(`${req.socket.localAddress}:${req.socket.localPort}`));
        }
        if (path === "/apis") {
          if (accept.aggregatedDiscovery) return sendJson(req, res, 200, aggregatedGroups(deps.resources), {}, AGGREGATED_CONTENT_TYPE);
          return sendJson(req, res, 200, legacyApiGroupList(deps.resources));
        }
        const info = parseRequestInfo(req.method ?? "GET", path, query);
        verb = info.verb;
        resource = info.resource;
        if (!info.isResourceRequest) {
          if (info.apiPrefix === "api" && info.version) {
            const list = legacyResourceList(deps.resources, "", info.version);
            if (list) return sendJson(req, res, 200, list);
          } else if (info.apiPrefix === "apis" && info.group && !info.version) {
            const g = legacyApiGroup(deps.resources, info.group);
            if (g) return sendJson(req, res, 200, g);
          } else if (info.apiPrefix === "apis" && info.version) {
            const list = legacyResourceList(deps.resources, info.group, info.version);
            if (list) return sendJson(req, res, 200, list);
          }
          throw new StatusError(404, "NotFound", "the server could not find the requested resource");
        }
        await handleResource(req, res, info, query, user!, deps.handlerContext);
      } catch (err) {
        if (err instanceof StatusError) {
          sendStatus(req, res, err);
        } else {
          log.error("request failed", { method: req.method, path, err: (err as Error).stack ?? String(err) });
          sendStatus(req, res, internalError((err as Error).message ?? String(err)));
        }
      }
    })();
  });

  server.on("upgrade", (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const user = deps.auth.authenticate(req);
    if (!user) {
      socket.end("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
      return;
    }
    for (const h of deps.upgradeHandlers) if (h(req, socket, head, user)) return;
    socket.end("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  });
  server.on("clientError", (_err, socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
  });
  return server;
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
