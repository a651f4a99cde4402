/** Answers of the kubelet API: Kubernetes Status objects for errors (the API server relays them to kubectl). */
import type { ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import type { StatusObject, StatusReason } from "../../api/status.js";

export class KubeletError extends Error {
  constructor(
    readonly code: number,
    readonly reason: StatusReason,
    message: string,
  ) {
    super(message);
    this.name = "KubeletError";
  }

  toStatus(): StatusObject {
    return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: this.message, reason: this.reason, code: this.code };
  }
}

export const badRequest = (m: string) => new KubeletError(400, "BadRequest", m);
export const notFound = (m: string) => new KubeletError(404, "NotFound", m);

export function sendError(res: ServerResponse, e: unknown): void {
  const err = e instanceof KubeletError ? e : new KubeletError(500, "InternalError", (e as Error)?.message ?? String(e));
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify(err.toStatus());
  res.writeHead(err.code, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}

/** Refuse an upgrade request on its raw socket (no WebSocket is ever opened). */
export function refuseUpgrade(socket: Duplex, e: unknown): void {
  const err = e instanceof KubeletError ? e : new KubeletError(500, "InternalError", (e as Error)?.message ?? String(e));
  const body = JSON.stringify(err.toStatus());
  socket.end(`HTTP/1.1 ${err.code} ${err.reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

export function sendText(res: ServerResponse, code: number, text: string, type = "text/plain; charset=utf-8"): void {
  res.writeHead(code, { "Content-Type": type, "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}
