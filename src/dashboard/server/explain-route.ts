/**
 * GET /ui/api/explain/pv/NAME and /ui/api/explain/{pvc|pod}/NAMESPACE/NAME: the answer
 * `cistern explain` would print, from the explainer the entry point provides (the dashboard
 * does not import the controllers; `cistern up` passes their explain functions in).
 */
import type { ServerResponse } from "node:http";
import { sendError, sendJson } from "./respond.js";

export type ExplainKind = "pvc" | "pv" | "pod";

/** What `cistern explain KIND NAME -n NAMESPACE` answers: the rendered text, and whether the object exists. */
export interface ExplainAnswer {
  found: boolean;
  /** One sentence: why the object is where it is. */
  summary: string;
  /** The full text `cistern explain` prints. */
  text: string;
}

/** `namespace` is undefined for pv. Throws on failure (the route answers 500 with the message). */
export type Explainer = (kind: ExplainKind, namespace: string | undefined, name: string) => Promise<ExplainAnswer>;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

/** Parses the path segments after /ui/api/explain/; undefined when they do not name an object. */
export function parseExplainPath(segments: string[]): { kind: ExplainKind; namespace?: string; name: string } | undefined {
  const [kind, ...rest] = segments;
  if (kind === "pv" && rest.length === 1 && DNS_SUBDOMAIN.test(rest[0])) return { kind, name: rest[0] };
  if ((kind === "pvc" || kind === "pod") && rest.length === 2 && DNS_LABEL.test(rest[0]) && DNS_SUBDOMAIN.test(rest[1])) {
    return { kind, namespace: rest[0], name: rest[1] };
  }
  return undefined;
}

export async function serveExplain(res: ServerResponse, segments: string[], explain: Explainer | undefined): Promise<void> {
  if (!explain) return sendError(res, 501, "MethodNotAllowed", "cistern explain is not available from this server");
  const target = parseExplainPath(segments);
  if (!target) return sendError(res, 400, "BadRequest", "explain takes pv/NAME, pvc/NAMESPACE/NAME or pod/NAMESPACE/NAME");
  try {
    const answer = await explain(target.kind, target.namespace, target.name);
    sendJson(res, 200, { found: !!answer.found, summary: String(answer.summary ?? ""), text: String(answer.text ?? "") });
  } catch (e) {
    sendError(res, 500, "InternalError", `explain failed: ${(e as Error).message}`);
  }
}
