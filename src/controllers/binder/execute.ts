/**
 * Carries out a Decision against any target (the API client in the controller, a fake in
 * tests), honouring the contract in plan.ts: in order, chained resourceVersions, stop at the
 * first failed write.
 */
import type { KubeObject } from "../../api/types.js";
import type { ObjectReference } from "../model/types.js";
import type { BinderKind, EventSpec, Step } from "./plan.js";

export interface StepTarget {
  /** PUT the main resource; resolves to the stored object. */
  update(kind: BinderKind, obj: KubeObject): Promise<KubeObject>;
  /** PUT the status subresource; resolves to the stored object. */
  updateStatus(kind: BinderKind, obj: KubeObject): Promise<KubeObject>;
  event(involved: ObjectReference, spec: EventSpec): void;
  enqueueClaim(key: string): void;
}

export interface ExecutionResult {
  ok: boolean;
  error?: unknown;
  /** Objects as the server returned them, in write order. */
  written: { kind: BinderKind; object: KubeObject }[];
}

function objectId(kind: string, obj: KubeObject): string {
  return `${kind}/${obj.metadata.namespace ?? ""}/${obj.metadata.name ?? ""}`;
}

export async function executeSteps(steps: readonly Step[], target: StepTarget): Promise<ExecutionResult> {
  const latestVersion = new Map<string, string | undefined>();
  const written: ExecutionResult["written"] = [];
  for (const step of steps) {
    if (step.type === "event") {
      target.event(step.involved, step);
      continue;
    }
    if (step.type === "enqueueClaim") {
      target.enqueueClaim(step.key);
      continue;
    }
    const id = objectId(step.kind, step.object);
    let obj = step.object;
    if (latestVersion.has(id)) obj = { ...obj, metadata: { ...obj.metadata, resourceVersion: latestVersion.get(id) } };
    try {
      const saved = step.type === "update" ? await target.update(step.kind, obj) : await target.updateStatus(step.kind, obj);
      latestVersion.set(id, saved.metadata.resourceVersion);
      written.push({ kind: step.kind, object: saved });
    } catch (error) {
      if (step.type === "update" && step.onFailure) {
        const f = step.onFailure;
        target.event(f.involved, { eventType: f.eventType, reason: f.reason, message: f.message + ((error as Error)?.message ?? String(error)) });
      }
      return { ok: false, error, written };
    }
  }
  return { ok: true, written };
}
