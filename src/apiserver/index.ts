/**
 * The Kubernetes-compatible API server.
 *
 * Model: every object lives in an etcd-shaped store (src/store) under
 * /registry/<group>/<plural>/[<namespace>/]<name>; resourceVersion is the store revision of the
 * object's last write, so optimistic concurrency is a compare-and-swap on it. The kinds served
 * and all per-kind rules (defaults, validation, strategies, printing, schemas) come from
 * src/api traits; this package is generic over them. Writes go through one path (registry/write)
 * that runs defaulting, admission and validation before a single conditional store write.
 * Watches fan out in-process from one store watch per resource (watch/watch-hub).
 *
 * Invariants: an acknowledged write is durable (the store's promise); a response never carries
 * a resourceVersion that the store has not committed; every error is a Kubernetes Status.
 */
import type https from "node:https";
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { resources as allResources } from "../api/index.js";
import type { ResourceTraits } from "../api/types.js";
import { EtcdBackend, startCompactor, startEtcdCompactor, type Backend } from "../store/index.js";
import { createLogger } from "../lib/log.js";
import { createTokenAuthenticator, type TokenAuthenticator } from "./auth/authenticate.js";
import { defaultAdmission } from "./admission/index.js";
import type { AdmissionPlugin, UserInfo } from "./registry/admission.js";
import type { RegistryContext } from "./registry/context.js";
import { createHttpsServer, listen, type RawHandler } from "./server.js";
import { WatchHub } from "./watch/watch-hub.js";
import type { SubresourceHandler } from "./handlers/resource.js";
import { bootstrapCluster } from "./bootstrap.js";
import type { KeyObject } from "node:crypto";
import { bootstrapRbac } from "./auth/bootstrap-rbac.js";
import { RbacAuthorizer } from "./auth/rbac/authorizer.js";
import { rbacEscalation } from "./admission/rbac-escalation.js";
import { createTokenIssuer } from "./auth/service-account-tokens.js";
import { AuditLog, type AuditLogOptions } from "./http/audit.js";
import { ClientLimiter, DEFAULT_RATE_LIMITS, type RateLimitOptions } from "./http/rate-limit.js";
import { readerFor, findResource } from "./registry/context.js";
import { serviceAccountTokenHandler } from "./handlers/service-account-token.js";
import { podBindingHandler } from "./handlers/pod-binding.js";
import { namespaceFinalizeHandler } from "./handlers/namespace-finalize.js";
import { execUpgradeHandler, nodeProxyHandler, podLogHandler, type KubeletClientConfig } from "./handlers/node-proxy.js";

export type { UserInfo, AdmissionPlugin, RawHandler, SubresourceHandler, KubeletClientConfig };
export { VERSION_INFO } from "./http/health.js";
export { MAX_REQUEST_HEAD_BYTES } from "./server.js";
export { loadSigningKey } from "./auth/service-account-tokens.js";
export type { RateLimitOptions } from "./http/rate-limit.js";

const log = createLogger("apiserver");

export interface ApiServerOptions {
  backend: Backend;
  tls: { cert: string; key: string };
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** How often the API server compacts store history, and how many revisions it keeps (upstream: every 5 min). */
  compaction?: { intervalMs: number; minRetainRevisions: number };
  /** Tokens accepted in addition to those added later with addToken. */
  tokens?: { token: string; user: UserInfo }[];
  extraAdmission?: AdmissionPlugin[];
  /** Client certificate for reaching node agents (pods/log, pods/exec, nodes/proxy). */
  kubeletClient?: KubeletClientConfig;
  /** Signing keys for ServiceAccount tokens (see loadSigningKey); without them only static tokens work. */
  serviceAccountKeys?: { privateKey: KeyObject; publicKey: KeyObject };
  /** Append an audit event for every write here (JSON lines). */
  auditLogPath?: string;
  /** Rotation of that log (defaults: 100 MiB, 10 backups). */
  auditLogRotation?: AuditLogOptions;
  rateLimits?: RateLimitOptions;
  resources?: ResourceTraits[];
}

