/**
 * The workload's view of a cluster that keeps dying: the endpoints of the live incarnation, or a
 * promise of the next one. A request that fails at the transport level (connection refused or cut,
 * timeout) has an unknown outcome; `kube`/`efs` then wait for the next incarnation and let the
 * caller decide whether to repeat it — nothing is ever counted as acknowledged without a reply.
 */
import https from "node:https";
import { signedJsonRequest } from "../../../src/lib/aws-signed-request.js";
import type { Endpoints } from "./cistern-child.js";

export interface Reply {
  status: number;
  body: any;
  text: string;
}

export class TransportError extends Error {
  constructor(message: string, readonly epoch: number) {
    super(message);
    this.name = "TransportError";
  }
}

export class ClusterLink {
  private current?: { ep: Endpoints; agent: https.Agent; epoch: number };
  private waiters: (() => void)[] = [];
  private closed = false;
  private allOpen = false;
  epoch = 0;

  /** A new incarnation is ready. */
  up(ep: Endpoints): void {
    this.current?.agent.destroy();
    this.epoch++;
    this.current = { ep, agent: new https.Agent({ keepAlive: true, ca: ep.caPem, maxSockets: 64 }), epoch: this.epoch };
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** The incarnation died: requests wait until `up` is called again. */
  down(): void {
    this.current?.agent.destroy();
    this.current = undefined;
  }

  /** Stop for good: waiters are released and every later request fails. */
  close(): void {
    this.closed = true;
    this.down();
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  get isUp(): boolean {
    return this.current !== undefined;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  async ready(): Promise<{ ep: Endpoints; agent: https.Agent; epoch: number }> {
    while (!this.current) {
      if (this.closed) throw new Error("cluster link closed");
      await new Promise<void>((r) => this.waiters.push(r));
    }
    return this.current;
  }

  /**
   * After a transport failure seen in `epoch`: wait until a later incarnation is up, or one second
   * when the same one still is (a timeout under load is not a crash).
   */
  async after(epoch: number): Promise<void> {
    const deadline = Date.now() + 1000;
    while (!this.closed && (!this.current || this.current.epoch <= epoch)) {
      if (this.current && Date.now() >= deadline) return;
      await new Promise<void>((r) => {
        const t = setTimeout(r, 200);
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  /**
   * Workload gate: resolves once batch `b` (0-based) may start. Each incarnation that comes up
   * opens one more batch; `openAll` (the last incarnation) opens the rest.
   */
  async untilBatch(b: number): Promise<void> {
    while (!this.closed && this.epoch <= b && !this.allOpen) await new Promise<void>((r) => this.waiters.push(r));
  }

  openAll(): void {
    this.allOpen = true;
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** One Kubernetes API request on the live incarnation. */
  async kube(method: string, path: string, body?: unknown, contentType = "application/json", timeoutMs = 30_000): Promise<Reply> {
    const { ep, agent, epoch } = await this.ready();
    const url = new URL(ep.api);
    const data = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = https.request(
        { host: url.hostname, port: url.port, path, method, agent, timeout: timeoutMs, headers: { Authorization: `Bearer ${ep.token}`, "Content-Type": contentType, Accept: "application/json" } },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (d) => (text += d));
          res.on("end", () => {
            let parsed: unknown;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              parsed = undefined;
            }
            resolve({ status: res.statusCode ?? 0, body: parsed, text });
          });
          res.on("error", (e) => reject(new TransportError(e.message, epoch)));
        },
      );
      req.on("timeout", () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
      req.on("error", (e) => reject(new TransportError(`${method} ${path}: ${e.message}`, epoch)));
      req.end(data);
    });
  }

  /** One signed EFS API (or Cistern mount extension) request on the live incarnation. */
  async efs(method: "GET" | "POST" | "PUT" | "DELETE", path: string, query?: Record<string, string>, body?: unknown): Promise<Reply> {
    const { ep, epoch } = await this.ready();
    try {
      const r = await signedJsonRequest({ endpoint: ep.efs, region: ep.region, service: "elasticfilesystem", credentials: ep.efsCredentials, method, path, query, body, ca: ep.caPem, timeoutMs: 30_000 });
      return { status: r.status, body: r.body, text: typeof r.body === "string" ? r.body : JSON.stringify(r.body ?? null) };
    } catch (e) {
      throw new TransportError(`${method} ${path}: ${(e as Error).message}`, epoch);
    }
  }

  /**
   * Repeat `fn` across incarnations until it gets a reply. Only for requests that are safe to
   * repeat (reads, or writes whose repeat the caller recognises, e.g. AlreadyExists).
   */
  async retrying<T>(fn: () => Promise<T>): Promise<T> {
    for (;;) {
      try {
        return await fn();
      } catch (e) {
        if (!(e instanceof TransportError) || this.closed) throw e;
        await this.after(e.epoch);
      }
    }
  }
}

export function isTransportError(e: unknown): e is TransportError {
  return e instanceof TransportError;
}

/** The store's current revision as the first client of a new incarnation sees it (before any workload request). */
export async function probeRevision(ep: Endpoints): Promise<number> {
  const url = new URL(ep.api);
  const agent = new https.Agent({ ca: ep.caPem });
  try {
    const text = await new Promise<string>((resolve, reject) => {
      const req = https.request({ host: url.hostname, port: url.port, path: "/api/v1/namespaces?limit=1", agent, timeout: 30_000, headers: { Authorization: `Bearer ${ep.token}`, Accept: "application/json" } }, (res) => {
        let t = "";
        res.setEncoding("utf8");
        res.on("data", (d) => (t += d));
        res.on("end", () => (res.statusCode === 200 ? resolve(t) : reject(new Error(`probe: ${res.statusCode} ${t.slice(0, 200)}`))));
        res.on("error", reject);
      });
      req.on("timeout", () => req.destroy(new Error("probe timed out")));
      req.on("error", reject);
      req.end();
    });
    return Number(JSON.parse(text).metadata.resourceVersion);
  } finally {
    agent.destroy();
  }
}
