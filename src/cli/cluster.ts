/**
 * Starts a whole Cistern in this process (what `cistern up` runs): the store, the API server
 * and, as they land, the EFS service, controllers and node agents. Components still talk to
 * each other only through their published protocols (HTTPS Kubernetes API, EFS API).
 */
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { openBackend, type Backend } from "../store/index.js";
import { loadSigningKey, startApiServer, type ApiServer } from "../apiserver/index.js";
import { startEfsService, type EfsService } from "../efs/index.js";
import { loadClusterIdentity } from "./cluster-identity.js";
import { writeEndpoints } from "./endpoints.js";
import { dataDirIdentity, startControlPlane } from "./control-plane.js";
import { createDashboardHandler } from "../dashboard/index.js";
import { startNodeAgents, type NodeAgents } from "../node/index.js";
import { createClient, loadKubeconfig } from "../client/index.js";
import { explainClaim, explainPod, explainVolume, gatherSnapshot, renderExplanation } from "../controllers/index.js";
import { ensureClientCert, ensureServerCert } from "../lib/pki.js";
import { ensureAdminToken } from "./admin-token.js";
import { createLogger } from "../lib/log.js";
import { writeKubeconfig } from "./kubeconfig.js";
import { writeClusterEnv } from "./cluster-env.js";

const log = createLogger("cistern");

export interface ClusterOptions {
  dataDir: string;
  apiHost: string;
  apiPort: number;
  storeUrl?: string;
  efsHost: string;
  efsPort: number;
  /** File systems to pre-create with these IDs (e.g. the guide's fs-12345678). */
  fileSystemIds: string[];
  /** Node agents to run on this machine (default 1). */
  nodes?: number;
}

export interface Cluster {
  dataDir: string;
  apiServer: ApiServer;
  efs: EfsService;
  nodes: NodeAgents;
  backend: Backend;
  kubeconfigPath: string;
  envPath: string;
  adminToken: string;
  caPem: string;
  stop(): Promise<void>;
}

export async function startCluster(o: ClusterOptions): Promise<Cluster> {
  const dataDir = resolve(o.dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const pkiDir = join(dataDir, "pki");
  const cert = await ensureServerCert(pkiDir, "apiserver", o.apiHost === "0.0.0.0" || o.apiHost === "127.0.0.1" ? [] : [o.apiHost]);
  const efsCert = await ensureServerCert(pkiDir, "efs", o.efsHost === "0.0.0.0" || o.efsHost === "127.0.0.1" ? [] : [o.efsHost]);
  const identity = loadClusterIdentity(dataDir);
  const kubeletClient = await ensureClientCert(pkiDir, "apiserver-kubelet-client", "cistern:apiserver");
  const adminToken = ensureAdminToken(pkiDir);
  const backend = await openBackend(o.storeUrl ?? `sqlite://${join(dataDir, "state.db")}`);
  const stops: (() => Promise<void>)[] = [() => backend.close()];
  try {
    const apiServer = await startApiServer({
      backend,
      tls: { cert: cert.certPem, key: cert.keyPem },
      host: o.apiHost,
      port: o.apiPort,
      tokens: [{ token: adminToken, user: { name: "cistern-admin", groups: ["system:masters", "system:authenticated"] } }],
      kubeletClient: { cert: kubeletClient.certPem, key: kubeletClient.keyPem },
      serviceAccountKeys: loadSigningKey(pkiDir),
      auditLogPath: join(dataDir, "audit.log"),
    });
    stops.unshift(() => apiServer.close());
    const efs = await startEfsService({
      dataDir: join(dataDir, "efs"),
      host: o.efsHost,
      port: o.efsPort,
      tls: { cert: efsCert.certPem, key: efsCert.keyPem },
      region: identity.region,
      accountId: identity.accountId,
      preCreateFileSystemIds: o.fileSystemIds,
      // Prometheus scrapes /metrics with the cluster's admin bearer token.
      metricsAuthorizer: (req) => req.headers.authorization === `Bearer ${adminToken}`,
      log: createLogger("efs"),
    });
    stops.unshift(() => efs.close());
    const efsUrl = efs.url.replace("://0.0.0.0:", "://127.0.0.1:");
    const server = apiServer.url.replace("://0.0.0.0:", "://127.0.0.1:");
    const kubeconfigPath = join(dataDir, "kubeconfig");
    const envPath = join(dataDir, "env");
    writeKubeconfig(kubeconfigPath, { server, caPem: cert.caPem, token: adminToken });
    const caPath = join(pkiDir, "ca.crt");
    writeClusterEnv(envPath, { kubeconfigPath, credentials: efs.credentials, region: efs.region, efsUrl, caPath });
    const controlPlane = await startControlPlane({
      kubeconfig: kubeconfigPath,
      efs: { endpoint: efsUrl, region: efs.region, credentials: efs.credentials, ca: cert.caPem },
      efsDataRoot: join(dataDir, "efs", "fs"),
      stateDir: dataDir,
      // Cheap with one process; a restarted `up` resumes its own Lease at once (stable identity).
      leaderElection: { identity: dataDirIdentity(dataDir) },
    });
    stops.unshift(() => controlPlane.stop());
    const nodes = await startNodeAgents({
      dataDir,
      count: o.nodes ?? 1,
      kubeconfig: kubeconfigPath,
      csi: {
        efs: { region: efs.region, endpoint: efsUrl, credentials: efs.credentials, caPem: cert.caPem },
        mounter: "cistern",
        efsDataRoot: join(dataDir, "efs", "fs"),
      },
      log: createLogger("node"),
    });
    stops.unshift(() => nodes.stop());
    const explainClient = createClient({ ...loadKubeconfig(kubeconfigPath), userAgent: "cistern-dashboard/0.1" });
    stops.unshift(async () => explainClient.close());
    const dashboard = createDashboardHandler({
      efs: { endpoint: efsUrl, region: efs.region, credentials: efs.credentials, ca: cert.caPem, metricsAuthorization: `Bearer ${adminToken}` },
      explain: async (kind, namespace, name) => {
        const snapshot = await gatherSnapshot(explainClient, kind === "pv" ? undefined : namespace);
        const e = kind === "pvc" ? explainClaim(snapshot, namespace!, name) : kind === "pod" ? explainPod(snapshot, namespace!, name) : explainVolume(snapshot, name);
        return { found: e.found, summary: e.summary, text: renderExplanation(e) };
      },
    });
    apiServer.addHandler(dashboard);
    stops.unshift(async () => dashboard.close());
    writeEndpoints(dataDir, { api: server, efs: efsUrl, region: efs.region, pid: process.pid });
    return {
      dataDir, apiServer, efs, nodes, backend, kubeconfigPath, envPath, adminToken, caPem: cert.caPem,
      async stop() {
        for (const s of stops) {
          try {
            await s();
          } catch (e) {
            log.warn("shutdown step failed", { err: (e as Error).message });
          }
        }
      },
    };
  } catch (e) {
    for (const s of stops) await s().catch(() => {});
    throw e;
  }
}
