/**
 * The dashboard's routes, mounted into the API server as a raw handler (same port, same TLS):
 *
 *   GET /ui                        → 301 /ui/
 *   GET /ui/, /ui/assets/…         the built page (public: it holds no data; the token is typed in)
 *   GET /ui/api/whoami             {user}: checks a token at login
 *   GET /ui/api/efs/usage          the latest EFS usage report
 *   GET /ui/api/efs/history?since= sampled sizes and I/O counters (UsageHistory)
 *   GET /ui/api/explain/…          `cistern explain` answers (see explain-route.ts)
 *
 * Everything under /ui/api/ needs a valid bearer token (401 otherwise), like the Kubernetes API
 * the page also calls. EFS usage and explain answers are read with the cluster's own credentials,
 * so who may see them is decided by `authorize` (default: members of system:masters only; anyone
 * else gets 403 and still sees what the Kubernetes API lets them list). Other paths are not ours:
 * the handler returns false and the API answers.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createLogger, type Logger } from "../../lib/log.js";
import { createEfsReader, type EfsAccess } from "./efs-reader.js";
import { UsageSampler } from "./usage-sampler.js";
import { createStaticFiles } from "./static-files.js";
import { parseExplainPath, serveExplain, type ExplainKind, type Explainer } from "./explain-route.js";
import { SECURITY_HEADERS, sendError, sendJson } from "./respond.js";

export interface DashboardOptions {
  /** How to reach the EFS service; without it the usage endpoints answer 503. */
  efs?: EfsAccess;
  /** `cistern explain` for the details panel; without it the explain endpoint answers 501. */
  explain?: Explainer;
  /** The built page (default: dist/dashboard of this checkout or package). */
  assetsDir?: string;
  /** How often EFS usage is sampled (default 10 s). */
  sampleIntervalMs?: number;
  /** Samples kept (default 360: an hour at 10 s). */
  historyCapacity?: number;
  /** Who may read EFS usage and explain answers (default: members of system:masters). */
  authorize?: (user: DashboardUser, access: DashboardAccess) => boolean | Promise<boolean>;
  log?: Logger;
}

/** Who the API server authenticated; structurally the API server's UserInfo. */
export interface DashboardUser {
  name: string;
  groups?: string[];
}

/** What a /ui/api/ request would show, for `authorize`. */
export type DashboardAccess = { what: "efs-usage" } | { what: "explain"; kind: ExplainKind; namespace?: string; name: string };

export const MASTERS_GROUP = "system:masters";

const mastersOnly = (user: DashboardUser) => (user.groups ?? []).includes(MASTERS_GROUP);

export interface DashboardHandler {
  (req: IncomingMessage, res: ServerResponse, user: DashboardUser | undefined): Promise<boolean>;
  /** Stops EFS sampling. Idempotent. */
  close(): void;
}

/** dist/dashboard beside the package.json above this file (works from src/ and from dist/src/). */
export function defaultAssetsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, "package.json"))) return join(dir, "dist", "dashboard");
    dir = dirname(dir);
  }
  return join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "dashboard");
}

function segmentsOf(path: string): string[] | undefined {
  try {
    return path.split("/").filter((s) => s !== "").map(decodeURIComponent);
  } catch {
    return undefined;
  }
}

export function createDashboardHandler(o: DashboardOptions = {}): DashboardHandler {
  const log = o.log ?? createLogger("dashboard");
  const files = createStaticFiles(o.assetsDir ?? defaultAssetsDir());
  const sampler = o.efs
    ? new UsageSampler(createEfsReader(o.efs), {
      intervalMs: o.sampleIntervalMs ?? 10_000,
      capacity: o.historyCapacity ?? 360,
      onError: (err) => log.debug("EFS usage sample failed", { err: err.message }),
    })
    : undefined;
  sampler?.start();

  const authorize = o.authorize ?? mastersOnly;
  const forbid = (res: ServerResponse, user: DashboardUser, what: string) => sendError(res, 403, "Forbidden", `User "${user.name}" cannot read ${what} through the dashboard`);

  async function api(req: IncomingMessage, res: ServerResponse, segments: string[], query: URLSearchParams, user: DashboardUser): Promise<void> {
    const [first, second, ...rest] = segments;
    if (first === "whoami" && segments.length === 1) return sendJson(res, 200, { user: user.name });
    if (first === "efs" && segments.length === 2 && (second === "usage" || second === "history")) {
      if (!(await authorize(user, { what: "efs-usage" }))) return forbid(res, user, "EFS usage");
      if (!sampler) return sendError(res, 503, "ServiceUnavailable", "this server has no EFS service configured");
      if (!sampler.latestReport()) await sampler.sampleOnce();
      if (second === "usage") {
        const report = sampler.latestReport();
        return report ? sendJson(res, 200, report) : sendError(res, 503, "ServiceUnavailable", `EFS usage unavailable: ${sampler.history().lastError ?? "no sample yet"}`);
      }
      const since = query.get("since");
      if (since !== null && !/^\d{1,16}$/.test(since)) return sendError(res, 400, "BadRequest", "since must be epoch milliseconds");
      return sendJson(res, 200, sampler.history(since === null ? undefined : Number(since)));
    }
    if (first === "explain") {
      const target = parseExplainPath([second, ...rest].filter((x) => x !== undefined));
      if (target && !(await authorize(user, { what: "explain", ...target }))) return forbid(res, user, `an explanation of ${target.kind} ${target.name}`);
      return serveExplain(res, [second, ...rest].filter((x) => x !== undefined), o.explain);
    }
    return sendError(res, 404, "NotFound", "the server could not find the requested resource");
  }

  const handler = async (req: IncomingMessage, res: ServerResponse, user: DashboardUser | undefined): Promise<boolean> => {
    const url = new URL(req.url ?? "/", "https://localhost");
    const path = url.pathname;
    if (path !== "/ui" && !path.startsWith("/ui/")) return false;
    if (req.method !== "GET" && req.method !== "HEAD") {
      sendError(res, 405, "MethodNotAllowed", `${req.method} is not supported on ${path}`);
      return true;
    }
    if (path === "/ui") {
      res.writeHead(301, { ...SECURITY_HEADERS, location: "/ui/" });
      res.end();
      return true;
    }
    const segments = segmentsOf(path.slice("/ui/".length));
    if (!segments) {
      sendError(res, 400, "BadRequest", "malformed path");
      return true;
    }
    if (segments[0] === "api") {
      if (!user) sendError(res, 401, "Unauthorized", "Unauthorized");
      else await api(req, res, segments.slice(1), url.searchParams, user);
      return true;
    }
    const relative = segments.length === 0 ? "index.html" : segments.join("/");
    if (files.serve(req, res, relative, SECURITY_HEADERS)) return true;
    if (!files.available()) {
      res.writeHead(503, { ...SECURITY_HEADERS, "content-type": "text/plain; charset=utf-8" });
      res.end("The dashboard is not built: run `npm run build:dashboard` in the Cistern checkout.\n");
    } else {
      sendError(res, 404, "NotFound", "the server could not find the requested resource");
    }
    return true;
  };
  return Object.assign(handler, { close: () => sampler?.stop() });
}
