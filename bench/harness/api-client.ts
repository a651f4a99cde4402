/**
 * A deliberately thin HTTPS client for load generation: keep-alive sockets, a bearer token, the
 * cluster CA, JSON in and out, and watch streams split on newlines. The project's own client
 * (src/client) does more per request (retries, typed errors, deadlines); on a 2-core machine the
 * generator's CPU is taken from the server under test, so the bench spends as little as it can.
 */
import https from "node:https";

export interface ApiResponse {
  status: number;
  body: any;
}

export interface WatchEventHandler {
  (event: { type: string; object: any }, receivedAt: number): void;
}

export interface WatchStream {
  /** Resolves once the 200 and its headers have arrived (the server has registered the watch). */
  ready: Promise<void>;
  close(): void;
}

export interface ApiClientOptions {
  url: string;
  token: string;
  caPem: string;
  /** Sockets kept to the server for ordinary requests (watches take their own). */
  maxSockets?: number;
}

export class ApiClient {
  private readonly agent: https.Agent;
  private readonly watchAgent: https.Agent;
  private readonly base: URL;

  constructor(private readonly o: ApiClientOptions) {
    this.base = new URL(o.url);
    this.agent = new https.Agent({ keepAlive: true, maxSockets: o.maxSockets ?? 64, ca: o.caPem });
    this.watchAgent = new https.Agent({ keepAlive: false, maxSockets: Infinity, ca: o.caPem });
  }

  /** One request; a non-JSON body is returned as text. Rejects only on network errors. */
  request(method: string, path: string, body?: unknown): Promise<ApiResponse> {
    const payload = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = https.request(
        {
          host: this.base.hostname,
          port: this.base.port,
          path,
          method,
          agent: this.agent,
          headers: {
            authorization: `Bearer ${this.o.token}`,
            accept: "application/json",
            ...(payload !== undefined ? { "content-type": method === "PATCH" ? "application/merge-patch+json" : "application/json", "content-length": Buffer.byteLength(payload) } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            let parsed: unknown = text;
            if ((res.headers["content-type"] ?? "").includes("json") && text.length > 0) {
              try {
                parsed = JSON.parse(text);
              } catch {
                parsed = text;
              }
            }
            resolve({ status: res.statusCode ?? 0, body: parsed });
          });
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(payload);
    });
  }

  /** The response body as bytes, unparsed (for timing a response to its last byte). Rejects on a non-2xx. */
  requestBytes(method: string, path: string): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const req = https.request({ host: this.base.hostname, port: this.base.port, path, method, agent: this.agent, headers: { authorization: `Bearer ${this.o.token}`, accept: "application/json" } }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const body = Buffer.concat(chunks);
          if ((res.statusCode ?? 0) >= 300) reject(new Error(`${method} ${path} → ${res.statusCode}: ${body.toString("utf8", 0, 300)}`));
          else resolve(body);
        });
        res.on("error", reject);
      });
      req.on("error", reject);
      req.end();
    });
  }

  /** Like request, but rejects unless the status is one of `ok` (default any 2xx). */
  async expect(method: string, path: string, body?: unknown, ok?: number[]): Promise<any> {
    const r = await this.request(method, path, body);
    const good = ok ? ok.includes(r.status) : r.status >= 200 && r.status < 300;
    if (!good) throw new Error(`${method} ${path} → ${r.status}: ${typeof r.body === "string" ? r.body.slice(0, 300) : JSON.stringify(r.body).slice(0, 300)}`);
    return r.body;
  }

  /**
   * Opens a watch (`path` should carry `?watch=1&resourceVersion=…`) and calls `onEvent` for every
   * line with the time (performance.now()) the chunk holding it arrived.
   */
  watch(path: string, onEvent: WatchEventHandler, onEnd?: (err?: Error) => void): WatchStream {
    return this.watchLines(path, (line, at) => onEvent(JSON.parse(line) as { type: string; object: any }, at), onEnd);
  }

  /** As watch, but hands over each raw line (no JSON parsing: cheaper when 1,000 streams share a core). */
  watchLines(path: string, onLine: (line: string, receivedAt: number) => void, onEnd?: (err?: Error) => void): WatchStream {
    let req: ReturnType<typeof https.request> | undefined;
    let closed = false;
    const ready = new Promise<void>((resolve, reject) => {
      req = https.request(
        { host: this.base.hostname, port: this.base.port, path, method: "GET", agent: this.watchAgent, headers: { authorization: `Bearer ${this.o.token}`, accept: "application/json" } },
        (res) => {
          if (res.statusCode !== 200) {
            reject(new Error(`watch ${path} → ${res.statusCode}`));
            res.resume();
            return;
          }
          resolve();
          let pending = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => {
            const at = performance.now();
            pending += chunk;
            let nl: number;
            while ((nl = pending.indexOf("\n")) >= 0) {
              const line = pending.slice(0, nl);
              pending = pending.slice(nl + 1);
              if (line.length > 0) onLine(line, at);
            }
          });
          res.on("end", () => onEnd?.());
          res.on("error", (e) => onEnd?.(closed ? undefined : e));
        },
      );
      req.on("error", (e) => {
        reject(e);
        if (!closed) onEnd?.(e);
      });
      req.end();
    });
    ready.catch(() => {});
    return {
      ready,
      close() {
        closed = true;
        req?.destroy();
      },
    };
  }

  close(): void {
    this.agent.destroy();
    this.watchAgent.destroy();
  }
}
