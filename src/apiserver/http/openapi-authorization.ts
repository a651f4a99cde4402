/**
 * The OpenAPI v3 document of authorization.k8s.io/v1: one POST per review kind and the review
 * schemas. kubectl's `create -f` validates a body against the document of its group/version
 * and gives up ("unable to respond with a content type…") when the group has none, so the
 * create-only review kinds need one even though they are not stored kinds.
 */
import { KUBERNETES_VERSION, referencedClosure, schemas, type Schema } from "../../api/index.js";
import { AUTHORIZATION_GROUP, AUTHORIZATION_RESOURCES } from "../handlers/authorization-resources.js";

const PREFIX = "io.k8s.api.authorization.v1.";
const META = "io.k8s.apimachinery.pkg.apis.meta.v1.";
const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const str = (description: string): Schema => ({ type: "string", description });
const strings = (description: string): Schema => ({ type: "array", description, items: { type: "string", default: "" }, "x-kubernetes-list-type": "atomic" });

const resourceAttributes: Schema = {
  type: "object",
  description: "The attributes of a resource request.",
  properties: {
    namespace: str("Namespace of the action; empty means all namespaces (or a cluster-scoped resource)."),
    verb: str("A resource verb: get, list, watch, create, update, delete… \"*\" means all."),
    group: str("API group of the resource; \"*\" means all."),
    version: str("API version of the resource; \"*\" means all."),
    resource: str("Resource (plural); \"*\" means all."),
    subresource: str("Subresource; empty means none."),
    name: str("Name of the object; empty means all."),
  },
};

const nonResourceAttributes: Schema = {
  type: "object",
  description: "The attributes of a non-resource request.",
  properties: { path: str("URL path of the request."), verb: str("HTTP verb, lowercase.") },
};

const accessStatus: Schema = {
  type: "object",
  description: "The authorizer's answer.",
  required: ["allowed"],
  properties: {
    allowed: { type: "boolean", default: false, description: "True when the action would be allowed." },
    denied: { type: "boolean", description: "True when the action would be denied explicitly." },
    reason: str("Why the action was allowed or denied."),
    evaluationError: str("An error met while deciding."),
  },
};

function review(kind: string, spec: string, status: string, description: string): Schema {
  return {
    type: "object",
    description,
    required: ["spec"],
    properties: {
      apiVersion: str("Always authorization.k8s.io/v1."),
      kind: str(`Always ${kind}.`),
      metadata: { allOf: [ref(META + "ObjectMeta")], default: {}, description: "Must be empty (namespace aside for a local review)." },
      spec: { allOf: [ref(PREFIX + spec)], default: {}, description: "The question." },
      status: { allOf: [ref(PREFIX + status)], default: {}, description: "The answer, filled by the server." },
    },
    "x-kubernetes-group-version-kind": [{ group: AUTHORIZATION_GROUP, version: "v1", kind }],
  };
}

const accessSpec = (subject: boolean): Schema => ({
  type: "object",
  description: "Exactly one of resourceAttributes and nonResourceAttributes.",
  properties: {
    resourceAttributes: ref(PREFIX + "ResourceAttributes"),
    nonResourceAttributes: ref(PREFIX + "NonResourceAttributes"),
    ...(subject
      ? {
        user: str("The user to check for."),
        groups: strings("The groups to check for."),
        uid: str("The user's uid."),
        extra: { type: "object", description: "The user's extra attributes.", additionalProperties: strings("Values.") },
      }
      : {}),
  },
});

const rule = (fields: string[]): Schema => ({
  type: "object",
  required: ["verbs"],
  properties: Object.fromEntries(fields.map((f) => [f, strings(f)])),
});

