/**
 * Decoding and validating authorization.k8s.io/v1 review bodies (SelfSubjectAccessReview,
 * SubjectAccessReview, LocalSubjectAccessReview, SelfSubjectRulesReview), as upstream's strict
 * JSON decoding (wrong JSON types → 400) followed by pkg/apis/authorization/validation (→ 422).
 * A review is a question, never stored: its metadata must be empty (namespace aside for the
 * local review), because nothing could ever read a name or label back.
 */
import { badRequest } from "../../api/status.js";
import { invalid, invalidError, type FieldError, type ResourceTraits } from "../../api/index.js";
import { checkTypeMeta } from "../registry/write.js";
import type { Attributes } from "../auth/rbac/types.js";

export interface ResourceAttributesSpec {
  namespace?: string;
  verb?: string;
  group?: string;
  version?: string;
  resource?: string;
  subresource?: string;
  name?: string;
}

export interface NonResourceAttributesSpec {
  path?: string;
  verb?: string;
}

export interface AccessReviewSpec {
  resourceAttributes?: ResourceAttributesSpec;
  nonResourceAttributes?: NonResourceAttributesSpec;
  user?: string;
  groups?: string[];
  uid?: string;
  extra?: Record<string, string[]>;
}

export interface Review {
  apiVersion: string;
  kind: string;
  metadata: Record<string, unknown>;
  spec: Record<string, unknown>;
}

type Shape = "string" | "strings" | "object" | "extra";

const RESOURCE_FIELDS: Record<string, Shape> = { namespace: "string", verb: "string", group: "string", version: "string", resource: "string", subresource: "string", name: "string" };
const NON_RESOURCE_FIELDS: Record<string, Shape> = { path: "string", verb: "string" };
const SUBJECT_FIELDS: Record<string, Shape> = { user: "string", groups: "strings", uid: "string", extra: "extra" };

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function jsonType(v: unknown): string {
  if (Array.isArray(v)) return "array";
  if (v === null) return "null";
  return typeof v === "object" ? "object" : typeof v;
}

/** Upstream's decode failure for a field of the wrong JSON type: 400, naming the Go field and its type. */
function typeError(kind: string, path: string, got: unknown, want: string): never {
  throw badRequest(`${kind} in version "v1" cannot be handled as a ${kind}: json: cannot unmarshal ${jsonType(got)} into Go struct field ${path} of type ${want}`);
}

function checkShape(kind: string, path: string, v: unknown, shape: Shape): void {
  if (v === undefined || v === null) return;
  const ok =
    shape === "string" ? typeof v === "string"
      : shape === "strings" ? Array.isArray(v) && v.every((s) => typeof s === "string")
        : shape === "object" ? isPlainObject(v)
          : isPlainObject(v) && Object.values(v).every((l) => l === null || (Array.isArray(l) && l.every((s) => typeof s === "string")));
  if (!ok) typeError(kind, path, v, shape === "string" ? "string" : shape === "strings" ? "[]string" : shape === "extra" ? "map[string]v1.ExtraValue" : "struct");
}

function checkFields(kind: string, prefix: string, obj: Record<string, unknown>, fields: Record<string, Shape>): void {
  for (const [k, shape] of Object.entries(fields)) checkShape(kind, `${prefix}.${k}`, obj[k], shape);
}

