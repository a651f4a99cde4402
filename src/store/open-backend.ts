/**
 * Choosing a backend by URL: `sqlite:///abs/path/state.db`, `sqlite://relative/state.db`
 * (relative to the working directory), `memory://` (a fresh, empty in-memory store each time).
 * `etcd://` is reserved for the etcd backend, which does not exist yet.
 */
import { MemoryBackend, type MemoryBackendOptions } from "./memory/memory-backend.js";
import { SqliteBackend, type SqliteBackendOptions } from "./sqlite/sqlite-backend.js";
import type { Backend } from "./types.js";

export interface OpenBackendOptions {
  sqlite?: SqliteBackendOptions;
  memory?: MemoryBackendOptions;
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
 * Opens the backend a store URL names. Throws on an unknown scheme, on `etcd://` (not supported
 * yet), or when the SQLite file is in use by another process or cannot be opened safely.
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
      throw new Error(`store URL ${url}: the etcd backend is not supported yet; use sqlite:// or memory://`);
    default:
      throw new Error(`store URL ${JSON.stringify(url)}: unknown scheme; use sqlite:///path/state.db or memory://`);
  }
}
