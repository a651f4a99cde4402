/**
 * Test helper (not exported from index.ts): writes ustar/pax archives in memory, and docker-save / OCI-layout image
 * tarballs built from them, so image tests need no docker and no network.
 */
import * as crypto from "node:crypto";
import * as zlib from "node:zlib";

export interface TarSpec {
  name: string;
  type?: "file" | "dir" | "symlink" | "hardlink" | "fifo";
  content?: string | Buffer;
  linkname?: string;
  mode?: number;
  uid?: number;
  gid?: number;
}

const FLAGS = { file: "0", hardlink: "1", symlink: "2", dir: "5", fifo: "6" } as const;

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, "0") + "\0";
}

function header(name: string, flag: string, size: number, s: TarSpec): Buffer {
  const h = Buffer.alloc(512);
  h.write(name.slice(0, 100), 0, "utf8");
  h.write(octal(s.mode ?? (flag === "5" ? 0o755 : 0o644), 8), 100);
  h.write(octal(s.uid ?? 0, 8), 108);
  h.write(octal(s.gid ?? 0, 8), 116);
  h.write(octal(size, 12), 124);
  h.write(octal(1_700_000_000, 12), 136);
  h.write("        ", 148);
  h.write(flag, 156);
  h.write((s.linkname ?? "").slice(0, 100), 157, "utf8");
  h.write("ustar\0", 257, "latin1");
  h.write("00", 263, "latin1");
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, "0") + "\0 ", 148, "latin1");
  return h;
}

function pad(b: Buffer): Buffer {
  const rem = b.length % 512;
  return rem ? Buffer.concat([b, Buffer.alloc(512 - rem)]) : b;
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let len = Buffer.byteLength(body) + 1;
  while (String(len).length + Buffer.byteLength(body) !== len) len = String(len).length + Buffer.byteLength(body);
  return `${len}${body}`;
}

export function makeTar(entries: TarSpec[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const type = e.type ?? "file";
    const data = type === "file" ? Buffer.from(e.content ?? "") : Buffer.alloc(0);
    if (Buffer.byteLength(e.name) > 100 || Buffer.byteLength(e.linkname ?? "") > 100) {
      let pax = paxRecord("path", e.name);
      if (e.linkname) pax += paxRecord("linkpath", e.linkname);
      const body = Buffer.from(pax);
      parts.push(header("PaxHeader", "x", body.length, { name: "PaxHeader" }), pad(body));
    }
    parts.push(header(e.name, FLAGS[type], data.length, e), pad(data));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

const sha = (b: Buffer) => crypto.createHash("sha256").update(b).digest("hex");

export interface ImageSpec {
  layers: TarSpec[][];
  config?: { Entrypoint?: string[]; Cmd?: string[]; Env?: string[]; WorkingDir?: string; User?: string };
  repoTags?: string[];
  gzip?: boolean;
}

function configBlob(spec: ImageSpec, diffIds: string[]): Buffer {
  return Buffer.from(
    JSON.stringify({ architecture: "amd64", os: "linux", config: spec.config ?? {}, rootfs: { type: "layers", diff_ids: diffIds.map((d) => `sha256:${d}`) } }),
  );
}

/** A `docker save`-style tarball: <id>/layer.tar per layer, <config>.json, manifest.json. */
export function makeDockerSave(spec: ImageSpec): Buffer {
  const layers = spec.layers.map((l) => makeTar(l));
  const ids = layers.map(sha);
  const config = configBlob(spec, ids);
  const configName = `${sha(config)}.json`;
  const entries: TarSpec[] = [];
  layers.forEach((l, i) => {
    entries.push({ name: `${ids[i]}/`, type: "dir" });
    entries.push({ name: `${ids[i]}/layer.tar`, content: spec.gzip ? zlib.gzipSync(l) : l });
  });
  entries.push({ name: configName, content: config });
  entries.push({ name: "manifest.json", content: JSON.stringify([{ Config: configName, RepoTags: spec.repoTags ?? [], Layers: ids.map((id) => `${id}/layer.tar`) }]) });
  return makeTar(entries);
}

/** An OCI image layout tarball: oci-layout, index.json, blobs/sha256/*. */
export function makeOciLayout(spec: ImageSpec): Buffer {
  const raw = spec.layers.map((l) => makeTar(l));
  const blobs = raw.map((l) => (spec.gzip ? zlib.gzipSync(l) : l));
  const config = configBlob(spec, raw.map(sha));
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: `sha256:${sha(config)}`, size: config.length },
      layers: blobs.map((b) => ({ mediaType: `application/vnd.oci.image.layer.v1.tar${spec.gzip ? "+gzip" : ""}`, digest: `sha256:${sha(b)}`, size: b.length })),
    }),
  );
  const index = { schemaVersion: 2, manifests: [{ mediaType: "application/vnd.oci.image.manifest.v1+json", digest: `sha256:${sha(manifest)}`, size: manifest.length, platform: { os: "linux", architecture: "amd64" } }] };
  const entries: TarSpec[] = [
    { name: "oci-layout", content: JSON.stringify({ imageLayoutVersion: "1.0.0" }) },
    { name: "index.json", content: JSON.stringify(index) },
    { name: "blobs/", type: "dir" },
    { name: "blobs/sha256/", type: "dir" },
  ];
  for (const b of [...blobs, config, manifest]) entries.push({ name: `blobs/sha256/${sha(b)}`, content: b });
  return makeTar(entries);
}
