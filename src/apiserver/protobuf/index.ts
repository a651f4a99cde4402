/**
 * Kubernetes protobuf request bodies, decoded to the JSON objects the rest of the API server
 * speaks. Real kubectl sends `create configmap|secret|namespace|serviceaccount|role|rolebinding|
 * clusterrole|clusterrolebinding|token` as `application/vnd.kubernetes.protobuf`.
 *
 * Model: body = "k8s\0" + runtime.Unknown{typeMeta, raw}; `raw` is decoded with a hand-written
 * descriptor table per kind (schemas/) by a small wire reader (wire.ts, decode-message.ts).
 *
 * Invariants:
 * - the result equals what kubectl would have sent as JSON: JSON field names, zero values of
 *   `omitempty` fields and empty lists/maps left out, bytes as base64, Time as RFC 3339 seconds;
 * - decoding never reads outside the body, never nests deeper than 100 messages, never accepts
 *   more than 3 MiB, and fails only with ProtobufDecodeError (reason Malformed → 400,
 *   UnsupportedKind → 415);
 * - unknown field numbers are skipped, as upstream's decoder does.
 */
export { isProtobufContentType, PROTOBUF_MEDIA_TYPE } from "./content-type.js";
export { decodeKubernetesProtobuf, MAX_MESSAGE_BYTES, type DecodedObject } from "./envelope.js";
export { isProtobufDecodeError, ProtobufDecodeError, type ProtobufErrorReason } from "./errors.js";
