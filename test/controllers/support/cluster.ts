/**
 * A real API server (memory or SQLite store) plus a client for controller integration tests.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startApiServer, type ApiServer } from "../../../src/apiserver/index.js";
import { openBackend, type Backend } from "../../../src/store/index.js";
import { ensureServerCert } from "../../../src/lib/pki.js";
import { createClient, type KubeClient } from "../../../src/client/index.js";

export interface TestCluster {
  api: ApiServer;
  backend: Backend;
  client: KubeClient;
  dir: string;
  token: string;
  caPem: string;
  /** A kubeconfig file for this cluster. */
  kubeconfig: string;
  stop(): Promise<void>;
}

export async function startTestCluster(storeUrl = "memory://"): Promise<TestCluster> {
  const dir = mkdtempSync(join(tmpdir(), "cistern-ctrl-"));
  const cert = await ensureServerCert(join(dir, "pki"), "apiserver");
  const token = randomBytes(16).toString("hex");
  const backend = await openBackend(storeUrl.replace("$DIR", dir));
  const api = await startApiServer({
    backend,
    tls: { cert: cert.certPem, key: cert.keyPem },
    tokens: [{ token, user: { name: "admin", groups: ["system:masters", "system:authenticated"] } }],
  });
  const client = createClient({ server: api.url, caData: cert.caPem, token, fieldManager: "test" });
  const { writeFileSync } = await import("node:fs");
  const kubeconfig = join(dir, "kubeconfig");
  writeFileSync(
    kubeconfig,
    JSON.stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "c", cluster: { server: api.url, "certificate-authority-data": Buffer.from(cert.caPem).toString("base64") } }],
      users: [{ name: "u", user: { token } }],
      contexts: [{ name: "c", context: { cluster: "c", user: "u" } }],
      "current-context": "c",
    }),
  );
  return {
    api, backend, client, dir, token, caPem: cert.caPem, kubeconfig,
    async stop() {
      client.close();
      await api.close();
      await backend.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
