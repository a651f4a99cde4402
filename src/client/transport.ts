/**
 * The one seam between the client and the network: a function from a request to a streaming
 * response. Two implementations: `nodeTransport` (node:http/https with a keep-alive agent,
 * custom CA, client certificates) for processes, and `fetchTransport` over any
 * `fetch(Request) → Response` function — the browser's fetch, or an API server's in-process
 * handler so tests need no socket.
 *
 * Contract for implementations: resolve once response headers arrive, whatever the status; reject
 * with NetworkError for failures below HTTP; when `signal` aborts, reject (or end the body) with
 * `signal.reason`, so the caller can tell its own deadline from a cancel.
 */
import { NetworkError } from "./errors.js";

export interface TransportRequest {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  url: string;
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
}

export interface TransportResponse {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string | undefined>;
  /** The body as it arrives; iterate it fully or abort the request's signal. */
  body: AsyncIterable<Uint8Array>;
}

export type Transport = (req: TransportRequest) => Promise<TransportResponse>;

/** TLS verification failures: retrying cannot fix them. */
function isTlsVerifyCode(code: string): boolean {
  return code.startsWith("ERR_TLS") || code.includes("CERT") || code.includes("SIGNATURE") || code.includes("SELF_SIGNED");
}

/** Normalise anything a socket or fetch throws into a NetworkError. */
export function toNetworkError(err: unknown): NetworkError {
  if (err instanceof NetworkError) return err;
  const e = err as { code?: unknown; message?: unknown; cause?: { code?: unknown; message?: unknown } };
  // undici's fetch wraps the socket error in `cause`.
  const code = typeof e?.code === "string" ? e.code : typeof e?.cause?.code === "string" ? e.cause.code : "ENETWORK";
  const message = typeof e?.cause?.message === "string" ? e.cause.message : typeof e?.message === "string" ? e.message : String(err);
  return new NetworkError(message, code, !isTlsVerifyCode(code), { cause: err });
}

/** Iterate a web ReadableStream, ending with `signal.reason` if the signal aborts. */
async function* readWebStream(stream: ReadableStream<Uint8Array>, signal: AbortSignal): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  const onAbort = () => void reader.cancel(signal.reason).catch(() => {});
  signal.addEventListener("abort", onAbort, { once: true });
  try {
    for (;;) {
      let step: Awaited<ReturnType<typeof reader.read>>;
      try {
        step = await reader.read();
      } catch (err) {
        throw signal.aborted ? signal.reason : toNetworkError(err);
      }
      if (step.done) break;
      yield step.value;
    }
    if (signal.aborted) throw signal.reason;
  } finally {
    signal.removeEventListener("abort", onAbort);
    void reader.cancel().catch(() => {});
  }
}

/**
 * A transport over a fetch-shaped function. Custom CAs are not configurable here (Node's fetch
 * has no per-request CA option); use `nodeTransport` for TLS with a private CA.
 */
export function fetchTransport(fetchFn: (req: Request) => Promise<Response> = (r) => fetch(r)): Transport {
  return async (req) => {
    let res: Response;
    try {
      res = await fetchFn(new Request(req.url, { method: req.method, headers: req.headers, body: req.body, signal: req.signal }));
    } catch (err) {
      throw req.signal.aborted ? req.signal.reason : toNetworkError(err);
    }
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => (headers[k.toLowerCase()] = v));
    const stream = res.body;
    const body: AsyncIterable<Uint8Array> = stream ? readWebStream(stream, req.signal) : (async function* () {})();
    return { status: res.status, headers, body };
  };
}
