/**
 * The namespace controller: empties a terminating namespace and then releases it.
 * For a namespace with a deletionTimestamp: delete every object of every namespaced kind in it
 * (found by discovery); while objects remain (finalizers, graceful deletion) report why in the
 * namespace's status conditions and look again shortly; once nothing remains, drop "kubernetes"
 * from spec.finalizers via PUT namespaces/{name}/finalize, which lets the API server remove the
 * namespace. Deleting is idempotent, so a crash or restart simply starts the pass again.
 */
import type { KubeObject } from "../../api/types.js";
import { isConflict, isNotFound, type InformerFactory, type KubeClient, type ResourceRef } from "../../client/index.js";
import type { Logger } from "../../lib/log.js";
import { Controller } from "../runtime/index.js";
import { Resources } from "../model/resources.js";
import type { Namespace } from "../model/types.js";
import { conditionsDiffer, countRemaining, deletionConditions, emptyRemaining } from "./content.js";
import { discoverNamespacedResources } from "./discovery.js";

export interface NamespaceControllerOptions {
  client: KubeClient;
  informers: InformerFactory;
  log: Logger;
  workers?: number;
  /** Wait before looking again at a namespace whose content is still going away (default 1 s). */
  recheckMs?: number;
}

const FINALIZER = "kubernetes";

export function namespaceController(o: NamespaceControllerOptions): Controller {
  const namespaces = o.informers.informerFor<Namespace>(Resources.namespaces);
  const nsApi = o.client.resource<Namespace & KubeObject>(Resources.namespaces);
  let discovered: { at: number; refs: ResourceRef[] } | undefined;
  const resources = async (): Promise<ResourceRef[]> => {
    if (!discovered || Date.now() - discovered.at > 30_000) discovered = { at: Date.now(), refs: await discoverNamespacedResources(o.client) };
    return discovered.refs;
  };
  const ctl = new Controller({
    name: "namespace",
    workers: o.workers ?? 2,
    log: o.log,
    reconcile: async (name) => {
      const ns = namespaces.get(name);
      if (!ns?.metadata.deletionTimestamp) return;
      if (!(ns.spec?.finalizers ?? []).includes(FINALIZER)) return;
      const remaining = emptyRemaining();
      const failures: string[] = [];
      let discoveryError: string | undefined;
      let refs: ResourceRef[] = [];
      try {
        refs = await resources();
      } catch (err) {
        discoveryError = `Discovery failed: ${(err as Error).message}`;
      }
      for (const ref of refs) {
        try {
          const items = (await o.client.resource(ref).listAll(name)).items;
          for (const item of items) {
            if (item.metadata.deletionTimestamp) continue;
            try {
              await o.client.resource(ref).delete(name, item.metadata.name ?? "", { propagationPolicy: "Background", preconditions: { uid: item.metadata.uid } });
            } catch (err) {
              if (!isNotFound(err) && !isConflict(err)) throw err;
            }
          }
          countRemaining(remaining, ref.plural, (await o.client.resource(ref).listAll(name)).items);
        } catch (err) {
          failures.push(`${ref.plural}.${ref.group || "core"}: ${(err as Error).message}`);
        }
      }
      const done = !discoveryError && failures.length === 0 && remaining.byResource.size === 0;
      const conditions = deletionConditions(remaining, discoveryError, failures, new Date().toISOString().replace(/\.\d+Z$/, "Z"));
      if (!done && conditionsDiffer(ns.status?.conditions, conditions)) {
        try {
          await nsApi.updateStatus({ ...ns, status: { ...(ns.status ?? {}), conditions } });
        } catch (err) {
          if (!isConflict(err) && !isNotFound(err)) throw err;
        }
      }
      if (!done) return { requeueAfter: o.recheckMs ?? 1_000 };
      const finalizers = (ns.spec?.finalizers ?? []).filter((f) => f !== FINALIZER);
      try {
        await o.client.request({
          method: "PUT",
          path: `/api/v1/namespaces/${encodeURIComponent(name)}/finalize`,
          body: { apiVersion: "v1", kind: "Namespace", metadata: { name, resourceVersion: ns.metadata.resourceVersion }, spec: { finalizers } },
        });
      } catch (err) {
        if (isNotFound(err)) return;
        if (isConflict(err)) return { requeue: true };
        throw err;
      }
      o.log.info("namespace emptied and finalized", { namespace: name });
    },
  });
  ctl.watch(namespaces);
  return ctl;
}
