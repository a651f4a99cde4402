/**
 * RBAC escalation prevention, as upstream: a user may create or update a role only with
 * permissions they already hold (or the `escalate` verb), and bind a role only if they hold its
 * permissions (or the `bind` verb on it). Members of system:masters hold everything.
 */
import type { KubeObject } from "../../api/types.js";
import { forbidden } from "../../api/status.js";
import type { AdmissionPlugin } from "../registry/admission.js";
import type { RbacAuthorizer } from "../auth/rbac/authorizer.js";
import { rulesCover } from "../auth/rbac/rules.js";
import type { PolicyRule, RoleRef } from "../auth/rbac/types.js";

const RBAC = "rbac.authorization.k8s.io";

export function rbacEscalation(authz: RbacAuthorizer): AdmissionPlugin {
  return {
    name: "RBACEscalation",
    async validate(a) {
      if (a.resource.group !== RBAC || (a.operation !== "CREATE" && a.operation !== "UPDATE") || !a.object) return;
      const ns = a.object.metadata.namespace ?? "";
      const base = { user: a.user, resourceRequest: true, path: "", apiGroup: RBAC, namespace: ns, subresource: "" };
      const owned = await authz.rulesFor(a.user, ns);
      const name = a.object.metadata.name ?? "";
      if (a.resource.kind === "Role" || a.resource.kind === "ClusterRole") {
        const wanted = ((a.object as { rules?: PolicyRule[] }).rules ?? []);
        if (rulesCover(owned, wanted)) return;
        if (await authz.allowed({ ...base, verb: "escalate", resource: a.resource.plural, name })) return;
        throw forbidden(`${a.resource.plural}.${RBAC} "${name}" is forbidden: user "${a.user.name}" (groups=${JSON.stringify(a.user.groups)}) is attempting to grant RBAC permissions not currently held`);
      }
      if (a.resource.kind === "RoleBinding" || a.resource.kind === "ClusterRoleBinding") {
        const ref = (a.object as unknown as { roleRef?: RoleRef }).roleRef;
        if (!ref) return;
        const refPlural = ref.kind === "ClusterRole" ? "clusterroles" : "roles";
        if (await authz.allowed({ ...base, verb: "bind", resource: refPlural, name: ref.name, namespace: ref.kind === "ClusterRole" ? "" : ns })) return;
        const roleTraits = a.reader.resource(RBAC, refPlural);
        const role: KubeObject | undefined = await a.reader.get(roleTraits, ref.kind === "Role" ? ns : undefined, ref.name);
        const wanted = ((role as { rules?: PolicyRule[] } | undefined)?.rules ?? []);
        if (role && rulesCover(owned, wanted)) return;
        throw forbidden(`${a.resource.plural}.${RBAC} "${name}" is forbidden: user "${a.user.name}" (groups=${JSON.stringify(a.user.groups)}) is attempting to grant RBAC permissions not currently held`);
      }
    },
  };
}
