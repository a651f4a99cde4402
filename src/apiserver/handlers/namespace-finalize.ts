/**
 * PUT namespaces/{name}/finalize: the namespace controller clears spec.finalizers here once a
 * terminating namespace is empty; only spec.finalizers changes.
 */
import type { KubeObject } from "../../api/types.js";
import { StatusError } from "../../api/status.js";
import type { RegistryContext } from "../registry/context.js";
import { findResource } from "../registry/context.js";
import { asObject, updateObject } from "../registry/write.js";
import { decodeBody } from "../http/negotiate.js";
import { readBody } from "../http/body.js";
import { sendJson } from "../http/respond.js";
import type { SubresourceHandler } from "./resource.js";

export function namespaceFinalizeHandler(reg: RegistryContext): SubresourceHandler {
  return async (req, res, info, _t, user) => {
    if ((req.method ?? "").toUpperCase() !== "PUT") throw new StatusError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
    const body = asObject(decodeBody(await readBody(req), req.headers["content-type"]));
    const finalizers = ((body.spec ?? {}) as { finalizers?: string[] }).finalizers ?? [];
    const ns = findResource(reg, "", "namespaces");
    const out = await updateObject(reg, ns, undefined, info.name, {
      allowCreate: false,
      preconditionRv: body.metadata.resourceVersion || undefined,
      desired: (cur: KubeObject | undefined) => {
        const next = structuredClone(cur!);
        next.spec = { ...((next.spec ?? {}) as object), finalizers };
        return next;
      },
    }, { dryRun: false, fieldManager: "namespace-controller", fieldValidation: "Ignore", user, subresource: "finalize" });
    sendJson(req, res, 200, out.object);
  };
}
