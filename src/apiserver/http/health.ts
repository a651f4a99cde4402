/** /version and the health endpoints, as kube-apiserver serves them. */
import type { IncomingMessage, ServerResponse } from "node:http";
import { sendJson } from "./respond.js";

/** kubectl on our machines is a dispatcher that picks its build by this gitVersion: it must be 1.32. */
export const VERSION_INFO = {
  major: "1",
  minor: "32",
  gitVersion: "v1.32.0-cistern.0.1.0",
  gitCommit: "0000000000000000000000000000000000000000",
  gitTreeState: "clean",
  buildDate: "2026-11-24T00:00:00Z",
  goVersion: "go1.23",
  compiler: "gc",
  platform: "linux/amd64",
};

export type HealthCheck = () => Promise<string | undefined>;

export async function serveHealth(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams, checks: Record<string, HealthCheck>): Promise<void> {
  const results: [string, string | undefined][] = [];
  for (const [name, check] of Object.entries(checks)) {
    try {
      results.push([name, await check()]);
    } catch (e) {
      results.push([name, (e as Error).message]);
    }
  }
  const single = path.split("/")[2];
  const relevant = single ? results.filter(([n]) => n === single || single === "ping") : results;
  const failed = relevant.filter(([, err]) => err !== undefined);
  const verbose = query.has("verbose");
  let body: string;
  if (verbose) {
    body = relevant.map(([n, err]) => (err ? `[-]${n} failed: ${err}` : `[+]${n} ok`)).join("\n") + `\n${path.slice(1).split("/")[0]} check ${failed.length ? "failed" : "passed"}\n`;
  } else body = failed.length ? `${failed.map(([n]) => `[-]${n} failed`).join("\n")}\n` : "ok";
  res.writeHead(failed.length ? 500 : 200, { "Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff" });
  res.end(body);
  void req;
}

export function serveVersion(req: IncomingMessage, res: ServerResponse): void {
  sendJson(req, res, 200, VERSION_INFO);
}