export const AUTHORIZATION_SCHEMAS: Record<string, Schema> = {
  [PREFIX + "ResourceAttributes"]: resourceAttributes,
  [PREFIX + "NonResourceAttributes"]: nonResourceAttributes,
  [PREFIX + "SubjectAccessReviewStatus"]: accessStatus,
  [PREFIX + "SelfSubjectAccessReviewSpec"]: accessSpec(false),
  [PREFIX + "SubjectAccessReviewSpec"]: accessSpec(true),
  [PREFIX + "SelfSubjectRulesReviewSpec"]: { type: "object", properties: { namespace: str("Namespace to list the rules of.") } },
  [PREFIX + "ResourceRule"]: rule(["verbs", "apiGroups", "resources", "resourceNames"]),
  [PREFIX + "NonResourceRule"]: rule(["verbs", "nonResourceURLs"]),
  [PREFIX + "SubjectRulesReviewStatus"]: {
    type: "object",
    required: ["resourceRules", "nonResourceRules", "incomplete"],
    properties: {
      resourceRules: { type: "array", items: ref(PREFIX + "ResourceRule") },
      nonResourceRules: { type: "array", items: ref(PREFIX + "NonResourceRule") },
      incomplete: { type: "boolean", default: false },
      evaluationError: str("An error met while listing."),
    },
  },
  [PREFIX + "SelfSubjectAccessReview"]: review("SelfSubjectAccessReview", "SelfSubjectAccessReviewSpec", "SubjectAccessReviewStatus", "Can the requesting user perform an action?"),
  [PREFIX + "SubjectAccessReview"]: review("SubjectAccessReview", "SubjectAccessReviewSpec", "SubjectAccessReviewStatus", "Can a user or group perform an action?"),
  [PREFIX + "LocalSubjectAccessReview"]: review("LocalSubjectAccessReview", "SubjectAccessReviewSpec", "SubjectAccessReviewStatus", "Can a user or group perform an action in this namespace?"),
  [PREFIX + "SelfSubjectRulesReview"]: review("SelfSubjectRulesReview", "SelfSubjectRulesReviewSpec", "SubjectRulesReviewStatus", "What may the requesting user do in a namespace?"),
};

const queryParam = (name: string, description: string) => ({ name, in: "query", description, schema: { type: "string", uniqueItems: true } });
const content = (name: string) => ({ "application/json": { schema: ref(name) }, "application/yaml": { schema: ref(name) } });

export function authorizationOpenApiDocument(): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const r of AUTHORIZATION_RESOURCES) {
    const name = PREFIX + r.kind;
    const base = r.namespaced ? `/apis/${AUTHORIZATION_GROUP}/v1/namespaces/{namespace}/${r.plural}` : `/apis/${AUTHORIZATION_GROUP}/v1/${r.plural}`;
    const scope = r.namespaced ? [{ name: "namespace", in: "path", required: true, description: "The namespace.", schema: { type: "string", uniqueItems: true } }] : [];
    paths[base] = {
      parameters: scope,
      post: {
        tags: ["authorization_v1"],
        description: `create a ${r.kind}`,
        operationId: `createAuthorizationV1${r.namespaced ? "Namespaced" : ""}${r.kind}`,
        parameters: [queryParam("dryRun", "All: validate only."), queryParam("fieldManager", "Name of the actor."), queryParam("fieldValidation", "Ignore, Warn or Strict."), queryParam("pretty", "Pretty-print.")],
        requestBody: { content: { "*/*": { schema: ref(name) } }, required: true },
        responses: { 200: { description: "OK", content: content(name) }, 201: { description: "Created", content: content(name) }, 202: { description: "Accepted", content: content(name) }, 401: { description: "Unauthorized" } },
        "x-kubernetes-action": "post",
        "x-kubernetes-group-version-kind": { group: AUTHORIZATION_GROUP, version: "v1", kind: r.kind },
      },
    };
  }
  const componentSchemas: Record<string, Schema> = { ...AUTHORIZATION_SCHEMAS };
  for (const name of referencedClosure(new Set([META + "ObjectMeta", META + "Status"]))) componentSchemas[name] = schemas[name];
  return {
    openapi: "3.0.0",
    info: { title: "Kubernetes", version: KUBERNETES_VERSION },
    paths,
    components: { schemas: componentSchemas, securitySchemes: { BearerToken: { type: "apiKey", description: "Bearer token authentication", name: "authorization", in: "header" } } },
  };
}
