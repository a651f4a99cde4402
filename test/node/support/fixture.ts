/**
 * Integration test support for the node agent: a real API server (memory store) with the kubelet client
 * certificate configured, Cistern's real EFS service (tests only), node agents with the real EFS CSI driver and
 * real runc, plus object builders, a direct kubelet API client (a client certificate from the cluster CA) and
 * polling helpers. Cleanup stops every agent (containers removed, volumes unmounted), then refuses to delete the
 * directory while anything below it is still mounted.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import https from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EFSClient } from "@aws-sdk/client-efs";
import { startApiServer, type ApiServer } from "../../../src/apiserver/index.js";
import type { KubeObject, PersistentVolume, PersistentVolumeClaim, Pod } from "../../../src/api/index.js";
import { createClient, type KubeClient, type ResourceClient } from "../../../src/client/index.js";
import { startEfsService, type EfsService } from "../../../src/efs/index.js";
import { createLogger } from "../../../src/lib/log.js";
import { ensureClientCert, ensureServerCert } from "../../../src/lib/pki.js";
import { readMountInfo } from "../../../src/lib/safe-path/index.js";
import { startNodeAgent, type NodeAgent, type NodeAgentOptions, type NodeCsiConfig } from "../../../src/node/index.js";
import { openBackend, type Backend } from "../../../src/store/index.js";

export const REGION = "us-east-1";

export const R = {
  pod: { group: "", version: "v1", kind: "Pod", plural: "pods", namespaced: true },
  pvc: { group: "", version: "v1", kind: "PersistentVolumeClaim", plural: "persistentvolumeclaims", namespaced: true },
  pv: { group: "", version: "v1", kind: "PersistentVolume", plural: "persistentvolumes", namespaced: false },
  node: { group: "", version: "v1", kind: "Node", plural: "nodes", namespaced: false },
  lease: { group: "coordination.k8s.io", version: "v1", kind: "Lease", plural: "leases", namespaced: true },
  csinode: { group: "storage.k8s.io", version: "v1", kind: "CSINode", plural: "csinodes", namespaced: false },
  event: { group: "", version: "v1", kind: "Event", plural: "events", namespaced: true },
  cm: { group: "", version: "v1", kind: "ConfigMap", plural: "configmaps", namespaced: true },
  secret: { group: "", version: "v1", kind: "Secret", plural: "secrets", namespaced: true },
  sa: { group: "", version: "v1", kind: "ServiceAccount", plural: "serviceaccounts", namespaced: true },
} as const;

export interface NodeFixture {
  dir: string;
  api: ApiServer;
  backend: Backend;
  client: KubeClient;
  caPem: string;
  token: string;
  kubeconfig: string;
  efs: EfsService;
  efsClient: EFSClient;
  fsId: string;
  /** The apiserver's kubelet client credential (CN cistern:apiserver, signed by the cluster CA). */
  kubeletClient: { cert: string; key: string };
  pods: ResourceClient<Pod>;
  csiConfig(over?: Partial<NodeCsiConfig>): NodeCsiConfig;
  startAgent(name: string, over?: Partial<NodeAgentOptions>): Promise<NodeAgent>;
  agents: NodeAgent[];
  fsDir(fsId?: string): string;
  cleanup(): Promise<void>;
}

export function requireRoot(): void {
  if (process.getuid?.() !== 0) throw new Error("node agent tests need root (mounts, runc); they are not skipped");
}

