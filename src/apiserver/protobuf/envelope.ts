/**
 * The Kubernetes protobuf envelope: the magic prefix "k8s\0", then a runtime.Unknown message
 * { typeMeta = 1 { apiVersion = 1, kind = 2 }, raw = 2, contentEncoding = 3, contentType = 4 }
 * whose `raw` is the object's own message. The envelope names the type; the object message
 * carries no apiVersion/kind of its own, so we put them back at the front of the JSON object.
 */
import { decodeMessage, MAX_DEPTH } from "./decode-message.js";
import { malformed, ProtobufDecodeError } from "./errors.js";
import { descriptorFor, supportedKinds } from "./kinds.js";
import { WireReader, WireType, type Tag } from "./wire.js";

export const PROTOBUF_MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** kube-apiserver's limit for a write body; a protobuf body is never larger than its JSON. */
export const MAX_MESSAGE_BYTES = 3 * 1024 * 1024;

export interface DecodedObject {
  apiVersion: string;
  kind: string;
  object: Record<string, unknown>;
}

interface Envelope {
  apiVersion: string;
  kind: string;
  raw: Buffer;
  contentEncoding: string;
}

export function decodeKubernetesProtobuf(body: Buffer): DecodedObject {
  if (body.length > MAX_MESSAGE_BYTES) throw malformed(`the protobuf message is ${body.length} bytes, over the limit of ${MAX_MESSAGE_BYTES}`);
  if (body.length < PROTOBUF_MAGIC.length || !body.subarray(0, PROTOBUF_MAGIC.length).equals(PROTOBUF_MAGIC)) {
    throw malformed(`provided data does not appear to be a protobuf message, expected prefix [${[...PROTOBUF_MAGIC].join(" ")}]`);
  }
  if (body.length === PROTOBUF_MAGIC.length) throw malformed("empty body");
  const env = readEnvelope(body.subarray(PROTOBUF_MAGIC.length));
  if (!env.kind) throw malformed("Object 'Kind' is missing in the protobuf envelope");
  if (!env.apiVersion) throw malformed("Object 'apiVersion' is missing in the protobuf envelope");
  if (env.contentEncoding) throw malformed(`unsupported contentEncoding ${JSON.stringify(env.contentEncoding)} in the protobuf envelope`);
  const desc = descriptorFor(env.apiVersion, env.kind);
  if (!desc) {
    throw new ProtobufDecodeError(
      "UnsupportedKind",
      `no protobuf decoding for ${env.apiVersion}, Kind=${env.kind}; send it as application/json (protobuf is accepted for: ${supportedKinds().join("; ")})`,
    );
  }
  // Depth 1 is the envelope, so the object itself starts at depth 2.
  const fields = decodeMessage(env.raw, desc, 2) as Record<string, unknown>;
  const object = { apiVersion: env.apiVersion, kind: env.kind, ...fields };
  return { apiVersion: env.apiVersion, kind: env.kind, object };
}

function readEnvelope(buf: Buffer): Envelope {
  const env: Envelope = { apiVersion: "", kind: "", raw: Buffer.alloc(0), contentEncoding: "" };
  const reader = new WireReader(buf);
  while (!reader.done) {
    const tag = reader.readTag();
    switch (tag.fieldNumber) {
      case 1:
        readTypeMeta(lengthDelimited(reader, tag, "Unknown.typeMeta"), env);
        break;
      case 2:
        env.raw = lengthDelimited(reader, tag, "Unknown.raw");
        break;
      case 3:
        env.contentEncoding = lengthDelimited(reader, tag, "Unknown.contentEncoding").toString("utf8");
        break;
      default:
        // contentType (4) is informational upstream too; anything else is an unknown field.
        reader.skipField(tag, 1, MAX_DEPTH);
    }
  }
  return env;
}

function readTypeMeta(buf: Buffer, env: Envelope): void {
  const reader = new WireReader(buf);
  while (!reader.done) {
    const tag = reader.readTag();
    if (tag.fieldNumber === 1) env.apiVersion = lengthDelimited(reader, tag, "TypeMeta.apiVersion").toString("utf8");
    else if (tag.fieldNumber === 2) env.kind = lengthDelimited(reader, tag, "TypeMeta.kind").toString("utf8");
    else reader.skipField(tag, 2, MAX_DEPTH);
  }
}

function lengthDelimited(reader: WireReader, tag: Tag, where: string): Buffer {
  if (tag.wireType !== WireType.LengthDelimited) throw malformed(`${where} has wire type ${tag.wireType}, expected ${WireType.LengthDelimited}`);
  return reader.readLengthDelimited();
}
