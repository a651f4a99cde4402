/**
 * Fencing for elected controllers: a client whose every write first asks the term whether it is
 * still valid, and is cancelled if the term ends while the request is in flight. Reads and watches
 * pass untouched (a deposed leader reading does no harm). Controllers keep using the ordinary
 * client API; a refused write fails with NotLeaderError (a non-retryable NetworkError), so their
 * usual error paths apply while the term's controllers are being stopped.
 */
import { createClient, nodeTransport, type KubeClient, type Transport, type TransportResponse } from "../../client/index.js";

/** What fencing needs of a term (LeaderTerm has it). */
export interface Fence {
  /** Throws when writes are no longer allowed. */
  guard(): void;
  /** Aborts when the term ends; in-flight writes are cancelled with its reason. */
  readonly signal: AbortSignal;
}

/** Wrap a transport so that every non-GET request is guarded and tied to the term's signal. */
export function fenceTransport(inner: Transport, fence: Fence): Transport {
  return async (req) => {
    if (req.method === "GET") return inner(req);
    fence.guard();
    const linked = new AbortController();
    const forward = (from: AbortSignal) => () => linked.abort(from.reason);
    const onRequest = forward(req.signal);
    const onTerm = forward(fence.signal);
    if (req.signal.aborted) onRequest();
    else if (fence.signal.aborted) onTerm();
    req.signal.addEventListener("abort", onRequest, { once: true });
    fence.signal.addEventListener("abort", onTerm, { once: true });
    const unlink = () => {
      req.signal.removeEventListener("abort", onRequest);
      fence.signal.removeEventListener("abort", onTerm);
    };
    let res: TransportResponse;
    try {
      res = await inner({ ...req, signal: linked.signal });
    } catch (err) {
      unlink();
      throw err;
    }
    return { ...res, body: unlinkAfter(res.body, unlink) };
  };
}

async function* unlinkAfter(body: AsyncIterable<Uint8Array>, unlink: () => void): AsyncGenerator<Uint8Array> {
  try {
    yield* body;
  } finally {
    unlink();
  }
}

/**
 * A client with `base`'s configuration (servers, credentials, user agent, field manager) whose
 * writes are fenced by `fence`. It has its own connections; close it when the term is over.
 */
export function fencedClient(base: KubeClient, fence: Fence): KubeClient {
  const o = base.options;
  const inner = o.transport ?? nodeTransport({ ca: o.caData, insecureSkipTlsVerify: o.insecureSkipTlsVerify, tlsServerName: o.tlsServerName, cert: o.clientCertData, key: o.clientKeyData });
  const client = createClient({ ...o, transport: fenceTransport(inner, fence) });
  const close = client.close.bind(client);
  // The client only closes transports it built itself; this one is ours.
  client.close = () => {
    close();
    if (!o.transport) (inner as Partial<{ close(): void }>).close?.();
  };
  return client;
}
