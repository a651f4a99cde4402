/**
 * Serves the built dashboard (dist/dashboard/) without ever turning a request path into a file
 * path: the directory is listed once (and again after a miss, at most every few seconds, so a
 * rebuild is picked up), without following symlinks, and a request is only a lookup in that
 * list. Files are opened with O_NOFOLLOW, so a file swapped for a symlink after the listing is
 * refused rather than followed.
 */
import { closeSync, constants, createReadStream, fstatSync, lstatSync, openSync, readdirSync } from "node:fs";
import { extname, join } from "node:path";
import type { IncomingMessage, ServerResponse } from "node:http";

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".map": "application/json",
  ".txt": "text/plain; charset=utf-8",
  ".woff2": "font/woff2",
};

const MAX_ENTRIES = 10_000;
const MAX_DEPTH = 8;
const RESCAN_AFTER_MS = 2_000;
/** What a listed name may look like: no dot files, no "..", nothing that needs escaping. */
const SAFE_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,254}$/;

interface Entry {
  path: string;
  type: string;
}

export interface StaticFiles {
  /** Serves `relative` ("index.html", "assets/x.js"); false when there is no such file. */
  serve(req: IncomingMessage, res: ServerResponse, relative: string, headers: Record<string, string>): boolean;
  /** Whether the build output exists at all. */
  available(): boolean;
}

function scan(root: string): Map<string, Entry> {
  const out = new Map<string, Entry>();
  const walk = (dir: string, prefix: string, depth: number) => {
    if (depth > MAX_DEPTH) return;
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      if (out.size >= MAX_ENTRIES || !SAFE_NAME.test(name)) continue;
      const path = join(dir, name);
      const st = lstatSync(path, { throwIfNoEntry: false });
      if (!st || st.isSymbolicLink()) continue;
      if (st.isDirectory()) walk(path, `${prefix}${name}/`, depth + 1);
      else if (st.isFile()) out.set(`${prefix}${name}`, { path, type: CONTENT_TYPES[extname(name)] ?? "application/octet-stream" });
    }
  };
  const st = lstatSync(root, { throwIfNoEntry: false });
  if (st?.isDirectory()) walk(root, "", 0);
  return out;
}

export function createStaticFiles(root: string, now: () => number = Date.now): StaticFiles {
  let files: Map<string, Entry> | undefined;
  let scannedAt = 0;
  const lookup = (relative: string): Entry | undefined => {
    if (!files || (!files.has(relative) && now() - scannedAt > RESCAN_AFTER_MS)) {
      files = scan(root);
      scannedAt = now();
    }
    return files.get(relative);
  };
  return {
    available: () => lookup("index.html") !== undefined,
    serve(req, res, relative, headers) {
      const entry = lookup(relative);
      if (!entry) return false;
      // Hashed bundle names change with their content; everything else is revalidated.
      const cache = relative.startsWith("assets/") ? "public, max-age=31536000, immutable" : "no-cache";
      let fd: number;
      try {
        fd = openSync(entry.path, constants.O_RDONLY | constants.O_NOFOLLOW);
      } catch {
        files = undefined;
        return false;
      }
      // The size of what was opened, not of what was listed (a rebuild may have replaced it).
      const st = fstatSync(fd);
      if (!st.isFile()) {
        closeSync(fd);
        return false;
      }
      res.writeHead(200, { ...headers, "content-type": entry.type, "cache-control": cache, "content-length": String(st.size) });
      if (req.method === "HEAD") {
        closeSync(fd);
        res.end();
        return true;
      }
      const stream = createReadStream("", { fd, autoClose: true });
      stream.once("error", () => res.destroy());
      stream.pipe(res);
      return true;
    },
  };
}
