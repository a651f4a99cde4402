/**
 * A sync decision as plain data: the ordered writes and events a sync wants, built by the pure
 * sync functions and carried out by an executor (the controller, or a test's fake API).
 *
 * Execution contract: steps run in order and stop at the first failed write (later steps were
 * computed assuming it succeeded). A write sends the object as computed, except that its
 * resourceVersion is replaced by the one the previous write of the same object returned — the
 * same "use the object the last write returned" chaining upstream's bind() does — so every write
 * is still conditional on the version it was derived from. An event step is emitted only if
 * every write before it succeeded; a write's `onFailure` event is emitted if that write fails,
 * its message followed by the error's.
 */
import type { KubeObject } from "../../api/types.js";
import type { ObjectReference } from "../model/types.js";

export type BinderKind = "PersistentVolume" | "PersistentVolumeClaim";

export interface EventSpec {
  eventType: "Normal" | "Warning";
  reason: string;
  message: string;
}

export type Step =
  | { type: "update"; kind: BinderKind; object: KubeObject; onFailure?: EventSpec & { involved: ObjectReference } }
  | { type: "updateStatus"; kind: BinderKind; object: KubeObject }
  | ({ type: "event"; involved: ObjectReference } & EventSpec)
  | { type: "enqueueClaim"; key: string };

export interface Decision {
  steps: Step[];
  /** The sync failed in a way that must be retried with backoff (upstream returns an error). */
  error?: string;
  /**
   * The decision depends on whether this claim really exists: re-run the sync with a live read
   * of it (upstream double-checks the API server before releasing a volume).
   */
  needLiveClaim?: { namespace: string; name: string };
}

export function refTo(obj: KubeObject): ObjectReference {
  return {
    kind: obj.kind,
    apiVersion: obj.apiVersion,
    namespace: obj.metadata.namespace,
    name: obj.metadata.name,
    uid: obj.metadata.uid,
    resourceVersion: obj.metadata.resourceVersion,
  };
}

/** Accumulates steps; the sync functions thread the locally updated objects through it. */
export class Plan {
  readonly steps: Step[] = [];

  update<T extends KubeObject>(kind: BinderKind, object: T, onFailure?: EventSpec): T {
    this.steps.push({ type: "update", kind, object, onFailure: onFailure && { ...onFailure, involved: refTo(object) } });
    return object;
  }

  updateStatus<T extends KubeObject>(kind: BinderKind, object: T): T {
    this.steps.push({ type: "updateStatus", kind, object });
    return object;
  }

  event(obj: KubeObject, eventType: "Normal" | "Warning", reason: string, message: string): void {
    this.steps.push({ type: "event", involved: refTo(obj), eventType, reason, message });
  }

  enqueueClaim(key: string): void {
    this.steps.push({ type: "enqueueClaim", key });
  }

  done(extra: Omit<Decision, "steps"> = {}): Decision {
    return { steps: this.steps, ...extra };
  }
}
