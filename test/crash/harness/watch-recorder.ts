/**
 * Records one resource's watch stream for the whole run, across incarnations, as a client-go
 * reflector would: list once, watch from the list's resourceVersion, and after the connection
 * drops resume from the last resourceVersion seen (events or bookmarks). Only a 410 Expired makes
 * it list again, which is recorded as RELIST markers so the checkers know continuity was broken
 * there on purpose. Every event lands in the history; nothing is deduplicated or reordered here.
 */
import https from "node:https";
import type { ClientRequest } from "node:http";
import type { History, Resource } from "./history.js";
import { keyOf } from "./history.js";
import type { ClusterLink } from "./link.js";
import { isTransportError } from "./link.js";

const PATHS: Record<Resource, string> = {
  persistentvolumes: "/api/v1/persistentvolumes",
  persistentvolumeclaims: "/api/v1/persistentvolumeclaims",
  pods: "/api/v1/pods",
  storageclasses: "/apis/storage.k8s.io/v1/storageclasses",
  namespaces: "/api/v1/namespaces",
};

interface Meta {
  metadata: { name?: string; namespace?: string; uid?: string; resourceVersion?: string };
}

export class WatchRecorder {
  private lastRv?: number;
  private streams = 0;
  private stopped = false;
  private done?: Promise<void>;
  private current?: ClientRequest;
  private progress: (() => void)[] = [];

  constructor(
    readonly resource: Resource,
    private readonly link: ClusterLink,
    private readonly history: History,
  ) {}

  start(): void {
    this.done = this.loop();
  }

  /** The resourceVersion the recorder has seen everything up to (undefined before the first list). */
  get seen(): number | undefined {
    return this.lastRv;
  }

  /** Resolves once an event or bookmark at or above `rv` has arrived. */
  async caughtUp(rv: number, timeoutMs = 60_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while ((this.lastRv ?? 0) < rv) {
      if (Date.now() > deadline) return false;
      await new Promise<void>((r) => {
        const t = setTimeout(r, 250);
        this.progress.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
    return true;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.current?.destroy();
    await this.done;
  }

  private advanced(rv: number): void {
    if (rv > (this.lastRv ?? 0)) this.lastRv = rv;
    const p = this.progress;
    this.progress = [];
    for (const f of p) f();
  }

  private async relist(): Promise<void> {
    const reply = await this.link.retrying(() => this.link.kube("GET", PATHS[this.resource]));
    if (reply.status !== 200) throw new Error(`list ${this.resource}: ${reply.status} ${reply.text.slice(0, 300)}`);
    const stream = ++this.streams;
    const epoch = this.link.epoch;
    const listRv = Number(reply.body.metadata.resourceVersion);
    for (const item of reply.body.items as Meta[]) {
      this.history.add({ type: "watch", resource: this.resource, event: "RELIST", key: keyOf(item), uid: String(item.metadata.uid), rv: Number(item.metadata.resourceVersion), stream, epoch });
    }
    // The marker with the list's own revision: everything up to it is known from the list.
    this.history.add({ type: "watch", resource: this.resource, event: "RELIST", key: "", uid: "", rv: listRv, stream, epoch });
    this.lastRv = listRv;
    this.advanced(listRv);
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      try {
        if (this.lastRv === undefined) await this.relist();
        const expired = await this.watchOnce();
        if (expired) this.lastRv = undefined;
      } catch (e) {
        if (this.stopped || this.link.isClosed) return;
        if (!isTransportError(e)) this.history.add({ type: "note", what: "watch-error", epoch: this.link.epoch, resource: this.resource, err: String(e) });
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  /** One watch connection; resolves when it ends, true if the server said the start was too old. */
  private async watchOnce(): Promise<boolean> {
    const { ep, agent, epoch } = await this.link.ready();
    const url = new URL(ep.api);
    const stream = ++this.streams;
    const path = `${PATHS[this.resource]}?watch=1&allowWatchBookmarks=true&resourceVersion=${this.lastRv}`;
    return new Promise<boolean>((resolve) => {
      let expired = false;
      let buf = "";
      const req = https.request({ host: url.hostname, port: url.port, path, agent, headers: { Authorization: `Bearer ${ep.token}`, Accept: "application/json" } }, (res) => {
        if (res.statusCode === 410) expired = true;
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          buf += chunk;
          let nl: number;
          while ((nl = buf.indexOf("\n")) >= 0) {
            const line = buf.slice(0, nl);
            buf = buf.slice(nl + 1);
            if (line.trim() === "") continue;
            if (this.onLine(line, stream, epoch)) expired = true;
          }
        });
        res.on("end", () => resolve(expired));
        res.on("error", () => resolve(expired));
      });
      this.current = req;
      req.on("error", () => resolve(expired));
      req.end();
    });
  }

  /** Records one event line; true if it was a 410 ERROR. */
  private onLine(line: string, stream: number, epoch: number): boolean {
    const ev = JSON.parse(line) as { type: string; object: Meta & { code?: number } };
    if (ev.type === "ERROR") {
      this.history.add({ type: "note", what: "watch-error-event", epoch, resource: this.resource, status: ev.object });
      return ev.object.code === 410;
    }
    const rv = Number(ev.object.metadata.resourceVersion);
    if (ev.type === "BOOKMARK") {
      this.advanced(rv);
      return false;
    }
    this.history.add({ type: "watch", resource: this.resource, event: ev.type as "ADDED" | "MODIFIED" | "DELETED", key: keyOf(ev.object), uid: String(ev.object.metadata.uid), rv, stream, epoch });
    this.advanced(rv);
    return false;
  }
}
