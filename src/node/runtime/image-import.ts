/**
 * importImage: add an image from a local tarball, either `docker save` output (manifest.json + config + layer
 * tars) or an OCI image layout (oci-layout, index.json, blobs/sha256/…); docker 25+ writes both and the
 * manifest.json route is used. Layers may be plain or gzip-compressed tars. The outer archive's members are staged
 * under flat names (never their archive paths), archive-internal symlinks (docker's layer dedup) are resolved
 * lexically within the archive, then the layers are applied in order with layer-apply.ts.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { Readable } from "node:stream";
import * as zlib from "node:zlib";
import type { Logger } from "../../lib/log.js";
import { RuntimeError } from "./errors.js";
import type { ImageConfig, ProgressFn } from "./image-types.js";
import { applyLayer, normalizeEntryName } from "./layer-apply.js";
import { readTar } from "./tar-reader.js";

const JSON_LIMIT = 16 << 20;

interface Staged {
  /** archive path -> staged file */
  files: Map<string, string>;
  /** archive path -> archive symlink target (already joined to the link's directory) */
  links: Map<string, string>;
}

export interface ParsedImage {
  configBytes: Buffer;
  config: ImageConfig;
  layers: string[]; // staged file paths, bottom first
  repoTags: string[];
}

function bad(why: string, cause?: unknown): RuntimeError {
  return new RuntimeError("ImageRefused", `image tarball: ${why}`, { cause });
}

/** A file or gzip stream as chunks, sniffing the gzip magic. */
function openMaybeGzip(file: string): AsyncIterable<Buffer> {
  const fd = fs.openSync(file, "r");
  const head = Buffer.alloc(4);
  const n = fs.readSync(fd, head, 0, 4, 0);
  const raw = fs.createReadStream("", { fd, start: 0 });
  if (n >= 2 && head[0] === 0x1f && head[1] === 0x8b) return raw.pipe(zlib.createGunzip());
  if (n >= 4 && head.readUInt32LE(0) === 0xfd2fb528) {
    raw.destroy();
    throw bad("zstd-compressed layers are not supported");
  }
  return raw;
}

async function stageArchive(tarball: string, stagingDir: string): Promise<Staged> {
  const staged: Staged = { files: new Map(), links: new Map() };
  let n = 0;
  for await (const m of readTar(openMaybeGzip(tarball))) {
    const name = normalizeEntryName(m.entry.name);
    if (m.entry.type === "symlink") {
      const target = m.entry.linkname.startsWith("/") ? m.entry.linkname.slice(1) : path.posix.join(path.posix.dirname(name), m.entry.linkname);
      staged.links.set(name, path.posix.normalize(target));
    } else if (m.entry.type === "hardlink") {
      staged.links.set(name, normalizeEntryName(m.entry.linkname));
    } else if (m.entry.type === "file") {
      const file = path.join(stagingDir, `member-${n++}`);
      const out = fs.createWriteStream(file, { flags: "wx", mode: 0o600 });
      await new Promise<void>((resolve, reject) => {
        Readable.from(m.body()).on("error", reject).pipe(out).on("finish", resolve).on("error", reject);
      });
      staged.files.set(name, file);
    }
  }
  return staged;
}

function resolveMember(s: Staged, name: string): string {
  let cur = path.posix.normalize(name);
  for (let hops = 0; hops < 16; hops++) {
    const f = s.files.get(cur);
    if (f) return f;
    const next = s.links.get(cur);
    if (!next) break;
    cur = next;
  }
  throw bad(`member ${JSON.stringify(name)} is missing`);
}

function readJson(s: Staged, name: string): { bytes: Buffer; value: any } {
  const file = resolveMember(s, name);
  if (fs.statSync(file).size > JSON_LIMIT) throw bad(`${name} is too large`);
  const bytes = fs.readFileSync(file);
  try {
    return { bytes, value: JSON.parse(bytes.toString("utf8")) };
  } catch (e) {
    throw bad(`${name} is not JSON`, e);
  }
}

function strings(v: unknown, what: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) throw bad(`config ${what} must be a list of strings`);
  return v as string[];
}

