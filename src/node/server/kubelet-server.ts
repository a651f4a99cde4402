/**
 * The kubelet API of this node, over HTTPS. Only the API server may call it: the TLS handshake requires a client
 * certificate signed by the cluster CA, and its subject CN must be `cistern:apiserver` (403 otherwise). Routes:
 *   GET /healthz                                      "ok"
 *   GET /containerLogs/{namespace}/{pod}/{container}  logs (text/plain, streamed)
 *   GET /exec/{namespace}/{pod}/{container}           exec, WebSocket upgrade (v5.channel.k8s.io)
 *   GET /stats/summary                                Summary API (JSON)
 *   GET /metrics                                      Prometheus text
 *   GET /pods                                         the pods bound to this node (PodList)
 * Errors are Kubernetes Status objects.
 */
import https from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import type { TLSSocket } from "node:tls";
import type { Logger } from "../../lib/log.js";
import { KubeletError, refuseUpgrade, sendError, sendText } from "./respond.js";

export const APISERVER_CLIENT_CN = "cistern:apiserver";

export interface KubeletRoutes {
  logs(req: IncomingMessage, res: ServerResponse, ns: string, pod: string, container: string, q: URLSearchParams): Promise<void>;
  exec(req: IncomingMessage, socket: Duplex, head: Buffer, ns: string, pod: string, container: string, q: URLSearchParams): void;
  summary(): Promise<unknown>;
  metrics(): Promise<{ contentType: string; body: string }>;
  pods(): unknown;
}

export interface KubeletServerOptions {
  host: string;
  port: number;
  cert: string;
  key: string;
  /** CA whose signature the caller's client certificate must carry. */
  clientCaPem: string;
  /** Required subject CN of the caller (default cistern:apiserver). */
  allowedCommonName?: string;
  routes: KubeletRoutes;
  log: Logger;
}

export interface KubeletServer {
  port: number;
  close(): Promise<void>;
}

function segments(pathname: string): string[] | undefined {
  try {
    return pathname.split("/").filter(Boolean).map(decodeURIComponent);
  } catch {
    return undefined;
  }
}

function authorize(socket: TLSSocket, allowed: string): void {
  const cert = socket.getPeerCertificate();
  const cn = cert && typeof cert.subject === "object" ? cert.subject.CN : undefined;
  if (!socket.authorized || !cert || cn !== allowed) {
    throw new KubeletError(403, "Forbidden", `Forbidden (user=${cn ?? "system:anonymous"}, verb=get, resource=nodes, subresource=proxy)`);
  }
}

export async function startKubeletServer(o: KubeletServerOptions): Promise<KubeletServer> {
  const allowed = o.allowedCommonName ?? APISERVER_CLIENT_CN;
  const server = https.createServer({ cert: o.cert, key: o.key, ca: o.clientCaPem, requestCert: true, rejectUnauthorized: true });

  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      try {
        authorize(req.socket as TLSSocket, allowed);
        const url = new URL(req.url ?? "/", "https://kubelet");
        const parts = segments(url.pathname);
        if (!parts) throw new KubeletError(400, "BadRequest", "malformed path");
        if ((req.method ?? "GET") !== "GET") throw new KubeletError(405, "MethodNotAllowed", `method ${req.method} is not allowed`);
        const [first, ...rest] = parts;
        if (first === "healthz" && rest.length === 0) return sendText(res, 200, "ok");
        if (first === "containerLogs" && rest.length === 3) return await o.routes.logs(req, res, rest[0], rest[1], rest[2], url.searchParams);
        if (first === "stats" && rest.length === 1 && rest[0] === "summary") return sendText(res, 200, JSON.stringify(await o.routes.summary()), "application/json");
        if (first === "metrics" && rest.length === 0) {
          const m = await o.routes.metrics();
          return sendText(res, 200, m.body, m.contentType);
        }
        if (first === "pods" && rest.length === 0) return sendText(res, 200, JSON.stringify(o.routes.pods()), "application/json");
        if (first === "exec") throw new KubeletError(400, "BadRequest", "exec needs a WebSocket upgrade (v5.channel.k8s.io)");
        throw new KubeletError(404, "NotFound", `the server could not find the requested resource (${url.pathname})`);
      } catch (e) {
        if (!(e instanceof KubeletError)) o.log.warn("kubelet API request failed", { url: req.url, err: e });
        sendError(res, e);
      }
    })();
  });

  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    try {
      authorize(socket as TLSSocket, allowed);
      const url = new URL(req.url ?? "/", "https://kubelet");
      const parts = segments(url.pathname);
      if (!parts || parts[0] !== "exec" || parts.length !== 4) throw new KubeletError(404, "NotFound", `no upgrade handler for ${url.pathname}`);
      o.routes.exec(req, socket, head, parts[1], parts[2], parts[3], url.searchParams);
    } catch (e) {
      refuseUpgrade(socket, e);
    }
  });
  server.on("tlsClientError", (err) => o.log.debug("kubelet API TLS handshake refused", { err: err.message }));

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port, o.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  o.log.info("kubelet API serving", { address: `${o.host}:${port}` });
  return {
    port,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
