/**
 * `cistern apiserver --kubeconfig-out FILE` run by several API servers of one cluster (same PKI, same
 * store) with the same FILE: each adds its URL to the kubeconfig's server list (the servers
 * extension Cistern clients fail over between; kubectl keeps using the first server). A file for
 * another cluster (different CA or token) is replaced, not merged. A lock file serialises API
 * servers starting at the same moment; a lock older than 30 s is from a process that died.
 */
import { closeSync, existsSync, openSync, readFileSync, statSync, unlinkSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { SERVERS_EXTENSION } from "../client/index.js";
import { writeKubeconfig, type KubeconfigInput } from "./kubeconfig.js";

const STALE_LOCK_MS = 30_000;

async function withLock<T>(lockPath: string, fn: () => T): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      closeSync(openSync(lockPath, "wx", 0o600));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      if (attempt > 400) throw new Error(`kubeconfig lock ${lockPath} is held by another process`, { cause: err });
      try {
        if (Date.now() - statSync(lockPath).mtimeMs > STALE_LOCK_MS) unlinkSync(lockPath);
      } catch {
        // removed meanwhile by its owner
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  try {
    return fn();
  } finally {
    unlinkSync(lockPath);
  }
}

/** The servers an existing kubeconfig at `path` lists for the same cluster (same CA and token), if any. */
export function serversOfSameCluster(path: string, k: KubeconfigInput): string[] {
  if (!existsSync(path)) return [];
  let doc: Record<string, any>;
  try {
    doc = parseYaml(readFileSync(path, "utf8")) as Record<string, any>;
  } catch {
    return [];
  }
  const ctx = doc?.contexts?.find((c: any) => c?.name === doc["current-context"])?.context;
  const cluster = doc?.clusters?.find((c: any) => c?.name === ctx?.cluster)?.cluster;
  const user = doc?.users?.find((u: any) => u?.name === ctx?.user)?.user;
  if (!cluster || !user) return [];
  if (cluster["certificate-authority-data"] !== Buffer.from(k.caPem).toString("base64") || user.token !== k.token) return [];
  const listed = cluster.extensions?.find?.((e: any) => e?.name === SERVERS_EXTENSION)?.extension?.servers;
  const servers: unknown[] = Array.isArray(listed) ? listed : [cluster.server];
  return servers.filter((s): s is string => typeof s === "string" && s.length > 0);
}

/** Write `path` for `k.server`, keeping the servers it already lists for the same cluster (the first stays first). */
export async function addServerToKubeconfig(path: string, k: KubeconfigInput): Promise<string[]> {
  return withLock(`${path}.lock`, () => {
    const servers = [...new Set([...serversOfSameCluster(path, k), k.server])];
    writeKubeconfig(path, { ...k, server: servers[0], servers });
    return servers;
  });
}