export function imageConfigFrom(raw: any): ImageConfig {
  const c = raw?.config ?? raw?.container_config ?? {};
  const str = (v: unknown, what: string): string => {
    if (v === undefined || v === null) return "";
    if (typeof v !== "string") throw bad(`config ${what} must be a string`);
    return v;
  };
  return {
    entrypoint: strings(c.Entrypoint, "Entrypoint"),
    cmd: strings(c.Cmd, "Cmd"),
    env: strings(c.Env, "Env"),
    workingDir: str(c.WorkingDir, "WorkingDir"),
    user: str(c.User, "User"),
  };
}

function blobName(digest: unknown): string {
  if (typeof digest !== "string" || !/^sha256:[0-9a-f]{64}$/.test(digest)) throw bad(`bad digest ${JSON.stringify(digest)}`);
  return `blobs/sha256/${digest.slice(7)}`;
}

function parseDockerSave(s: Staged): ParsedImage {
  const manifest = readJson(s, "manifest.json").value;
  if (!Array.isArray(manifest) || manifest.length === 0) throw bad("manifest.json has no images");
  const m = manifest[0];
  if (typeof m?.Config !== "string" || !Array.isArray(m?.Layers)) throw bad("manifest.json entry lacks Config/Layers");
  const cfg = readJson(s, normalizeEntryName(m.Config));
  return {
    configBytes: cfg.bytes,
    config: imageConfigFrom(cfg.value),
    layers: (m.Layers as unknown[]).map((l) => {
      if (typeof l !== "string") throw bad("layer names must be strings");
      return resolveMember(s, normalizeEntryName(l));
    }),
    repoTags: Array.isArray(m.RepoTags) ? m.RepoTags.filter((t: unknown) => typeof t === "string") : [],
  };
}

function parseOciLayout(s: Staged): ParsedImage {
  let doc = readJson(s, "index.json").value;
  // Follow nested indexes down to one image manifest, preferring linux/amd64 when a platform is given.
  for (let depth = 0; depth < 4; depth++) {
    const list: any[] = Array.isArray(doc?.manifests) ? doc.manifests : [];
    if (list.length === 0) break;
    const pick = list.find((d) => d?.platform?.os === "linux" && d?.platform?.architecture === "amd64") ?? list[0];
    doc = readJson(s, blobName(pick.digest)).value;
    if (doc?.config && Array.isArray(doc?.layers)) {
      const cfg = readJson(s, blobName(doc.config.digest));
      return {
        configBytes: cfg.bytes,
        config: imageConfigFrom(cfg.value),
        layers: (doc.layers as any[]).map((l) => {
          if (typeof l?.mediaType === "string" && l.mediaType.includes("zstd")) throw bad("zstd-compressed layers are not supported");
          return resolveMember(s, blobName(l.digest));
        }),
        repoTags: [],
      };
    }
  }
  throw bad("index.json does not lead to an image manifest");
}

/**
 * Read the tarball and build the rootfs into `rootfs` (an empty directory). `staging` is a scratch directory the
 * caller removes. Returns the config and its digest-derived image id.
 */
export async function importTarball(
  tarball: string,
  rootfs: string,
  staging: string,
  onProgress?: ProgressFn,
  log?: Logger,
): Promise<{ id: string; config: ImageConfig; repoTags: string[] }> {
  onProgress?.({ phase: "import", message: `reading ${path.basename(tarball)}` });
  const staged = await stageArchive(tarball, staging);
  const parsed = staged.files.has("manifest.json") ? parseDockerSave(staged) : staged.files.has("index.json") ? parseOciLayout(staged) : undefined;
  if (!parsed) throw bad("neither manifest.json (docker save) nor index.json (OCI layout) found");
  let i = 0;
  for (const layer of parsed.layers) {
    onProgress?.({ phase: "layer", message: `applying layer ${i + 1}/${parsed.layers.length}`, done: i, total: parsed.layers.length });
    await applyLayer(rootfs, openMaybeGzip(layer), log);
    i++;
  }
  onProgress?.({ phase: "layer", message: "layers applied", done: i, total: parsed.layers.length });
  const id = `sha256-${crypto.createHash("sha256").update(parsed.configBytes).digest("hex").slice(0, 40)}`;
  return { id, config: parsed.config, repoTags: parsed.repoTags };
}
