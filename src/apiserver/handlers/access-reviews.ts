/**
 * POST /apis/authorization.k8s.io/v1/{selfsubjectaccessreviews, subjectaccessreviews,
 * namespaces/{ns}/localsubjectaccessreviews, selfsubjectrulesreviews}: what `kubectl auth can-i`
 * asks. Each answer is the RBAC authorizer's decision for the same attributes a real request
 * would carry (system:masters allowed), returned as the posted object with a status, 201 Created.
 *
 * Invariant: nothing is stored or changed — the handler holds only the authorizer, which reads.
 * Who may ask is decided before this handler, like any create (system:basic-user lets every
 * authenticated user review itself; reviewing others needs create on subjectaccessreviews).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { badRequest, methodNotAllowed, StatusError } from "../../api/status.js";
import type { ResourceTraits } from "../../api/types.js";
import type { RbacAuthorizer } from "../auth/rbac/authorizer.js";
import type { PolicyRule } from "../auth/rbac/types.js";
import type { UserInfo } from "../registry/admission.js";
import type { RequestInfo } from "../http/request-info.js";
import { readBody } from "../http/body.js";
import { decodeBody } from "../http/negotiate.js";
import { sendJson } from "../http/respond.js";
import { AUTHORIZATION_RESOURCES } from "./authorization-resources.js";
import { attributesOf, decodeReview, validateAccessReview, type AccessReviewSpec, type Review } from "./review-decode.js";

type Authorizer = Pick<RbacAuthorizer, "decide" | "rulesFor">;

const notFound = () => new StatusError(404, "NotFound", "the server could not find the requested resource");

/** Handles a request to the authorization.k8s.io group (every verb but create is refused, as upstream). */
export async function handleAuthorizationReview(req: IncomingMessage, res: ServerResponse, info: RequestInfo, user: UserInfo, authz: Authorizer): Promise<void> {
  const t = AUTHORIZATION_RESOURCES.find((r) => r.version === info.version && r.plural === info.resource);
  if (!t || info.subresource || (t.namespaced ? !info.namespace : !!info.namespace)) throw notFound();
  if (info.verb !== "create" || info.name) throw methodNotAllowed("the server does not allow this method on the requested resource");
  const raw = await readBody(req);
  const review = decodeReview(t, decodeBody(raw, req.headers["content-type"]), t.kind.endsWith("SubjectAccessReview") && t.kind !== "SelfSubjectAccessReview");
  const answer = t.kind === "SelfSubjectRulesReview" ? await rulesReview(t, review, user, authz) : await accessReview(t, review, info, user, authz);
  sendJson(req, res, 201, answer);
}

async function accessReview(t: ResourceTraits, review: Review, info: RequestInfo, user: UserInfo, authz: Authorizer): Promise<Review & { status: unknown }> {
  if (t.kind === "LocalSubjectAccessReview") {
    // As any namespaced create upstream: an unset namespace takes the request's, a different one is refused.
    const ns = (review.metadata.namespace as string | undefined) || info.namespace;
    if (ns !== info.namespace) throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
    review.metadata.namespace = ns;
  }
  const spec = validateAccessReview(t, review);
  const subject = t.kind === "SelfSubjectAccessReview" ? { name: user.name, groups: user.groups } : subjectOf(spec);
  const decision = await authz.decide(attributesOf(subject, spec));
  const status: Record<string, unknown> = { allowed: decision.allowed };
  if (decision.reason) status.reason = decision.reason;
  return { ...review, metadata: { ...review.metadata, creationTimestamp: null }, status };
}

/** The subject a SubjectAccessReview asks about: only its user and groups decide under RBAC. */
function subjectOf(spec: AccessReviewSpec): { name: string; groups: string[] } {
  return { name: spec.user ?? "", groups: spec.groups ?? [] };
}

async function rulesReview(t: ResourceTraits, review: Review, user: UserInfo, authz: Authorizer): Promise<unknown> {
  const namespace = (review.spec.namespace as string | undefined) ?? "";
  if (!namespace) throw badRequest("no namespace on request");
  const rules = await authz.rulesFor({ name: user.name, groups: user.groups }, namespace);
  // Upstream answers with a fresh object: the status alone, spec left empty.
  return {
    kind: t.kind,
    apiVersion: `${t.group}/${t.version}`,
    metadata: { creationTimestamp: null },
    spec: {},
    status: { resourceRules: resourceRules(rules), nonResourceRules: nonResourceRules(rules), incomplete: false },
  };
}

function resourceRules(rules: PolicyRule[]): Record<string, string[]>[] {
  return rules.filter((r) => (r.resources ?? []).length > 0).map((r) => {
    const out: Record<string, string[]> = { verbs: r.verbs };
    if (r.apiGroups?.length) out.apiGroups = r.apiGroups;
    out.resources = r.resources!;
    if (r.resourceNames?.length) out.resourceNames = r.resourceNames;
    return out;
  });
}

function nonResourceRules(rules: PolicyRule[]): Record<string, string[]>[] {
  return rules.filter((r) => (r.nonResourceURLs ?? []).length > 0).map((r) => ({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs! }));
}
