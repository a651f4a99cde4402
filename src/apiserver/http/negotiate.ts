/**
 * Content negotiation: which representation the client asked for (JSON, a server-side Table,
 * or aggregated discovery), and how to read request bodies (JSON, YAML, patch types).
 */
import { parse as parseYaml } from "yaml";
import { badRequest, StatusError } from "../../api/status.js";
import { decodeKubernetesProtobuf, isProtobufContentType, isProtobufDecodeError } from "../protobuf/index.js";

export interface AcceptInfo {
  table: boolean;
  aggregatedDiscovery: boolean;
  partialObjectMetadata: boolean;
}

/** kubectl's Accept lists alternatives in preference order; we serve the first one we support. */
export function negotiate(accept: string | undefined): AcceptInfo {
  const out: AcceptInfo = { table: false, aggregatedDiscovery: false, partialObjectMetadata: false };
  if (!accept) return out;
  for (const raw of accept.split(",")) {
    const [mediaType, ...params] = raw.trim().split(";").map((s) => s.trim());
    const p = Object.fromEntries(params.map((kv) => kv.split("=").map((s) => s.trim()) as [string, string]));
    if (mediaType !== "application/json" && mediaType !== "*/*" && mediaType !== "application/*") continue;
    if (p.as === "Table" && p.g === "meta.k8s.io" && (p.v === "v1" || p.v === "v1beta1")) {
      out.table = true;
      return out;
    }
    if (p.as === "APIGroupDiscoveryList" && p.g === "apidiscovery.k8s.io" && p.v === "v2") {
      out.aggregatedDiscovery = true;
      return out;
    }
    if (p.as === "PartialObjectMetadata" || p.as === "PartialObjectMetadataList") {
      out.partialObjectMetadata = true;
      return out;
    }
    if (!p.as) return out;
  }
  return out;
}

export type PatchType = "strategic" | "merge" | "json" | "apply";

export function patchTypeOf(contentType: string | undefined): PatchType | undefined {
  const mt = (contentType ?? "").split(";")[0].trim().toLowerCase();
  switch (mt) {
    case "application/strategic-merge-patch+json":
      return "strategic";
    case "application/merge-patch+json":
      return "merge";
    case "application/json-patch+json":
      return "json";
    case "application/apply-patch+yaml":
    case "application/apply-patch+cbor":
      return "apply";
    default:
      return undefined;
  }
}

const MAX_DEPTH = 100;

function checkDepth(v: unknown, depth = 0): void {
  if (depth > MAX_DEPTH) throw badRequest(`the object nesting exceeds the maximum depth of ${MAX_DEPTH}`);
  if (Array.isArray(v)) for (const x of v) checkDepth(x, depth + 1);
  else if (v && typeof v === "object") for (const x of Object.values(v)) checkDepth(x, depth + 1);
}

/**
 * Decodes a request body. JSON is the wire format kubectl uses; YAML is accepted for
 * application/yaml and apply patches. Aliases are capped (YAML bombs) and nesting is bounded.
 * `__proto__` keys stay plain data: JSON.parse defines them as own properties.
 * Protobuf (what kubectl's typed `create` subcommands send) is decoded to the same JSON object.
 */
export function decodeBody(body: Buffer, contentType: string | undefined): unknown {
  if (isProtobufContentType(contentType)) return decodeProtobufBody(body);
  const mt = (contentType ?? "application/json").split(";")[0].trim().toLowerCase();
  const text = body.toString("utf8");
  if (text.trim() === "") throw badRequest("the request body is empty");
  let value: unknown;
  const yamlish = mt === "application/yaml" || mt === "application/apply-patch+yaml" || mt === "text/yaml";
  try {
    value = JSON.parse(text);
  } catch (jsonErr) {
    if (!yamlish) throw badRequest(`the body of the request was in an unknown format - accepted media types include: application/json, application/yaml; ${(jsonErr as Error).message}`);
    try {
      value = parseYaml(text, { maxAliasCount: 100, uniqueKeys: true, prettyErrors: false });
    } catch (yamlErr) {
      if (yamlErr instanceof StatusError) throw yamlErr;
      throw badRequest(`error decoding YAML: ${(yamlErr as Error).message}`);
    }
  }
  checkDepth(value);
  return value;
}

function decodeProtobufBody(body: Buffer): unknown {
  try {
    return decodeKubernetesProtobuf(body).object;
  } catch (err) {
    if (!isProtobufDecodeError(err)) throw err;
    if (err.reason === "UnsupportedKind") throw new StatusError(415, "UnsupportedMediaType", err.message);
    throw badRequest(`error decoding the protobuf request body: ${err.message}`);
  }
}
