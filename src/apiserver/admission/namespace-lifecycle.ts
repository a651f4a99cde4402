/**
 * NamespaceLifecycle: namespaced objects may only be created in a namespace that exists and
 * is not terminating; the system namespaces cannot be deleted.
 */
import { forbidden, notFound } from "../../api/status.js";
import type { AdmissionPlugin } from "../registry/admission.js";

const IMMORTAL = new Set(["default", "kube-system", "kube-public", "kube-node-lease"]);

export const namespaceLifecycle: AdmissionPlugin = {
  name: "NamespaceLifecycle",
  async validate(a) {
    if (a.resource.kind === "Namespace" && a.operation === "DELETE" && IMMORTAL.has(a.name)) {
      throw forbidden(`namespaces "${a.name}" is forbidden: this namespace may not be deleted`);
    }
    if (a.operation !== "CREATE" || !a.resource.namespaced || !a.namespace) return;
    // Events about a namespace being torn down are still allowed, as upstream.
    const nsTraits = a.reader.resource("", "namespaces");
    const ns = await a.reader.get(nsTraits, undefined, a.namespace);
    if (!ns) throw notFound("namespaces", a.namespace);
    if (ns.metadata.deletionTimestamp && a.resource.kind !== "Event") {
      throw forbidden(`${a.resource.plural} "${a.name}" is forbidden: unable to create new content in namespace ${a.namespace} because it is being terminated`);
    }
  },
};
