/**
 * POST pods/{name}/binding: how a scheduler assigns a pod to a node. Sets spec.nodeName once
 * (a second binding is a 409, as upstream) and the PodScheduled condition, in one write.
 */
import type { KubeObject } from "../../api/types.js";
import { conflict, StatusError } from "../../api/status.js";
import { aggregateMessage, validatePodBinding } from "../../api/index.js";
import type { RegistryContext } from "../registry/context.js";
import { findResource } from "../registry/context.js";
import { updateObject } from "../registry/write.js";
import { decodeBody } from "../http/negotiate.js";
import { readBody } from "../http/body.js";
import { sendJson } from "../http/respond.js";
import type { SubresourceHandler } from "./resource.js";

interface Condition { type: string; status: string; lastTransitionTime?: string; lastProbeTime?: string | null; reason?: string; message?: string }

export function podBindingHandler(reg: RegistryContext): SubresourceHandler {
  return async (req, res, info, _t, user, query) => {
    if ((req.method ?? "").toUpperCase() !== "POST") throw new StatusError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
    const body = decodeBody(await readBody(req), req.headers["content-type"]) as { metadata?: { name?: string }; target?: { kind?: string; name?: string } };
    const node = body?.target?.name;
    const errs = validatePodBinding(body as never);
    if (errs.length > 0 || !node) throw new StatusError(422, "Invalid", `Binding.core "${info.name}" is invalid: ${aggregateMessage(errs.length ? errs : [{ type: "FieldValueRequired", field: "target.name" }])}`);
    const pods = findResource(reg, "", "pods");
    await updateObject(reg, pods, info.namespace, info.name, {
      allowCreate: false,
      desired: (cur: KubeObject | undefined) => {
        const pod = structuredClone(cur!);
        const spec = pod.spec as { nodeName?: string };
        if (pod.metadata.deletionTimestamp) throw conflict("pods", info.name, "", `pod ${info.name} is being deleted, cannot be assigned to a host`);
        if (spec.nodeName) throw conflict("pods", info.name, "", `pod ${info.name} is already assigned to node "${spec.nodeName}"`);
        spec.nodeName = node;
        const status = (pod.status ??= {}) as { conditions?: Condition[] };
        const conds = (status.conditions ?? []).filter((c) => c.type !== "PodScheduled");
        conds.push({ type: "PodScheduled", status: "True", lastProbeTime: null, lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, "Z") });
        status.conditions = conds;
        return pod;
      },
    }, { dryRun: query.getAll("dryRun").length > 0, fieldManager: "kube-scheduler", fieldValidation: "Ignore", user, subresource: "binding" });
    sendJson(req, res, 201, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 });
  };
}
