/**
 * What upstream's admission plugins add to every new pod: ServiceAccount (serviceAccountName
 * "default"), Priority (priority 0, preemptionPolicy), DefaultTolerationSeconds (tolerate
 * not-ready/unreachable nodes for 300 s). Unlike upstream, a pod naming a service account that
 * does not exist yet is not refused: the serviceaccount controller creates "default" moments
 * after a namespace, and a refused pod is a worse first experience than a late token.
 */
import type { AdmissionPlugin } from "../registry/admission.js";

interface Toleration { key?: string; operator?: string; effect?: string; tolerationSeconds?: number }
interface PodSpecLike { serviceAccountName?: string; serviceAccount?: string; priority?: number; preemptionPolicy?: string; tolerations?: Toleration[] }

const TAINTS = ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"];

export const podDefaults: AdmissionPlugin = {
  name: "PodDefaults",
  async admit(a) {
    if (a.operation !== "CREATE" || a.resource.kind !== "Pod" || a.subresource || !a.object) return;
    const spec = (a.object.spec ?? {}) as PodSpecLike;
    if (!spec.serviceAccountName) spec.serviceAccountName = spec.serviceAccount || "default";
    spec.serviceAccount = spec.serviceAccountName;
    if (spec.priority === undefined) spec.priority = 0;
    if (spec.preemptionPolicy === undefined) spec.preemptionPolicy = "PreemptLowerPriority";
    const tol = spec.tolerations ?? [];
    for (const key of TAINTS) {
      const covered = tol.some((t) => (t.key === key || (t.key === undefined && t.operator === "Exists")) && (t.effect === undefined || t.effect === "" || t.effect === "NoExecute"));
      if (!covered) tol.push({ key, operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 });
    }
    spec.tolerations = tol;
  },
};
