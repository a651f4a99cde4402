/**
 * POST serviceaccounts/{name}/token (TokenRequest, what `kubectl create token` calls): a bound
 * token for an existing ServiceAccount, valid until it expires or the account is deleted.
 */
import type { KubeObject } from "../../api/types.js";
import { StatusError } from "../../api/status.js";
import type { RegistryContext } from "../registry/context.js";
import { findResource } from "../registry/context.js";
import { getObject } from "../registry/read.js";
import { decodeBody } from "../http/negotiate.js";
import { readBody } from "../http/body.js";
import { sendJson } from "../http/respond.js";
import type { TokenIssuer } from "../auth/service-account-tokens.js";
import type { SubresourceHandler } from "./resource.js";

interface TokenRequestBody {
  spec?: { audiences?: string[]; expirationSeconds?: number; boundObjectRef?: unknown };
}

export function serviceAccountTokenHandler(reg: RegistryContext, issuer: TokenIssuer): SubresourceHandler {
  return async (req, res, info) => {
    if ((req.method ?? "").toUpperCase() !== "POST") throw new StatusError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
    const raw = await readBody(req);
    const body = (raw.length ? decodeBody(raw, req.headers["content-type"]) : {}) as TokenRequestBody;
    const exp = body.spec?.expirationSeconds;
    if (exp !== undefined && (!Number.isInteger(exp) || exp < 600)) {
      throw new StatusError(422, "Invalid", `TokenRequest.authentication.k8s.io "${info.name}" is invalid: spec.expirationSeconds: Invalid value: ${exp}: may not specify a duration less than 10 minutes`);
    }
    const sa = (await getObject(reg, findResource(reg, "", "serviceaccounts"), info.namespace, info.name)) as KubeObject;
    const { token, expiresAt } = await issuer.issue({ namespace: info.namespace, name: info.name, uid: sa.metadata.uid! }, { audiences: body.spec?.audiences, expirationSeconds: exp });
    sendJson(req, res, 201, {
      kind: "TokenRequest",
      apiVersion: "authentication.k8s.io/v1",
      metadata: { name: info.name, namespace: info.namespace, creationTimestamp: null },
      spec: { audiences: body.spec?.audiences?.length ? body.spec.audiences : ["https://kubernetes.default.svc.cluster.local"], expirationSeconds: Math.round((expiresAt.getTime() - Date.now()) / 1000), boundObjectRef: null },
      status: { token, expirationTimestamp: expiresAt.toISOString().replace(/\.\d+Z$/, "Z") },
    });
  };
}