export async function startNodeFixture(): Promise<NodeFixture> {
  requireRoot();
  const dir = fs.realpathSync(fs.mkdtempSync(join(tmpdir(), "node-it-")));
  const pki = join(dir, "pki");
  const cert = await ensureServerCert(pki, "apiserver");
  const kc = await ensureClientCert(pki, "apiserver-kubelet-client", "cistern:apiserver");
  const token = randomBytes(16).toString("hex");
  const backend = await openBackend("memory://");
  const api = await startApiServer({
    backend,
    tls: { cert: cert.certPem, key: cert.keyPem },
    tokens: [{ token, user: { name: "admin", groups: ["system:masters", "system:authenticated"] } }],
    kubeletClient: { cert: kc.certPem, key: kc.keyPem },
  });
  const client = createClient({ server: api.url, caData: cert.caPem, token, fieldManager: "node-test" });
  const kubeconfig = join(dir, "kubeconfig");
  fs.writeFileSync(
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
  const efs = await startEfsService({ dataDir: join(dir, "efs"), host: "127.0.0.1", port: 0, region: REGION, accountId: "123456789012", log: createLogger("efs-test"), meteringIntervalMs: 600_000 });
  const efsClient = new EFSClient({ endpoint: efs.url, region: REGION, credentials: efs.credentials, maxAttempts: 1 });
  const agents: NodeAgent[] = [];
  const fx: NodeFixture = {
    dir,
    api,
    backend,
    client,
    caPem: cert.caPem,
    token,
    kubeconfig,
    efs,
    efsClient,
    fsId: efs.defaultFileSystemId,
    kubeletClient: { cert: kc.certPem, key: kc.keyPem },
    pods: client.resource<Pod>(R.pod),
    agents,
    csiConfig: (over = {}) => ({
      efs: { region: REGION, endpoint: efs.url, credentials: efs.credentials },
      efsDataRoot: join(dir, "efs", "fs"),
      volumeStatsRefreshMs: 0,
      log: createLogger("csi-test"),
      ...over,
    }),
    async startAgent(name, over = {}) {
      const a = await startNodeAgent({
        name,
        rootDir: join(dir, "nodes", name),
        client,
        csi: fx.csiConfig(),
        relistMs: 200,
        log: createLogger(`node-test/${name}`),
        ...over,
      });
      agents.push(a);
      return a;
    },
    fsDir: (id = efs.defaultFileSystemId) => join(dir, "efs", "fs", id),
    async cleanup() {
      for (const a of agents.splice(0)) await a.stop({ keepContainers: false }).catch(() => undefined);
      client.close();
      efsClient.destroy();
      const left = readMountInfo().filter((m) => m.mountPoint.startsWith(dir + "/"));
      for (const m of left.sort((a, b) => b.mountPoint.length - a.mountPoint.length)) {
        try {
          execFileSync("umount", ["-l", "--", m.mountPoint], { stdio: "ignore" });
        } catch {
          // already gone
        }
      }
      await efs.close();
      await api.close();
      await backend.close();
      if (left.length) throw new Error(`mounts were left below ${dir}: ${left.map((m) => m.mountPoint).join(", ")}`);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return fx;
}

/** A static PV for an EFS handle, a claim pre-bound to it, both marked Bound (no controllers run in these tests). */
export async function boundClaim(fx: NodeFixture, ns: string, name: string, handle: string, modes: string[] = ["ReadWriteMany"], o: { mountOptions?: string[] } = {}): Promise<{ pv: PersistentVolume; pvc: PersistentVolumeClaim }> {
  const pvName = `pv-${name}-${randomBytes(3).toString("hex")}`;
  const pvs = fx.client.resource<PersistentVolume>(R.pv);
  const pvcs = fx.client.resource<PersistentVolumeClaim>(R.pvc);
  const pvc = await pvcs.create({ apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name, namespace: ns }, spec: { accessModes: modes, resources: { requests: { storage: "5Gi" } }, storageClassName: "", volumeName: pvName } });
  const pv = await pvs.create({
    apiVersion: "v1",
    kind: "PersistentVolume",
    metadata: { name: pvName },
    spec: {
      capacity: { storage: "5Gi" },
      accessModes: modes,
      persistentVolumeReclaimPolicy: "Retain",
      storageClassName: "",
      ...(o.mountOptions ? { mountOptions: o.mountOptions } : {}),
      claimRef: { kind: "PersistentVolumeClaim", apiVersion: "v1", namespace: ns, name, uid: pvc.metadata.uid },
      csi: { driver: "efs.csi.aws.com", volumeHandle: handle },
    },
  });
  await pvs.patch(undefined, pvName, "merge", { status: { phase: "Bound" } }, { subresource: "status" });
  const bound = await pvcs.patch(ns, name, "merge", { status: { phase: "Bound", accessModes: modes, capacity: { storage: "5Gi" } } }, { subresource: "status" });
  return { pv, pvc: bound };
}

export function podObj(name: string, node: string, spec: Partial<NonNullable<Pod["spec"]>> = {}, ns = "default"): Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: ns },
    spec: { nodeName: node, containers: [{ name: "app", image: "busybox", command: ["sleep", "3600"] }], terminationGracePeriodSeconds: 5, ...spec },
  };
}

/** Poll until `fn` returns a value other than undefined; fails with the last observation. */
export async function eventually<T>(fn: () => Promise<T | undefined> | T | undefined, what: string, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ""}`);
}

export async function podWhen(fx: NodeFixture, name: string, pred: (p: Pod) => boolean, what: string, ms = 60_000, ns = "default"): Promise<Pod> {
  let last: Pod | undefined;
  try {
    return await eventually(async () => {
      last = await fx.pods.get(ns, name);
      return pred(last) ? last : undefined;
    }, `${name}: ${what}`, ms);
  } catch (e) {
    throw new Error(`${(e as Error).message}\nlast status: ${JSON.stringify(last?.status, null, 1)}`, { cause: e });
  }
}

export const running = (p: Pod) => p.status?.phase === "Running" && !!p.status.containerStatuses?.every((c) => c.state?.running);

export async function eventsFor(fx: NodeFixture, name: string, ns = "default"): Promise<(KubeObject & { reason?: string; message?: string; type?: string; source?: { component?: string } })[]> {
  const list = await fx.client.resource(R.event).list(ns, { fieldSelector: `involvedObject.name=${name}` });
  return list.items as never;
}

/** GET on the kubelet API with the apiserver's client certificate (or another credential). */
export function kubeletGet(url: string, path: string, cred?: { cert: string; key: string }): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = https.request({ host: u.hostname, port: u.port, path, method: "GET", cert: cred?.cert, key: cred?.key, rejectUnauthorized: false, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

export async function deletePodAndWait(fx: NodeFixture, name: string, ns = "default", ms = 60_000): Promise<void> {
  await fx.pods.delete(ns, name);
  await eventually(async () => {
    try {
      await fx.pods.get(ns, name);
      return undefined;
    } catch (e) {
      if ((e as { code?: number }).code === 404) return true;
      throw e;
    }
  }, `pod ${name} to be gone`, ms);
}
