/**
 * The Node transport: node:http/https with one keep-alive agent per client, so consecutive
 * requests reuse TCP+TLS connections and a watch holds one socket of its own. Supports a custom
 * CA bundle, skipping verification, an SNI/verification name, and client certificates.
 */
import * as http from "node:http";
import * as https from "node:https";
import type { IncomingMessage } from "node:http";
import { toNetworkError, type Transport } from "./transport.js";

export interface NodeTransportOptions {
  /** PEM bundle of CAs trusted for the server certificate (replaces the system roots). */
  ca?: string | Buffer;
  /** Accept any server certificate (kubeconfig `insecure-skip-tls-verify`). */
  insecureSkipTlsVerify?: boolean;
  /** Name used for SNI and certificate verification instead of the URL host (`tls-server-name`). */
  tlsServerName?: string;
  /** PEM client certificate and key for mutual TLS. */
  cert?: string | Buffer;
  key?: string | Buffer;
  /** Upper bound on sockets per host; watches each hold one. Default: unbounded, as Node's default. */
  maxSockets?: number;
}

export interface NodeTransport extends Transport {
  /** Close idle keep-alive sockets; in-flight requests are not interrupted. */
  close(): void;
}

async function* readIncoming(res: IncomingMessage, signal: AbortSignal): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of res) yield chunk as Buffer;
  } catch (err) {
    throw signal.aborted ? signal.reason : toNetworkError(err);
  }
  // A response cut short by the peer may end without an error on some Node paths.
  if (!res.complete) throw signal.aborted ? signal.reason : toNetworkError(Object.assign(new Error("response ended prematurely"), { code: "ECONNRESET" }));
  if (signal.aborted) throw signal.reason;
}

export function nodeTransport(options: NodeTransportOptions = {}): NodeTransport {
  const common = { keepAlive: true, keepAliveMsecs: 15_000, maxSockets: options.maxSockets ?? Infinity };
  const httpAgent = new http.Agent(common);
  const httpsAgent = new https.Agent({
    ...common,
    ca: options.ca,
    cert: options.cert,
    key: options.key,
    rejectUnauthorized: !options.insecureSkipTlsVerify,
    servername: options.tlsServerName,
  });

  const transport = ((req) =>
    new Promise((resolve, reject) => {
      if (req.signal.aborted) return reject(req.signal.reason);
      const url = new URL(req.url);
      const secure = url.protocol === "https:";
      const headers: Record<string, string | number> = { ...req.headers };
      if (req.body !== undefined) headers["content-length"] = Buffer.byteLength(req.body);
      const requestOptions: https.RequestOptions = { method: req.method, headers, agent: secure ? httpsAgent : httpAgent, signal: req.signal };
      if (secure && options.tlsServerName) requestOptions.servername = options.tlsServerName;
      const r = (secure ? https : http).request(url, requestOptions, (res) => {
        // Keep a late socket error from becoming an uncaught exception if nobody reads the body.
        res.on("error", () => {});
        const flat: Record<string, string | undefined> = {};
        for (const [k, v] of Object.entries(res.headers)) flat[k] = Array.isArray(v) ? v.join(", ") : v;
        resolve({ status: res.statusCode ?? 0, headers: flat, body: readIncoming(res, req.signal) });
      });
      r.on("error", (err) => reject(req.signal.aborted ? req.signal.reason : toNetworkError(err)));
      r.end(req.body);
    })) as NodeTransport;
  transport.close = () => {
    httpAgent.destroy();
    httpsAgent.destroy();
  };
  return transport;
}
