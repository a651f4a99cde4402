/**
 * authorization.k8s.io/v1 access and rules reviews, which `kubectl auth can-i` posts (with
 * `--list`, a SelfSubjectRulesReview). Field numbers from kubernetes/api authorization/v1/
 * generated.proto; the review status is the server's answer, so only the request side is read.
 */
import { field, mapOf, message, repeated } from "../descriptor.js";
import { ObjectMeta } from "./meta-v1.js";

export const ResourceAttributes = message("ResourceAttributes", {
  1: field("namespace", "string"),
  2: field("verb", "string"),
  3: field("group", "string"),
  4: field("version", "string"),
  5: field("resource", "string"),
  6: field("subresource", "string"),
  7: field("name", "string"),
});

export const NonResourceAttributes = message("NonResourceAttributes", {
  1: field("path", "string"),
  2: field("verb", "string"),
});

export const SelfSubjectAccessReviewSpec = message("SelfSubjectAccessReviewSpec", {
  1: field("resourceAttributes", ResourceAttributes),
  2: field("nonResourceAttributes", NonResourceAttributes),
});

export const ExtraValue = message("ExtraValue", { 1: repeated("items", "string") }, (f) => f.items ?? []);

export const SubjectAccessReviewSpec = message("SubjectAccessReviewSpec", {
  1: field("resourceAttributes", ResourceAttributes),
  2: field("nonResourceAttributes", NonResourceAttributes),
  3: field("user", "string"),
  4: repeated("groups", "string"),
  5: mapOf("extra", ExtraValue),
  6: field("uid", "string"),
});

export const SelfSubjectRulesReviewSpec = message("SelfSubjectRulesReviewSpec", {
  1: field("namespace", "string"),
});

export const SelfSubjectAccessReview = message("SelfSubjectAccessReview", {
  1: field("metadata", ObjectMeta),
  2: field("spec", SelfSubjectAccessReviewSpec),
});

export const SubjectAccessReview = message("SubjectAccessReview", {
  1: field("metadata", ObjectMeta),
  2: field("spec", SubjectAccessReviewSpec),
});

export const LocalSubjectAccessReview = message("LocalSubjectAccessReview", {
  1: field("metadata", ObjectMeta),
  2: field("spec", SubjectAccessReviewSpec),
});

export const SelfSubjectRulesReview = message("SelfSubjectRulesReview", {
  1: field("metadata", ObjectMeta),
  2: field("spec", SelfSubjectRulesReviewSpec),
});
