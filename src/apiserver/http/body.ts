/**
 * Reads a request body with kube-apiserver's limit for writes (3 MiB): larger bodies get 413
 * before they are buffered whole.
 */
import type { IncomingMessage } from "node:http";
import { createGunzip } from "node:zlib";
import { StatusError } from "../../api/status.js";

export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export function tooLarge(): StatusError {
  return new StatusError(413, "RequestEntityTooLarge", `Request entity too large: limit is ${MAX_BODY_BYTES}`);
}

export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? "0");
  if (declared > limit) throw tooLarge();
  const source = String(req.headers["content-encoding"] ?? "").includes("gzip") ? req.pipe(createGunzip()) : req;
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of source) {
      size += (chunk as Buffer).length;
      if (size > limit) {
        req.destroy();
        throw tooLarge();
      }
      chunks.push(chunk as Buffer);
    }
  } catch (e) {
    if (e instanceof StatusError) throw e;
    // A body that does not decode as its Content-Encoding says is the client's error.
    throw new StatusError(400, "BadRequest", `error reading the request body: ${(e as Error).message}`);
  }
  return Buffer.concat(chunks);
}
