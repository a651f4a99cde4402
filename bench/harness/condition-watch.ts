/**
 * Watches a collection and records, per object name, the first moment (performance.now(), when
 * the event's bytes arrived) an event showed the object meeting a condition, e.g. a claim's
 * status.phase becoming Bound. This is how a user's `kubectl wait` would see it.
 */
import type { ApiClient, WatchStream } from "./api-client.js";
import { waitUntil } from "../core/load.js";

export class ConditionWatch {
  /** name → when the condition was first seen. */
  readonly seenAt = new Map<string, number>();
  private stream?: WatchStream;
  private ended?: Error;

  private constructor(private readonly predicate: (obj: any) => boolean) {}

  /**
   * Starts watching `collectionPath` from `resourceVersion` (the list revision the caller read
   * before creating anything, so no event is missed).
   */
  static async start(client: ApiClient, collectionPath: string, resourceVersion: string, predicate: (obj: any) => boolean): Promise<ConditionWatch> {
    const w = new ConditionWatch(predicate);
    const sep = collectionPath.includes("?") ? "&" : "?";
    w.stream = client.watch(
      `${collectionPath}${sep}watch=1&resourceVersion=${encodeURIComponent(resourceVersion)}&timeoutSeconds=3600`,
      (ev, at) => {
        if (ev.type === "ERROR") {
          w.ended = new Error(`watch error: ${JSON.stringify(ev.object).slice(0, 300)}`);
          return;
        }
        const name = ev.object?.metadata?.name as string | undefined;
        if (name && !w.seenAt.has(name) && (ev.type === "ADDED" || ev.type === "MODIFIED") && w.predicate(ev.object)) w.seenAt.set(name, at);
      },
      (err) => {
        w.ended ??= err ?? new Error("watch ended");
      },
    );
    await w.stream.ready;
    return w;
  }

  /** Waits until `count` objects have met the condition; throws if the watch broke or on timeout. */
  async waitFor(count: number, timeoutMs: number, what: string): Promise<void> {
    await waitUntil(
      () => {
        if (this.seenAt.size >= count) return true;
        if (this.ended) throw new Error(`${what}: ${this.ended.message} (${this.seenAt.size}/${count} seen)`);
        return false;
      },
      `${what} (${count}; seen ${this.seenAt.size} so far)`,
      timeoutMs,
      10,
    ).catch((err: Error) => {
      throw new Error(`${err.message}; seen ${this.seenAt.size}`);
    });
  }

  close(): void {
    this.stream?.close();
  }
}

export const isBound = (obj: any): boolean => obj?.status?.phase === "Bound";
export const isRunning = (obj: any): boolean => obj?.status?.phase === "Running";