export interface ApiServer {
  url: string;
  port: number;
  server: https.Server;
  registry: RegistryContext;
  auth: TokenAuthenticator;
  /** Serve pods/log, pods/exec, nodes/proxy… (keyed "plural/subresource"). */
  addSubresource(key: string, handler: SubresourceHandler): void;
  addHandler(handler: RawHandler): void;
  addUpgradeHandler(h: (req: IncomingMessage, socket: Socket, head: Buffer, user: UserInfo) => boolean): void;
  close(): Promise<void>;
}

export async function startApiServer(opts: ApiServerOptions): Promise<ApiServer> {
  const resources = opts.resources ?? allResources;
  const registry: RegistryContext = {
    backend: opts.backend,
    resources,
    admission: [...defaultAdmission(), ...(opts.extraAdmission ?? [])],
    now: () => new Date(),
  };
  await bootstrapCluster(registry);
  await bootstrapRbac(registry);
  const hub = new WatchHub(opts.backend);
  const reader = readerFor(registry);
  const authz = new RbacAuthorizer(reader);
  registry.admission.push(rbacEscalation(authz));
  const issuer = opts.serviceAccountKeys
    ? createTokenIssuer(opts.serviceAccountKeys, async (sa) => (await reader.get(findResource(registry, "", "serviceaccounts"), sa.namespace, sa.name))?.metadata.uid === sa.uid)
    : undefined;
  const audit = opts.auditLogPath ? new AuditLog(opts.auditLogPath, opts.auditLogRotation) : undefined;
  // As kube-apiserver, the API server drives compaction; a window of history stays for re-watching clients.
  // On etcd, several API servers coordinate so the cluster compacts once per interval (upstream's 5 min).
  const compactor = opts.backend instanceof EtcdBackend
    ? startEtcdCompactor(opts.backend, { intervalMs: opts.compaction?.intervalMs ?? 300_000 })
    : startCompactor(opts.backend, opts.compaction ?? { intervalMs: 60_000, minRetainRevisions: 10_000 });
  const auth = createTokenAuthenticator(issuer);
  for (const t of opts.tokens ?? []) auth.addToken(t.token, t.user);
  const subresources = new Map<string, SubresourceHandler>([
    ["pods/binding", podBindingHandler(registry)],
    ["namespaces/finalize", namespaceFinalizeHandler(registry)],
  ]);
  const upgradeHandlers: ((req: IncomingMessage, socket: Socket, head: Buffer, user: UserInfo) => boolean)[] = [];
  if (opts.kubeletClient) {
    subresources.set("pods/log", podLogHandler(registry, opts.kubeletClient));
    subresources.set("nodes/proxy", nodeProxyHandler(registry, opts.kubeletClient));
    upgradeHandlers.push(execUpgradeHandler(registry, opts.kubeletClient, async (user, verb, t, ns, name, sub) =>
      authz.authorize({ user, verb, resourceRequest: true, path: "", apiGroup: t.group, resource: t.plural, subresource: sub, namespace: ns, name })));
  }
  if (issuer) subresources.set("serviceaccounts/token", serviceAccountTokenHandler(registry, issuer));
  const extraHandlers: RawHandler[] = [];
  const server = createHttpsServer(opts.tls, {
    resources,
    auth,
    authz,
    limiter: new ClientLimiter(opts.rateLimits ?? DEFAULT_RATE_LIMITS),
    audit,
    handlerContext: { registry, hub, resources, subresources },
    healthChecks: {
      ping: async () => undefined,
      etcd: async () => {
        await opts.backend.currentRevision();
        return undefined;
      },
    },
    extraHandlers,
    upgradeHandlers,
  });
  const addr = await listen(server, opts.host ?? "127.0.0.1", opts.port ?? 0);
  const host = addr.family === "IPv6" ? `[${addr.address}]` : addr.address;
  const url = `https://${host}:${addr.port}`;
  log.info("serving", { url });
  return {
    url,
    port: addr.port,
    server,
    registry,
    auth,
    addSubresource: (key, h) => subresources.set(key, h),
    addHandler: (h) => extraHandlers.push(h),
    addUpgradeHandler: (h) => upgradeHandlers.push(h),
    async close() {
      await compactor.stop();
      hub.close();
      await audit?.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
