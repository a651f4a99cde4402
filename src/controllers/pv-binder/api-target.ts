/**
 * The StepTarget the live controller executes decisions against: writes go to the API server
 * (each conditional on its resourceVersion) and, once acknowledged, into the controller's own
 * caches; events go to the event recorder. Failpoints around every write let crash tests stop
 * the process between any two of the binding's writes.
 */
import type { KubeObject } from "../../api/types.js";
import type { KubeClient } from "../../client/index.js";
import { failpointAsync } from "../../lib/failpoints.js";
import type { EventRecorder } from "../runtime/index.js";
import type { StepTarget } from "../binder/execute.js";
import type { BinderKind, EventSpec } from "../binder/plan.js";
import { Resources } from "../model/resources.js";
import type { ObjectReference } from "../model/types.js";

export interface ApiTargetHooks {
  /** Called with every object the server acknowledged, before the next step runs. */
  written(kind: BinderKind, obj: KubeObject): void;
  enqueueClaim(key: string): void;
}

export function apiTarget(client: KubeClient, recorder: EventRecorder, hooks: ApiTargetHooks): StepTarget {
  const pvs = client.resource(Resources.persistentVolumes);
  const pvcs = client.resource(Resources.persistentVolumeClaims);
  const write = async (kind: BinderKind, obj: KubeObject, status: boolean): Promise<KubeObject> => {
    await failpointAsync("pv-binder/before-write");
    const api = kind === "PersistentVolume" ? pvs : pvcs;
    const saved = status ? await api.updateStatus(obj) : await api.update(obj);
    hooks.written(kind, saved);
    await failpointAsync("pv-binder/after-write");
    return saved;
  };
  return {
    update: (kind, obj) => write(kind, obj, false),
    updateStatus: (kind, obj) => write(kind, obj, true),
    event(involved: ObjectReference, spec: EventSpec) {
      recorder.event(
        {
          apiVersion: involved.apiVersion ?? "v1",
          kind: involved.kind ?? "",
          metadata: { name: involved.name, namespace: involved.namespace, uid: involved.uid, resourceVersion: involved.resourceVersion },
        },
        spec.eventType,
        spec.reason,
        spec.message,
      );
    },
    enqueueClaim: (key) => hooks.enqueueClaim(key),
  };
}
