/**
 * One request, end to end: authenticate (SigV4 for service `elasticfilesystem` with the service's
 * credentials; /metrics may be delegated to the metrics authorizer), route, run the handler, wait until
 * every metadata write queued so far is durable, answer. Errors become AWS's shape: status,
 * `x-amzn-ErrorType`, `{"ErrorCode","Message",…}`. Every answer carries `x-amzn-RequestId`.
 */
import { randomUUID } from "node:crypto";
import type { Credentials } from "../persistence/credentials.js";
import type { MetadataStore } from "../persistence/metadata-store.js";
import {
  AccessDeniedException,
  EfsError,
  IncompleteSignatureException,
  InvalidSignatureException,
  MissingAuthenticationTokenException,
  UnknownOperationException,
  UnrecognizedClientException,
  toEfsError,
} from "../errors.js";
import type { MetricsRequest, ServiceParts } from "../handlers/context.js";
import { Router } from "../routes.js";
import { verifySigV4, type SigV4FailureKind } from "../sigv4/verify.js";
import type { EfsHttpRequest, EfsHttpResponse } from "./types.js";

export const SIGNING_SERVICE = "elasticfilesystem";

const AUTH_ERRORS: Record<SigV4FailureKind, new (message: string) => EfsError> = {
  MissingAuthenticationToken: MissingAuthenticationTokenException,
  IncompleteSignature: IncompleteSignatureException,
  InvalidSignature: InvalidSignatureException,
  UnrecognizedClient: UnrecognizedClientException,
};

export function errorResponse(err: EfsError): EfsHttpResponse {
  return {
    status: err.status,
    headers: { "content-type": "application/json", "x-amzn-errortype": err.code },
    body: JSON.stringify({ ErrorCode: err.code, Message: err.message, ...err.extra }),
  };
}

function metricsRequest(req: EfsHttpRequest): MetricsRequest {
  const headers: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) headers[k] = v.join(", ");
  return { method: req.method, path: req.rawPath, headers, remoteAddress: req.remoteAddress };
}

export function createDispatcher(parts: ServiceParts, store: MetadataStore, credentials: Credentials, now?: () => Date) {
  const router = new Router();
  const authenticate = (req: EfsHttpRequest, metricsRoute: boolean): void => {
    if (metricsRoute && parts.metricsAuthorizer) {
      if (!parts.metricsAuthorizer(metricsRequest(req))) throw new AccessDeniedException("Not authorized to read metrics.");
      return;
    }
    const result = verifySigV4(req, {
      service: SIGNING_SERVICE,
      region: parts.scope.region,
      now,
      // Static credentials only: a session token means credentials this service never issued.
      lookupSecret: (id, token) => (id === credentials.accessKeyId && token === undefined ? credentials.secretAccessKey : undefined),
    });
    if (!result.ok) throw new AUTH_ERRORS[result.kind](result.message);
  };

  return async function dispatch(req: EfsHttpRequest): Promise<EfsHttpResponse> {
    const started = process.hrtime.bigint();
    const requestId = randomUUID();
    const match = router.match(req.method, req.rawPath);
    const operation = match?.route.operation ?? "Unknown";
    let res: EfsHttpResponse;
    try {
      authenticate(req, match?.route.auth === "metrics");
      if (!match) throw new UnknownOperationException(`No operation ${req.method} ${req.rawPath.slice(0, 200)}.`);
      res = await match.route.handler({ req, params: match.params, parts });
      await store.sync();
    } catch (err) {
      const e = toEfsError(err);
      if (e.status >= 500) parts.log.error("request failed", { operation, requestId, err });
      try {
        await store.sync(); // whatever the failed request queued before throwing is settled too
      } catch {
        // reported through the store's commit-failure hook
      }
      res = errorResponse(e);
    }
    res.headers["x-amzn-requestid"] = requestId;
    parts.metrics.observeRequest(operation, res.status, Number(process.hrtime.bigint() - started) / 1e9);
    return res;
  };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;
