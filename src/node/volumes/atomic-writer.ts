/**
 * Files the agent projects into a volume (config maps, secrets, downward API), written the way the kubelet's
 * AtomicWriter does so a reader never sees a half-updated set:
 *   <dir>/..2024_05_01_10_00_00.123456789/<files>   one directory per version of the payload
 *   <dir>/..data -> ..2024_05_01_…                   swapped with one rename(2)
 *   <dir>/<top-level name> -> ..data/<top-level name> the names users see
 * A payload equal to the current version changes nothing. Paths are validated (relative, no "..", no component
 * starting with "..") and everything happens inside the agent's own directory; old entries are removed with
 * lstat-based unlinks, so a link is never followed.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { validateRelativePath } from "../../lib/safe-path/index.js";

export interface PayloadFile {
  data: Buffer;
  mode: number;
}

export type Payload = Map<string, PayloadFile>;

export interface Ownership {
  /** Group that owns files and directories (the pod's fsGroup); files become group-readable. */
  gid?: number;
}

const DATA = "..data";
const DATA_TMP = "..data_tmp";
const VERSION = /^\.\.\d{4}_\d{2}_\d{2}_\d{2}_\d{2}_\d{2}\.\d+$/;

/** Throws unless `p` is a plain relative path whose components do not start with "..". */
export function validatePayloadPath(p: string): string[] {
  const parts = validateRelativePath(p);
  if (parts.length === 0) throw new Error("payload path must not be empty");
  if (parts.some((c) => c.startsWith(".."))) throw new Error(`payload path ${JSON.stringify(p)} must not start with ".."`);
  if (Buffer.byteLength(p) > 4096) throw new Error(`payload path ${JSON.stringify(p)} is too long`);
  return parts;
}

function versionName(now = new Date()): string {
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  const ns = String(now.getUTCMilliseconds() * 1_000_000 + Math.floor(Math.random() * 1_000_000)).padStart(9, "0");
  return `..${now.getUTCFullYear()}_${pad(now.getUTCMonth() + 1)}_${pad(now.getUTCDate())}_${pad(now.getUTCHours())}_${pad(now.getUTCMinutes())}_${pad(now.getUTCSeconds())}.${ns}`;
}

function currentVersion(dir: string): string | undefined {
  try {
    const target = fs.readlinkSync(path.join(dir, DATA));
    return VERSION.test(target) ? target : undefined;
  } catch {
    return undefined;
  }
}

function filesOf(root: string, rel = ""): Map<string, { data: Buffer; mode: number }> {
  const out = new Map<string, { data: Buffer; mode: number }>();
  for (const name of fs.readdirSync(path.join(root, rel))) {
    const r = rel ? `${rel}/${name}` : name;
    const st = fs.lstatSync(path.join(root, r));
    if (st.isDirectory()) for (const [k, v] of filesOf(root, r)) out.set(k, v);
    else if (st.isFile()) out.set(r, { data: fs.readFileSync(path.join(root, r)), mode: st.mode & 0o7777 });
  }
  return out;
}

function effectiveMode(mode: number, own: Ownership): number {
  return own.gid !== undefined ? mode | 0o440 : mode;
}

function samePayload(dir: string, version: string, payload: Payload, own: Ownership): boolean {
  const have = filesOf(path.join(dir, version));
  if (have.size !== payload.size) return false;
  for (const [p, f] of payload) {
    const h = have.get(p);
    if (!h || h.mode !== effectiveMode(f.mode, own) || !h.data.equals(f.data)) return false;
  }
  return true;
}

function removeEntry(p: string): void {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(p);
  } catch {
    return;
  }
  if (st.isDirectory()) {
    for (const n of fs.readdirSync(p)) removeEntry(path.join(p, n));
    fs.rmdirSync(p);
  } else fs.unlinkSync(p);
}

/**
 * Make `dir` (an agent-owned directory, created 0777 if missing) hold exactly `payload`. Returns whether anything
 * changed. Throws on an invalid path in the payload before touching the disk.
 */
export function writePayload(dir: string, payload: Payload, own: Ownership = {}): boolean {
  for (const p of payload.keys()) validatePayloadPath(p);
  if (!fs.existsSync(dir)) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o777 });
    fs.chmodSync(dir, 0o777);
  }
  const old = currentVersion(dir);
  if (old && samePayload(dir, old, payload, own)) return false;

  const version = versionName();
  const vdir = path.join(dir, version);
  fs.mkdirSync(vdir, { mode: 0o755 });
  const chown = (p: string) => {
    if (own.gid !== undefined) fs.lchownSync(p, 0, own.gid);
  };
  chown(vdir);
  for (const [p, f] of payload) {
    const parts = p.split("/");
    let cur = vdir;
    for (const part of parts.slice(0, -1)) {
      cur = path.join(cur, part);
      if (!fs.existsSync(cur)) {
        fs.mkdirSync(cur, { mode: 0o755 });
        chown(cur);
      }
    }
    const file = path.join(vdir, p);
    fs.writeFileSync(file, f.data, { mode: 0o600, flag: "wx" });
    chown(file);
    fs.chmodSync(file, effectiveMode(f.mode, own));
  }

  const tmp = path.join(dir, DATA_TMP);
  removeEntry(tmp);
  fs.symlinkSync(version, tmp);
  fs.renameSync(tmp, path.join(dir, DATA));

  const wanted = new Set([...payload.keys()].map((p) => p.split("/")[0]));
  for (const top of wanted) {
    const link = path.join(dir, top);
    const target = `${DATA}/${top}`;
    let existing: string | undefined;
    try {
      existing = fs.readlinkSync(link);
    } catch {
      existing = undefined;
    }
    if (existing === target) continue;
    removeEntry(link);
    fs.symlinkSync(target, link);
  }
  for (const name of fs.readdirSync(dir)) {
    if (name === DATA || name === version || wanted.has(name)) continue;
    removeEntry(path.join(dir, name));
  }
  return true;
}

/**
 * The path below `dir` that a user's subPath means once the ..data links are followed — only through links this
 * module made (a top-level name pointing at ..data/<name>, ..data pointing at a version directory); anything else
 * is returned unchanged for the runtime's no-symlink open to judge.
 */
export function translateSubPath(dir: string, subPath: string): string {
  const [first, ...rest] = subPath.split("/");
  let link: string;
  try {
    link = fs.readlinkSync(path.join(dir, first));
  } catch {
    return subPath;
  }
  const version = currentVersion(dir);
  if (link !== `${DATA}/${first}` || !version) return subPath;
  return [version, first, ...rest].join("/");
}
