/**
 * One HTTP exchange with the API server: URL + query, bearer token, User-Agent, a per-attempt
 * deadline, bounded retries, and error decoding. Every request has a deadline; a stream's deadline
 * covers only the wait for response headers (the watch layer then runs its own idle check).
 *
 * Retries: GETs are repeated on retryable network failures; any verb is repeated on
 * ECONNREFUSED (nothing reached the server) and on 429 with Retry-After (the server asked us to).
 * Other failures surface at once: writes are never replayed blindly.
 *
 * Several servers (API servers sharing one store): requests go to the current one; a network
 * failure below HTTP (refused, reset, unreachable, timed out, a watch gone silent or cut) or a 503
 * moves the client on to the next one, so the retry above — or the caller's next request, e.g. an
 * informer's re-watch from its resourceVersion, which every server of one store understands —
 * lands elsewhere. The rules about what is retried do not change.
 */
import { StatusError } from "../api/status.js";
import { NetworkError, decodeStatusError, retryAfterSeconds } from "./errors.js";
import type { Transport, TransportRequest, TransportResponse } from "./transport.js";

export type QueryValue = string | number | boolean | undefined;

export interface RequestSpec {
  method: TransportRequest["method"];
  /** Absolute path under the server URL, e.g. /api/v1/namespaces/default/pods. */
  path: string;
  query?: Record<string, QueryValue>;
  /** Sent as JSON unless already a string. */
  body?: unknown;
  contentType?: string;
  accept?: string;
  /** Overrides the client's default deadline for this request. */
  timeoutMs?: number;
  /** Cancels the request; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

export interface HttpSettings {
  server: string;
  /** Every server to use, `server` among them (default: just `server`). */
  servers?: string[];
  transport: Transport;
  token?: string;
  userAgent: string;
  timeoutMs: number;
  maxRetries: number;
  maxResponseBytes: number;
}

export interface OpenStream {
  status: number;
  body: AsyncIterable<Uint8Array>;
  /** Abort the underlying request; the body then ends with `reason`. */
  abort(reason: unknown): void;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });

export class KubeHttp {
  private readonly servers: string[];
  private current = 0;

  constructor(private readonly settings: HttpSettings) {
    const all = settings.servers?.length ? settings.servers : [settings.server];
    this.servers = [...new Set(all.map((s) => s.replace(/\/+$/, "")))];
    this.current = Math.max(0, this.servers.indexOf(settings.server.replace(/\/+$/, "")));
  }

  /** The server requests go to now. */
  get server(): string {
    return this.servers[this.current];
  }

