/**
 * A real API server in this process (SQLite store in a temp dir, real HTTPS) for the fuzz targets,
 * with a raw request function that never throws on an HTTP status and fails on a hang, and the
 * store's revision so a target can assert that a refused request changed nothing.
 */
import https from "node:https";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MAX_REQUEST_HEAD_BYTES, startApiServer, type ApiServer } from "../../../src/apiserver/index.js";
import { openBackend, type Backend } from "../../../src/store/index.js";
import { ensureServerCert } from "../../../src/lib/pki.js";
import { sendRaw } from "./raw-request.js";

export interface RawReply {
  status: number;
  /**
   * The request line and headers exceeded the server's 1 MiB limit (Go's default, which kube-apiserver
   * keeps): the HTTP parser itself answers 431 with no body before any handler runs, as Go's server does.
   */
  oversizeHead?: boolean;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

export interface ApiTarget {
  url: string;
  backend: Backend;
  revision(): Promise<number>;
  request(method: string, path: string, body?: string | Buffer, headers?: Record<string, string>): Promise<RawReply>;
  /** Asserts a setup request succeeded and returns its JSON. */
  must(method: string, path: string, body?: unknown, contentType?: string): Promise<any>;
  close(): Promise<void>;
}

export { HANG_MS } from "./raw-request.js";

export async function startApiTarget(): Promise<ApiTarget> {
  const dir = mkdtempSync(join(tmpdir(), "cistern-fuzz-api-"));
  const cert = await ensureServerCert(join(dir, "pki"), "apiserver");
  const token = randomBytes(16).toString("hex");
  const backend = await openBackend(`sqlite://${join(dir, "state.db")}`);
  let api: ApiServer;
  try {
    api = await startApiServer({
      backend,
      tls: { cert: cert.certPem, key: cert.keyPem },
      tokens: [{ token, user: { name: "fuzz-admin", groups: ["system:masters", "system:authenticated"] } }],
    });
  } catch (e) {
    await backend.close();
    throw e;
  }
  const agent = new https.Agent({ keepAlive: true, ca: cert.caPem, maxSockets: 8 });
  const base = new URL(api.url);

  const request = async (method: string, path: string, body?: string | Buffer, headers: Record<string, string> = {}): Promise<RawReply> => {
    const options = { host: base.hostname, port: base.port, path, method, agent, headers: { Authorization: `Bearer ${token}`, Accept: "application/json", ...headers } };
    const answer = await sendRaw(https.request, options, body, `${method} ${path.slice(0, 200)}`);
    const head = method.length + path.length + Object.entries(headers).reduce((n, [k, v]) => n + k.length + v.length + 4, 200);
    return { ...answer, oversizeHead: head > MAX_REQUEST_HEAD_BYTES };
  };

  return {
    url: api.url,
    backend,
    revision: () => backend.currentRevision(),
    request,
    async must(method, path, body, contentType = "application/json") {
      const r = await request(method, path, body === undefined ? undefined : JSON.stringify(body), { "Content-Type": contentType });
      if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${r.text.slice(0, 500)}`);
      return r.json;
    },
    async close() {
      agent.destroy();
      await api.close();
      await backend.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
