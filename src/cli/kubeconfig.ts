/**
 * Writes the files `cistern up` hands to users: DIR/kubeconfig (the admin credentials and the
 * CA, so real kubectl verifies TLS) and DIR/env (a file to `source`). Both are replaced
 * atomically so a reader never sees half a file.
 */
import { stringify } from "yaml";
import { writeFileAtomic } from "../lib/atomic-file.js";

export interface KubeconfigInput {
  server: string;
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
    clusters: [{ name: cluster, cluster: { server: k.server, "certificate-authority-data": Buffer.from(k.caPem).toString("base64") } }],
    users: [{ name: user, user: { token: k.token } }],
    contexts: [{ name: cluster, context: { cluster, user, namespace: k.namespace ?? "default" } }],
    "current-context": cluster,
    preferences: {},
  });
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
