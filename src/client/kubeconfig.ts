/**
 * kubeconfig → ClientConfig, as clientcmd resolves it: pick the context (current-context unless
 * one is named), then its cluster (server, certificate-authority(-data),
 * insecure-skip-tls-verify, tls-server-name) and user (token, tokenFile, client-certificate(-data),
 * client-key(-data)). Relative file references resolve against the kubeconfig's directory.
 * Not supported (refused by name): exec and auth-provider credential plugins, basic auth.
 *
 * Several API servers: a kubeconfig cluster names one `server` (kubectl uses that one). Cistern
 * clients also read the cluster extension named SERVERS_EXTENSION,
 *   extensions: [{ name: servers.cistern.io, extension: { servers: [https://a:6443, https://b:6443] } }]
 * and fail over between every server listed there (same CA and credentials for all). kubectl keeps
 * such extensions untouched and ignores them.
 */
import { readFileSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { parse as parseYaml } from "yaml";

/** The kubeconfig cluster extension listing every API server of the cluster. */
export const SERVERS_EXTENSION = "servers.cistern.io";

export interface ClientConfig {
  /** Base URL of the API server, e.g. https://127.0.0.1:6443 (a path prefix is kept). */
  server: string;
  /** Every API server to fail over between (`server` first); same CA and credentials. */
  servers?: string[];
  /** PEM CA bundle for verifying the server. */
  caData?: string;
  insecureSkipTlsVerify?: boolean;
  tlsServerName?: string;
  /** Bearer token sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** PEM client certificate and key (mutual TLS). */
  clientCertData?: string;
  clientKeyData?: string;
  /** The context's default namespace, for callers that want kubectl's behaviour. Never applied implicitly. */
  namespace?: string;
}

export class KubeconfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "KubeconfigError";
  }
}

function findNamed(list: unknown, name: string, what: string, field: string): Record<string, unknown> {
  if (!Array.isArray(list)) throw new KubeconfigError(`kubeconfig has no ${what}s`);
  const entry = (list as (Record<string, unknown> | null)[]).find((e) => e?.name === name);
  if (!entry) throw new KubeconfigError(`${what} "${name}" not found in kubeconfig`);
  const inner = entry[field];
  return inner && typeof inner === "object" ? (inner as Record<string, unknown>) : {};
}

function str(obj: Record<string, unknown>, key: string): string | undefined {
  const v = obj[key];
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v !== "string") throw new KubeconfigError(`kubeconfig field ${key} must be a string`);
  return v;
}

function readReferenced(baseDir: string, file: string, field: string): string {
  if (file.includes("\0")) throw new KubeconfigError(`kubeconfig field ${field} is not a valid path`);
  const path = isAbsolute(file) ? file : resolve(baseDir, file);
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    throw new KubeconfigError(`cannot read ${field} ${path}: ${(err as Error).message}`);
  }
}

function decodeData(b64: string, field: string): string {
  if (!/^[A-Za-z0-9+/=\s]*$/.test(b64)) throw new KubeconfigError(`kubeconfig field ${field} is not base64`);
  return Buffer.from(b64, "base64").toString("utf8");
}

/**
 * Resolve a parsed kubeconfig document. `baseDir` anchors relative file references.
 * Throws KubeconfigError naming the missing or unsupported piece.
 */