  url(path: string, query?: Record<string, QueryValue>, server = this.server): string {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) params.set(k, String(v));
    const qs = params.toString();
    return `${server}${path}${qs ? `?${qs}` : ""}`;
  }

  /**
   * `server` failed with `err`: move on to the next server if the failure says the server (not
   * the request) is the problem. Only the first report about the current server moves it, so a
   * burst of failures from one dead server does not skip a healthy one.
   */
  private failedOver(server: string, err: unknown): void {
    if (this.servers.length < 2 || this.servers[this.current] !== server) return;
    const serverTrouble = (err instanceof NetworkError && err.retryable) || (err instanceof StatusError && err.code === 503);
    if (!serverTrouble) return;
    this.current = (this.current + 1) % this.servers.length;
  }

  /** Perform a request and decode the JSON answer (undefined for an empty body). */
  async json<T>(spec: RequestSpec): Promise<T> {
    const text = await this.text(spec);
    if (text.trim() === "") return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new StatusError(500, "InternalError", `the server returned a response that is not JSON: ${text.slice(0, 200)}`);
    }
  }

  /** Perform a request and return the body as text; non-2xx answers throw StatusError. */
  async text(spec: RequestSpec): Promise<string> {
    for (let attempt = 0; ; attempt++) {
      const deadline = this.deadline(spec);
      const server = this.server;
      try {
        const res = await this.send(spec, deadline.signal, server);
        const body = await this.readAll(res);
        if (res.status >= 200 && res.status < 300) return body;
        const err = decodeStatusError(res.status, body, res.headers["retry-after"]);
        this.failedOver(server, err);
        const wait = this.retryDelay(spec, err, attempt, res.headers["retry-after"]);
        if (wait === undefined) throw err;
        await sleep(wait, spec.signal);
      } catch (err) {
        if (err instanceof StatusError) throw err;
        if (!spec.signal?.aborted) this.failedOver(server, err);
        const wait = this.retryDelay(spec, err, attempt);
        if (wait === undefined) throw err;
        await sleep(wait, spec.signal);
      } finally {
        deadline.clear();
      }
    }
  }

  /**
   * Open a streaming response. The deadline covers the wait for headers only. A non-2xx answer is
   * read (bounded) and thrown as StatusError.
   */
  async stream(spec: RequestSpec): Promise<OpenStream> {
    const controller = new AbortController();
    const onUserAbort = () => controller.abort(spec.signal?.reason);
    if (spec.signal?.aborted) throw spec.signal.reason;
    spec.signal?.addEventListener("abort", onUserAbort, { once: true });
    const ms = spec.timeoutMs ?? this.settings.timeoutMs;
    const timer = setTimeout(() => controller.abort(new NetworkError(`no response headers within ${ms} ms`, "ETIMEDOUT")), ms);
    let res: TransportResponse;
    const server = this.server;
    try {
      res = await this.send(spec, controller.signal, server);
    } catch (err) {
      spec.signal?.removeEventListener("abort", onUserAbort);
      if (!spec.signal?.aborted) this.failedOver(server, err);
      throw err;
    } finally {
      clearTimeout(timer);
    }
    if (res.status < 200 || res.status >= 300) {
      const body = await this.readAll(res).catch(() => "");
      spec.signal?.removeEventListener("abort", onUserAbort);
      const err = decodeStatusError(res.status, body, res.headers["retry-after"]);
      this.failedOver(server, err);
      throw err;
    }
    return {
      status: res.status,
      // A stream cut or gone silent (the watch layer aborts it with EWATCHIDLE) also moves us on.
      body: this.reportStreamFailure(res.body, server),
      abort: (reason) => {
        spec.signal?.removeEventListener("abort", onUserAbort);
        controller.abort(reason);
      },
    };
  }

  private async *reportStreamFailure(body: AsyncIterable<Uint8Array>, server: string): AsyncGenerator<Uint8Array> {
    try {
      yield* body;
    } catch (err) {
      this.failedOver(server, err);
      throw err;
    }
  }

  private send(spec: RequestSpec, signal: AbortSignal, server = this.server): Promise<TransportResponse> {
    const headers: Record<string, string> = {
      accept: spec.accept ?? "application/json",
      "user-agent": this.settings.userAgent,
    };
    if (this.settings.token) headers.authorization = `Bearer ${this.settings.token}`;
    let body: string | undefined;
    if (spec.body !== undefined) {
      body = typeof spec.body === "string" ? spec.body : JSON.stringify(spec.body);
      headers["content-type"] = spec.contentType ?? "application/json";
    }
    return this.settings.transport({ method: spec.method, url: this.url(spec.path, spec.query, server), headers, body, signal });
  }

  private async readAll(res: TransportResponse): Promise<string> {
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      size += chunk.byteLength;
      if (size > this.settings.maxResponseBytes) throw new NetworkError(`response exceeds ${this.settings.maxResponseBytes} bytes`, "E2BIG", false);
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString("utf8");
  }

  /** A signal that fires at the request's deadline or when the caller cancels. */
  private deadline(spec: RequestSpec): { signal: AbortSignal; clear(): void } {
    const controller = new AbortController();
    const ms = spec.timeoutMs ?? this.settings.timeoutMs;
    const timer = setTimeout(() => controller.abort(new NetworkError(`request timed out after ${ms} ms`, "ETIMEDOUT")), ms);
    const onUserAbort = () => controller.abort(spec.signal?.reason);
    if (spec.signal?.aborted) controller.abort(spec.signal.reason);
    spec.signal?.addEventListener("abort", onUserAbort, { once: true });
    return {
      signal: controller.signal,
      clear: () => {
        clearTimeout(timer);
        spec.signal?.removeEventListener("abort", onUserAbort);
      },
    };
  }

  /** How long to wait before the next attempt, or undefined to give up. */
  private retryDelay(spec: RequestSpec, err: unknown, attempt: number, retryAfter?: string): number | undefined {
    if (attempt >= this.settings.maxRetries || spec.signal?.aborted) return undefined;
    if (err instanceof StatusError) {
      const after = retryAfterSeconds(retryAfter);
      if (err.code !== 429 && !(err.code === 503 && spec.method === "GET")) return undefined;
      return Math.min(after !== undefined ? after * 1000 : 1000, 10_000);
    }
    // A timed-out request is not repeated: the caller's deadline must mean what it says.
    if (!(err instanceof NetworkError) || !err.retryable || err.code === "ETIMEDOUT") return undefined;
    if (spec.method !== "GET" && err.code !== "ECONNREFUSED") return undefined;
    return Math.min(100 * 2 ** attempt, 2000) * (0.5 + Math.random() / 2);
  }
}
