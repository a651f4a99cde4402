/**
 * `cistern apiserver`: the Kubernetes API server alone, on a store URL. Several API servers may
 * share one etcd (give them the same PKI: the same --data-dir, or a copy of its pki/); with SQLite
 * only one process can own the database. Several API servers writing the same --kubeconfig-out
 * each add their URL to it, so the file lists them all (docs/scale-out.md).
 */
import type { Command } from "commander";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { mkdirSync } from "node:fs";
import { openBackend } from "../../store/index.js";
import { loadSigningKey, startApiServer } from "../../apiserver/index.js";
import { ensureClientCert, ensureServerCert } from "../../lib/pki.js";
import { parsePort } from "../options.js";
import { ensureAdminToken } from "../admin-token.js";
import { addServerToKubeconfig } from "../kubeconfig-servers.js";

export function registerApiserver(program: Command): void {
  program
    .command("apiserver")
    .description("Run the Kubernetes API server alone")
    .option("--data-dir <dir>", "where the PKI, admin token and (for sqlite) the database live", join(homedir(), ".cistern"))
    .option("--store <url>", "sqlite:///path/state.db (default: <data-dir>/state.db), etcd://host:2379,host:2379, memory://")
    .option("--host <host>", "listen address", "127.0.0.1")
    .option("--port <port>", "port (0 picks a free one)", "6443")
    .option("--kubeconfig-out <file>", "write an admin kubeconfig for this server here (adds this server if the file lists other servers of the same cluster)", "")
    .action(async (o: { dataDir: string; store?: string; host: string; port: string; kubeconfigOut: string }) => {
      const dataDir = resolve(o.dataDir);
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      const pki = join(dataDir, "pki");
      const cert = await ensureServerCert(pki, "apiserver", o.host === "127.0.0.1" || o.host === "0.0.0.0" ? [] : [o.host]);
      const kubelet = await ensureClientCert(pki, "apiserver-kubelet-client", "cistern:apiserver");
      const token = ensureAdminToken(pki);
      const backend = await openBackend(o.store ?? `sqlite://${join(dataDir, "state.db")}`);
      const api = await startApiServer({
        backend, tls: { cert: cert.certPem, key: cert.keyPem }, host: o.host, port: parsePort("--port", o.port),
        tokens: [{ token, user: { name: "cistern-admin", groups: ["system:masters", "system:authenticated"] } }],
        kubeletClient: { cert: kubelet.certPem, key: kubelet.keyPem },
        serviceAccountKeys: loadSigningKey(pki),
        auditLogPath: join(dataDir, "audit.log"),
      });
      const server = api.url.replace("://0.0.0.0:", "://127.0.0.1:");
      if (o.kubeconfigOut) await addServerToKubeconfig(resolve(o.kubeconfigOut), { server, caPem: cert.caPem, token });
      const stop = async () => {
        await api.close();
        await backend.close();
        process.exit(0);
      };
      process.on("SIGINT", () => void stop());
      process.on("SIGTERM", () => void stop());
      process.stdout.write(`API server ready at ${server} (store ${backend.name})\n`);
    });
}
