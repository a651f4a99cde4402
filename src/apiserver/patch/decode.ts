/**
 * From a PATCH request to a decoded patch: which flavour the Content-Type names, and the body
 * parsed with upstream's 400 messages. Apply bodies are YAML (JSON is YAML); aliases are capped
 * so a "billion laughs" document cannot expand (CVE-2019-11253).
 */
import { parse } from "yaml";
import { badRequest } from "./errors.js";

export type PatchType = "json" | "merge" | "strategic" | "apply";

const CONTENT_TYPES: Record<string, PatchType> = {
  "application/json-patch+json": "json",
  "application/merge-patch+json": "merge",
  "application/strategic-merge-patch+json": "strategic",
  "application/apply-patch+yaml": "apply",
};

/** The patch type of a Content-Type header (parameters ignored), or undefined (→ 415). */
export function patchTypeFromContentType(contentType: string | undefined): PatchType | undefined {
  const media = (contentType ?? "").split(";")[0].trim().toLowerCase();
  return CONTENT_TYPES[media];
}

export const PATCH_CONTENT_TYPES: readonly string[] = Object.keys(CONTENT_TYPES);

export function decodePatchBody(type: PatchType, body: string): unknown {
  if (type === "apply") {
    try {
      return parse(body, { maxAliasCount: 100, prettyErrors: false });
    } catch (e) {
      throw badRequest(`error decoding YAML: ${(e as Error).message}`);
    }
  }
  try {
    return JSON.parse(body);
  } catch (e) {
    const detail = (e as Error).message;
    throw badRequest(type === "json" ? detail : `error decoding patch: ${detail}`);
  }
}