/** The body as a review of kind `t`: an object with the expected type meta and well-typed fields. */
export function decodeReview(t: ResourceTraits, body: unknown, subject: boolean): Review {
  if (!isPlainObject(body)) throw badRequest("the request body must be a JSON object");
  const obj = body as unknown as Review;
  checkTypeMeta(t, obj as never);
  if (obj.metadata === undefined || obj.metadata === null) obj.metadata = {};
  if (obj.spec === undefined || obj.spec === null) obj.spec = {};
  checkShape(t.kind, `${t.kind}.metadata`, obj.metadata, "object");
  checkShape(t.kind, `${t.kind}.spec`, obj.spec, "object");
  const spec = obj.spec;
  if (t.kind === "SelfSubjectRulesReview") {
    checkShape(t.kind, "SelfSubjectRulesReviewSpec.spec.namespace", spec.namespace, "string");
    return obj;
  }
  const specType = subject ? "SubjectAccessReviewSpec" : "SelfSubjectAccessReviewSpec";
  checkShape(t.kind, `${specType}.spec.resourceAttributes`, spec.resourceAttributes, "object");
  checkShape(t.kind, `${specType}.spec.nonResourceAttributes`, spec.nonResourceAttributes, "object");
  if (isPlainObject(spec.resourceAttributes)) checkFields(t.kind, "ResourceAttributes.spec.resourceAttributes", spec.resourceAttributes, RESOURCE_FIELDS);
  if (isPlainObject(spec.nonResourceAttributes)) checkFields(t.kind, "NonResourceAttributes.spec.nonResourceAttributes", spec.nonResourceAttributes, NON_RESOURCE_FIELDS);
  if (subject) checkFields(t.kind, `${specType}.spec`, spec, SUBJECT_FIELDS);
  return obj;
}

/** Metadata a client may send that still counts as empty (kubectl's `creationTimestamp: null`). */
function metadataIsEmpty(meta: Record<string, unknown>, allowNamespace: boolean): boolean {
  return Object.entries(meta).every(([k, v]) => v === null || (k === "managedFields") || (allowNamespace && k === "namespace") || (k === "creationTimestamp" && !v));
}

/** ValidateSubjectAccessReviewSpec / ValidateSelfSubjectAccessReviewSpec. */
function validateSpec(spec: AccessReviewSpec, subject: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const res = spec.resourceAttributes ?? undefined;
  const nonRes = spec.nonResourceAttributes ?? undefined;
  if (res && nonRes) errs.push(invalid("spec.nonResourceAttributes", nonRes, "cannot be specified in combination with resourceAttributes"));
  if (!res && !nonRes) errs.push(invalid("spec.resourceAttributes", null, "exactly one of nonResourceAttributes or resourceAttributes must be specified"));
  if (subject && !spec.user && !(spec.groups ?? []).length) errs.push(invalid("spec.user", spec.user ?? "", "at least one of user or group must be specified"));
  return errs;
}

/** Upstream's validation of an access review of kind `t`; throws 422 Invalid. */
export function validateAccessReview(t: ResourceTraits, review: Review): AccessReviewSpec {
  const spec = review.spec as AccessReviewSpec;
  const local = t.kind === "LocalSubjectAccessReview";
  const errs = validateSpec(spec, t.kind !== "SelfSubjectAccessReview");
  if (!metadataIsEmpty(review.metadata, local)) errs.push(invalid("metadata", review.metadata, local ? "must be empty except for namespace" : "must be empty"));
  if (local) {
    const ns = (review.metadata.namespace as string | undefined) ?? "";
    if (spec.resourceAttributes && (spec.resourceAttributes.namespace ?? "") !== ns) {
      errs.push(invalid("spec.resourceAttributes.namespace", spec.resourceAttributes.namespace ?? "", "must match metadata.namespace"));
    }
    if (spec.nonResourceAttributes) errs.push(invalid("spec.nonResourceAttributes", spec.nonResourceAttributes, "disallowed on this kind of request"));
  }
  if (errs.length) throw invalidError(t, "", errs);
  return spec;
}

/** The authorizer's view of the question (upstream's ResourceAttributesFrom / NonResourceAttributesFrom). */
export function attributesOf(user: Attributes["user"], spec: AccessReviewSpec): Attributes {
  const r = spec.resourceAttributes;
  if (r) {
    return {
      user, verb: r.verb ?? "", resourceRequest: true, path: "", apiGroup: r.group ?? "", resource: r.resource ?? "",
      subresource: r.subresource ?? "", namespace: r.namespace ?? "", name: r.name ?? "",
    };
  }
  const n = spec.nonResourceAttributes ?? {};
  return { user, verb: n.verb ?? "", resourceRequest: false, path: n.path ?? "", apiGroup: "", resource: "", subresource: "", namespace: "", name: "" };
}
