/**
 * GET /containerLogs/{namespace}/{pod}/{container}: the container's log as text/plain, streamed (follow keeps the
 * response open until the container exits). Errors are the kubelet's: a container that never started is
 * `container "x" in pod "y" is waiting to start: <reason>`; --previous without an earlier attempt is
 * `previous terminated container "x" in pod "y" not found`. The log file is opened by the runtime with safe-path
 * (O_NOFOLLOW beneath its own directory).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { pipeline } from "node:stream/promises";
import { isRuntimeError, type Runtime } from "../runtime/index.js";
import { findTarget, waitingReason, type PodLookup } from "./pod-lookup.js";
import { logOptions } from "./query.js";
import { badRequest } from "./respond.js";

export async function serveContainerLogs(runtime: Runtime, lookup: PodLookup, req: IncomingMessage, res: ServerResponse, ns: string, pod: string, container: string, q: URLSearchParams): Promise<void> {
  const opts = logOptions(q);
  const t = findTarget(lookup, ns, pod, container);
  const latest = t.attempts[0];
  if (!latest) throw badRequest(`container "${container}" in pod "${pod}" is waiting to start: ${waitingReason(t.pod, container)}`);
  let stream;
  try {
    stream = await runtime.readLogs(latest.id, opts);
  } catch (e) {
    if (isRuntimeError(e, "ContainerNotFound") && opts.previous) throw badRequest(`previous terminated container "${container}" in pod "${pod}" not found`);
    if ((e as { code?: string }).code === "NotFound") throw badRequest(`container "${container}" in pod "${pod}" is waiting to start: ContainerCreating`);
    throw e;
  }
  res.writeHead(200, { "Content-Type": "text/plain", "Cache-Control": "no-cache" });
  res.flushHeaders();
  req.on("close", () => stream.destroy());
  await pipeline(stream, res).catch(() => undefined);
}
