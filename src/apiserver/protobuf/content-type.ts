/** Recognises Kubernetes' protobuf media type, with or without parameters, in any letter case. */

export const PROTOBUF_MEDIA_TYPE = "application/vnd.kubernetes.protobuf";

export function isProtobufContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  return contentType.split(";")[0].trim().toLowerCase() === PROTOBUF_MEDIA_TYPE;
}
