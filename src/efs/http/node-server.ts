/**
 * The Node adapter: an http (or https, with `tls`) server that reads each request (body capped at
 * 1 MiB), hands it to the dispatcher and writes the answer. Sockets live only here.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import type { Logger } from "../../lib/log.js";
import { RequestEntityTooLarge } from "../errors.js";
import { errorResponse, type Dispatcher } from "./dispatch.js";
import type { EfsHttpRequest } from "./types.js";

export const MAX_BODY_BYTES = 1 << 20;

function headerValues(raw: string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    (out[name] ??= []).push(raw[i + 1]);
  }
  return out;
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(c);
    });
    req.on("end", () => resolve(tooLarge ? undefined : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function toRequest(req: IncomingMessage, body: Buffer): EfsHttpRequest {
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  const rawQuery = q < 0 ? "" : url.slice(q + 1);
  return {
    method: req.method ?? "GET",
    rawPath: q < 0 ? url : url.slice(0, q),
    rawQuery,
    query: new URLSearchParams(rawQuery),
    headers: headerValues(req.rawHeaders),
    body,
    remoteAddress: req.socket.remoteAddress,
  };
}

export interface ListenOptions {
  host: string;
  port: number;
  tls?: { cert: string | Buffer; key: string | Buffer };
}

export async function listen(dispatch: Dispatcher, opts: ListenOptions, log: Logger): Promise<{ server: Server; url: string }> {
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    readBody(req)
      .then(async (body) => {
        const out = body === undefined ? errorResponse(new RequestEntityTooLarge(`Request body exceeds ${MAX_BODY_BYTES} bytes.`)) : await dispatch(toRequest(req, body));
        res.writeHead(out.status, { ...out.headers, "content-length": Buffer.byteLength(out.body) });
        res.end(out.body);
      })
      .catch((err) => {
        log.warn("request aborted", { err });
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
  };
  const server: Server = opts.tls ? createHttpsServer({ cert: opts.tls.cert, key: opts.tls.key }, handler) : createHttpServer(handler);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const host = opts.host === "0.0.0.0" || opts.host === "::" ? "127.0.0.1" : opts.host.includes(":") ? `[${opts.host}]` : opts.host;
  return { server, url: `${opts.tls ? "https" : "http"}://${host}:${addr.port}` };
}
