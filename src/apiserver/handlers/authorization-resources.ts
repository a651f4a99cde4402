/**
 * The authorization.k8s.io/v1 review kinds, as discovery sees them: create-only questions to the
 * authorizer, never stored, so they are kept out of the stored kinds (src/api) that the
 * registry, OpenAPI and the namespace controller iterate; only discovery lists them.
 */
import type { ResourceTraits } from "../../api/types.js";

export const AUTHORIZATION_GROUP = "authorization.k8s.io";

function reviewKind(kind: string, plural: string, namespaced: boolean): ResourceTraits {
  return {
    group: AUTHORIZATION_GROUP,
    version: "v1",
    kind,
    listKind: `${kind}List`,
    plural,
    singular: plural.replace(/s$/, ""),
    shortNames: [],
    namespaced,
    categories: [],
    subresources: [],
    verbs: ["create"],
    schemaName: `io.k8s.api.authorization.v1.${kind}`,
    applyDefaults: () => undefined,
    validateCreate: () => [],
    validateUpdate: () => [],
    tableColumns: [],
    tableRow: () => [],
    fieldSelectors: {},
  };
}

export const LOCAL_SUBJECT_ACCESS_REVIEWS = reviewKind("LocalSubjectAccessReview", "localsubjectaccessreviews", true);
export const SELF_SUBJECT_ACCESS_REVIEWS = reviewKind("SelfSubjectAccessReview", "selfsubjectaccessreviews", false);
export const SELF_SUBJECT_RULES_REVIEWS = reviewKind("SelfSubjectRulesReview", "selfsubjectrulesreviews", false);
export const SUBJECT_ACCESS_REVIEWS = reviewKind("SubjectAccessReview", "subjectaccessreviews", false);

/** In upstream's discovery order (alphabetical by resource). */
export const AUTHORIZATION_RESOURCES: ResourceTraits[] = [
  LOCAL_SUBJECT_ACCESS_REVIEWS,
  SELF_SUBJECT_ACCESS_REVIEWS,
  SELF_SUBJECT_RULES_REVIEWS,
  SUBJECT_ACCESS_REVIEWS,
];
