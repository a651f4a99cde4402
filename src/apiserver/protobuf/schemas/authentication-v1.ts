/**
 * authentication.k8s.io/v1 TokenRequest, which `kubectl create token` posts to a service
 * account's token subresource. Field numbers from kubernetes/api authentication/v1/generated.proto
 * (note the spec's numbering: boundObjectRef is 3, expirationSeconds 4).
 */
import { field, message, repeated } from "../descriptor.js";
import { ObjectMeta } from "./meta-v1.js";
import { Time } from "./value-types.js";

export const BoundObjectReference = message("BoundObjectReference", {
  1: field("kind", "string"),
  2: field("apiVersion", "string"),
  3: field("name", "string"),
  4: field("uid", "string"),
});

export const TokenRequestSpec = message("TokenRequestSpec", {
  1: repeated("audiences", "string"),
  3: field("boundObjectRef", BoundObjectReference),
  4: field("expirationSeconds", "int64", { nullable: true }),
});

export const TokenRequestStatus = message("TokenRequestStatus", {
  1: field("token", "string", { required: true }),
  2: field("expirationTimestamp", Time),
});

export const TokenRequest = message("TokenRequest", {
  1: field("metadata", ObjectMeta),
  2: field("spec", TokenRequestSpec),
  3: field("status", TokenRequestStatus),
});
