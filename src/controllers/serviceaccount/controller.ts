/**
 * The serviceaccount controller: every active namespace has a ServiceAccount named "default"
 * (re-created if deleted), as upstream's serviceaccounts-controller ensures.
 */
import type { KubeObject } from "../../api/types.js";
import { isAlreadyExists, isNotFound, type InformerFactory, type KubeClient } from "../../client/index.js";
import type { Logger } from "../../lib/log.js";
import { Controller } from "../runtime/index.js";
import { Resources } from "../model/resources.js";
import type { Namespace } from "../model/types.js";

export interface ServiceAccountControllerOptions {
  client: KubeClient;
  informers: InformerFactory;
  log: Logger;
}

export const DEFAULT_SERVICE_ACCOUNT = "default";

export function serviceAccountController(o: ServiceAccountControllerOptions): Controller {
  const namespaces = o.informers.informerFor<Namespace>(Resources.namespaces);
  const accounts = o.informers.informerFor<KubeObject>(Resources.serviceAccounts);
  const api = o.client.resource<KubeObject>(Resources.serviceAccounts);
  const ctl = new Controller({
    name: "serviceaccount",
    workers: 2,
    log: o.log,
    reconcile: async (name) => {
      const ns = namespaces.get(name);
      if (!ns || ns.metadata.deletionTimestamp || (ns.status?.phase && ns.status.phase !== "Active")) return;
      if (accounts.getByName(name, DEFAULT_SERVICE_ACCOUNT)) return;
      try {
        await api.create({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: DEFAULT_SERVICE_ACCOUNT, namespace: name } });
      } catch (err) {
        // Already there (the cache was behind), or the namespace is going away: nothing to do.
        if (!isAlreadyExists(err) && !isNotFound(err) && !/forbidden|being terminated/i.test((err as Error).message)) throw err;
      }
    },
  });
  ctl.watch(namespaces);
  ctl.watch(accounts, (sa) => (sa.metadata.name === DEFAULT_SERVICE_ACCOUNT ? sa.metadata.namespace : undefined));
  return ctl;
}
