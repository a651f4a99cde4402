/** Creates upstream's default cluster roles and bindings when missing (idempotent, at start). */
import { StatusError } from "../../api/status.js";
import type { RegistryContext } from "../registry/context.js";
import { findResource } from "../registry/context.js";
import { createObject } from "../registry/write.js";
import { BOOTSTRAP_CLUSTER_ROLES, BOOTSTRAP_CLUSTER_ROLE_BINDINGS } from "./rbac/bootstrap-policy.js";

const SYSTEM = { name: "system:apiserver", groups: ["system:masters"] };
const META = { annotations: { "rbac.authorization.kubernetes.io/autoupdate": "true" }, labels: { "kubernetes.io/bootstrapping": "rbac-defaults" } };

async function ensure(ctx: RegistryContext, plural: string, obj: Record<string, unknown>): Promise<void> {
  try {
    await createObject(ctx, findResource(ctx, "rbac.authorization.k8s.io", plural), undefined, obj, {
      dryRun: false, fieldManager: "kube-apiserver", fieldValidation: "Strict", user: SYSTEM, subresource: "",
    });
  } catch (e) {
    if (!(e instanceof StatusError && e.reason === "AlreadyExists")) throw e;
  }
}

export async function bootstrapRbac(ctx: RegistryContext): Promise<void> {
  for (const r of BOOTSTRAP_CLUSTER_ROLES) {
    await ensure(ctx, "clusterroles", { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: r.name, ...META }, rules: r.rules });
  }
  for (const b of BOOTSTRAP_CLUSTER_ROLE_BINDINGS) {
    await ensure(ctx, "clusterrolebindings", {
      apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRoleBinding", metadata: { name: b.name, ...META },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: b.role }, subjects: b.subjects,
    });
  }
}
