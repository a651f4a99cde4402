/**
 * Objects every cluster has from its first start: the system namespaces. Idempotent.
 */
import { StatusError } from "../api/status.js";
import type { RegistryContext } from "./registry/context.js";
import { findResource } from "./registry/context.js";
import { createObject } from "./registry/write.js";

const SYSTEM_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"];
const SYSTEM_USER = { name: "system:apiserver", groups: ["system:masters"] };

export async function bootstrapCluster(ctx: RegistryContext): Promise<void> {
  const ns = findResource(ctx, "", "namespaces");
  for (const name of SYSTEM_NAMESPACES) {
    try {
      await createObject(ctx, ns, undefined, { apiVersion: "v1", kind: "Namespace", metadata: { name } }, {
        dryRun: false, fieldManager: "kube-apiserver", fieldValidation: "Strict", user: SYSTEM_USER, subresource: "",
      });
    } catch (e) {
      if (!(e instanceof StatusError && e.reason === "AlreadyExists")) throw e;
    }
  }
}
