/**
 * Choosing a backend by URL: `sqlite:///abs/path/state.db`, `sqlite://relative/state.db`
 * (relative to the working directory), `memory://` (a fresh, empty in-memory store each time),
 * `etcd://host:2379,host:2379?prefix=/cistern` and `etcds://…` (TLS; also `cacert`, `cert`, `key`
 * parameters): an etcd v3 cluster, see etcd/url.ts.
 */
import type { EtcdBackendOptions } from "./etcd/etcd-backend.js";
import { openEtcdBackend } from "./etcd/open.js";
import { MemoryBackend, type MemoryBackendOptions } from "./memory/memory-backend.js";
import { SqliteBackend, type SqliteBackendOptions } from "./sqlite/sqlite-backend.js";
import type { Backend } from "./types.js";

export interface OpenBackendOptions {
  sqlite?: SqliteBackendOptions;
  memory?: MemoryBackendOptions;
  /** Overrides for what an etcd:// URL says (timeouts, limits). */
  etcd?: Partial<EtcdBackendOptions>;
}

/** The file path named by a `sqlite://` URL (percent-escapes decoded). */
export function sqlitePathFromUrl(url: string): string {
  if (!/^sqlite:\/\//i.test(url)) throw new Error(`store URL ${url} is not a sqlite:// URL`);
  const rest = url.slice("sqlite://".length);
  if (rest.length === 0) throw new Error(`store URL ${url} names no file: use sqlite:///abs/path/state.db`);
  if (/[?#]/.test(rest)) throw new Error(`store URL ${url}: query and fragment are not supported (escape ? and # as %3F and %23)`);
  let path: string;
  try {
    path = decodeURIComponent(rest);
  } catch {
    throw new Error(`store URL ${url} has a malformed percent-escape`);
  }
  if (path.includes("\u0000")) throw new Error(`store URL ${url} contains NUL`);
  return path;
}

/**
 * Opens the backend a store URL names. Throws on an unknown scheme, when the SQLite file is in use
 * by another process or cannot be opened safely, or when no etcd endpoint answers (naming them).
 */
export async function openBackend(url: string, opts: OpenBackendOptions = {}): Promise<Backend> {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  switch (scheme) {
    case "sqlite":
      return SqliteBackend.open(sqlitePathFromUrl(url), opts.sqlite);
    case "memory":
      if (url.length > "memory://".length) {
        throw new Error(`store URL ${url}: memory:// takes no name (every memory store is separate)`);
      }
      return new MemoryBackend(opts.memory);
    case "etcd":
    case "etcds":
      return openEtcdBackend(url, opts.etcd);
    default:
      throw new Error(`store URL ${JSON.stringify(url)}: unknown scheme; use sqlite:///path/state.db, etcd://host:2379 or memory://`);
  }
}