export function resolveKubeconfig(doc: unknown, baseDir: string, contextName?: string): ClientConfig {
  if (!doc || typeof doc !== "object") throw new KubeconfigError("kubeconfig is empty or not a mapping");
  const d = doc as Record<string, unknown>;
  const ctxName = contextName ?? (typeof d["current-context"] === "string" ? d["current-context"] : undefined);
  if (!ctxName) throw new KubeconfigError("kubeconfig has no current-context and no context was named");
  const ctx = findNamed(d.contexts, ctxName, "context", "context");
  const clusterName = str(ctx, "cluster");
  if (!clusterName) throw new KubeconfigError(`context "${ctxName}" names no cluster`);
  const cluster = findNamed(d.clusters, clusterName, "cluster", "cluster");
  const userName = str(ctx, "user");
  const user = userName ? findNamed(d.users, userName, "user", "user") : {};

  const server = str(cluster, "server");
  if (!server) throw new KubeconfigError(`cluster "${clusterName}" has no server`);
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new KubeconfigError(`cluster "${clusterName}" server ${JSON.stringify(server)} is not a URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new KubeconfigError(`cluster "${clusterName}" server must be http(s)`);

  for (const unsupported of ["exec", "auth-provider", "username", "password"]) {
    if (user[unsupported] !== undefined) throw new KubeconfigError(`user "${userName}": ${unsupported} is not supported; use a token or client certificate`);
  }

  const config: ClientConfig = { server: server.replace(/\/+$/, "") };
  const servers = serversExtension(cluster, clusterName);
  if (servers) config.servers = [config.server, ...servers.filter((s) => s !== config.server)];
  const caData = str(cluster, "certificate-authority-data");
  const caFile = str(cluster, "certificate-authority");
  if (caData) config.caData = decodeData(caData, "certificate-authority-data");
  else if (caFile) config.caData = readReferenced(baseDir, caFile, "certificate-authority");
  if (cluster["insecure-skip-tls-verify"] === true) config.insecureSkipTlsVerify = true;
  const tlsServerName = str(cluster, "tls-server-name");
  if (tlsServerName) config.tlsServerName = tlsServerName;

  const token = str(user, "token");
  const tokenFile = str(user, "tokenFile");
  if (token) config.token = token;
  else if (tokenFile) config.token = readReferenced(baseDir, tokenFile, "tokenFile").trim();
  const certData = str(user, "client-certificate-data");
  const certFile = str(user, "client-certificate");
  if (certData) config.clientCertData = decodeData(certData, "client-certificate-data");
  else if (certFile) config.clientCertData = readReferenced(baseDir, certFile, "client-certificate");
  const keyData = str(user, "client-key-data");
  const keyFile = str(user, "client-key");
  if (keyData) config.clientKeyData = decodeData(keyData, "client-key-data");
  else if (keyFile) config.clientKeyData = readReferenced(baseDir, keyFile, "client-key");

  const namespace = str(ctx, "namespace");
  if (namespace) config.namespace = namespace;
  return config;
}

function checkServerUrl(value: unknown, clusterName: string): string {
  if (typeof value !== "string") throw new KubeconfigError(`cluster "${clusterName}" extension ${SERVERS_EXTENSION}: servers must be strings`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new KubeconfigError(`cluster "${clusterName}" extension ${SERVERS_EXTENSION}: ${JSON.stringify(value)} is not a URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new KubeconfigError(`cluster "${clusterName}" extension ${SERVERS_EXTENSION}: servers must be http(s)`);
  return value.replace(/\/+$/, "");
}

/** The servers listed in the cluster's SERVERS_EXTENSION, if any. */
function serversExtension(cluster: Record<string, unknown>, clusterName: string): string[] | undefined {
  const exts = cluster.extensions;
  if (exts === undefined || exts === null) return undefined;
  if (!Array.isArray(exts)) throw new KubeconfigError(`cluster "${clusterName}" extensions must be a list`);
  const ext = (exts as (Record<string, unknown> | null)[]).find((e) => e?.name === SERVERS_EXTENSION);
  if (!ext) return undefined;
  const list = (ext.extension as { servers?: unknown } | undefined)?.servers;
  if (!Array.isArray(list) || list.length === 0) throw new KubeconfigError(`cluster "${clusterName}" extension ${SERVERS_EXTENSION} needs a non-empty servers list`);
  return list.map((v) => checkServerUrl(v, clusterName));
}

/** Read and resolve a kubeconfig file (YAML or JSON). */
export function loadKubeconfig(path: string, options: { context?: string } = {}): ClientConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new KubeconfigError(`cannot read kubeconfig ${path}: ${(err as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new KubeconfigError(`kubeconfig ${path} is not valid YAML: ${(err as Error).message}`);
  }
  return resolveKubeconfig(doc, dirname(resolve(path)), options.context);
}
