/**
 * Writes the files `cistern up` hands to users: DIR/kubeconfig (the admin credentials and the
 * CA, so real kubectl verifies TLS) and DIR/env (a file to `source`). Both are replaced
 * atomically so a reader never sees half a file.
 */
import { stringify } from "yaml";
import { writeFileAtomic } from "../lib/atomic-file.js";
import { SERVERS_EXTENSION } from "../client/index.js";

export interface KubeconfigInput {
  server: string;
  /** Every API server of the cluster (`server` among them); written as the servers extension when there are several. */
  servers?: string[];
  caPem: string;
  token: string;
  namespace?: string;
  clusterName?: string;
  userName?: string;
}

export function renderKubeconfig(k: KubeconfigInput): string {
  const cluster = k.clusterName ?? "cistern";
  const user = k.userName ?? "cistern-admin";
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: cluster, cluster: { server: k.server, "certificate-authority-data": Buffer.from(k.caPem).toString("base64"), ...serversExtension(k) } }],
    users: [{ name: user, user: { token: k.token } }],
    contexts: [{ name: cluster, context: { cluster, user, namespace: k.namespace ?? "default" } }],
    "current-context": cluster,
    preferences: {},
  });
}

function serversExtension(k: KubeconfigInput): Record<string, unknown> {
  const all = [...new Set([k.server, ...(k.servers ?? [])])];
  return all.length > 1 ? { extensions: [{ name: SERVERS_EXTENSION, extension: { servers: all } }] } : {};
}

export function writeKubeconfig(path: string, k: KubeconfigInput): void {
  writeFileAtomic(path, renderKubeconfig(k), 0o600);
}

/** Shell-quotes a value for a `source`d env file (single quotes, embedded quotes escaped). */
function q(v: string): string {
  return `'${v.replace(/'/g, `'\\''`)}'`;
}

export function writeEnvFile(path: string, vars: Record<string, string>): void {
  const lines = ["# Written by `cistern up`. Use: source " + path];
  for (const [k, v] of Object.entries(vars)) lines.push(`export ${k}=${q(v)}`);
  writeFileAtomic(path, lines.join("\n") + "\n", 0o600);
}
