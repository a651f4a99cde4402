/** A bare HTTPS client for e2e tests that talk to the API without kubectl (crash tests, raw checks). */
import https from "node:https";
import { readFileSync } from "node:fs";
import { join } from "node:path";

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export function rawClient(dataDir: string, url: string) {
  const token = readFileSync(join(dataDir, "pki", "admin.token"), "utf8").trim();
  const ca = readFileSync(join(dataDir, "pki", "ca.crt"), "utf8");
  const agent = new https.Agent({ keepAlive: true, ca, maxSockets: 16 });
  const base = new URL(url);
  function request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
      const data = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
      const req = https.request({
        host: base.hostname, port: base.port, path, method, agent,
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", Accept: "application/json", ...headers },
      }, (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d) => (text += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
        res.on("error", reject);
      });
      req.on("error", reject);
      if (data !== undefined) req.end(data);
      else req.end();
    });
  }
  return { request, agent, close: () => agent.destroy() };
}
