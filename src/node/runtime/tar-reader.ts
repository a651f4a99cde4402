/**
 * A streaming tar reader (ustar, POSIX pax and GNU long names), enough for docker-save / OCI image layouts and their
 * layers. Entry names are returned raw; callers validate them. A member's body must be consumed (or is skipped)
 * before the next entry is produced.
 */
import { ByteSource } from "./byte-source.js";
import { RuntimeError } from "./errors.js";

export type TarEntryType = "file" | "dir" | "symlink" | "hardlink" | "char" | "block" | "fifo" | "other";

export interface TarEntry {
  name: string;
  type: TarEntryType;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  linkname: string;
}

export interface TarMember {
  entry: TarEntry;
  /** The member's content as chunks; iterate at most once. */
  body(): AsyncGenerator<Buffer>;
  /** The whole content (bounded by `max`). */
  readAll(max?: number): Promise<Buffer>;
}

const BLOCK = 512;

function corrupt(why: string): RuntimeError {
  return new RuntimeError("ImageRefused", `corrupt tar archive: ${why}`);
}

function str(h: Buffer, off: number, len: number): string {
  const raw = h.subarray(off, off + len);
  const nul = raw.indexOf(0);
  return raw.subarray(0, nul < 0 ? raw.length : nul).toString("utf8");
}

function num(h: Buffer, off: number, len: number): number {
  const raw = h.subarray(off, off + len);
  if (raw[0] & 0x80) {
    // GNU base-256 for values that do not fit in octal
    let v = 0;
    for (let i = 1; i < raw.length; i++) v = v * 256 + raw[i];
    return v;
  }
  const s = str(h, off, len).trim();
  if (s === "") return 0;
  if (!/^[0-7]+$/.test(s)) throw corrupt(`bad octal field ${JSON.stringify(s)}`);
  return parseInt(s, 8);
}

function checksumOk(h: Buffer): boolean {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i];
  return sum === num(h, 148, 8);
}

const TYPES: Record<string, TarEntryType> = {
  "0": "file",
  "\0": "file",
  "7": "file",
  "1": "hardlink",
  "2": "symlink",
  "3": "char",
  "4": "block",
  "5": "dir",
  "6": "fifo",
};

function parsePax(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let rest = text;
  while (rest.length > 0) {
    const sp = rest.indexOf(" ");
    if (sp < 0) break;
    const len = Number(rest.slice(0, sp));
    if (!Number.isInteger(len) || len <= sp) throw corrupt("bad pax record");
    // len counts bytes, not characters
    const recBytes = Buffer.from(rest, "utf8").subarray(0, len).toString("utf8");
    const body = recBytes.slice(sp + 1, recBytes.endsWith("\n") ? -1 : undefined);
    const eq = body.indexOf("=");
    if (eq > 0) out[body.slice(0, eq)] = body.slice(eq + 1);
    rest = rest.slice(recBytes.length);
  }
  return out;
}

/** Iterate the members of a tar stream. Stops at the end-of-archive marker or the end of input. */
export async function* readTar(input: AsyncIterable<Buffer | string | Uint8Array>): AsyncGenerator<TarMember> {
  const src = new ByteSource(input);
  let pax: Record<string, string> = {};
  let longName: string | undefined;
  let longLink: string | undefined;
  try {
    for (;;) {
      const h = await src.read(BLOCK);
      if (h.length === 0) return;
      if (h.length < BLOCK) throw corrupt("truncated header");
      if (h.every((b) => b === 0)) return;
      if (!checksumOk(h)) throw corrupt("header checksum mismatch");
      const flag = String.fromCharCode(h[156]);
      let size = num(h, 124, 12);
      if (pax.size !== undefined) size = Number(pax.size);
      if (!Number.isSafeInteger(size) || size < 0) throw corrupt("bad size");
      if (flag === "x" || flag === "g" || flag === "L" || flag === "K") {
        if (size > 1 << 20) throw corrupt("oversized extended header");
        const data = await src.read(size);
        if (data.length < size) throw corrupt("truncated extended header");
        await src.skip(Math.ceil(size / BLOCK) * BLOCK - size);
        if (flag === "x") pax = { ...pax, ...parsePax(data.toString("utf8")) };
        else if (flag === "L") longName = str(data, 0, data.length);
        else if (flag === "K") longLink = str(data, 0, data.length);
        continue; // "g" (global) headers carry nothing we use
      }

      const magic = h.subarray(257, 263).toString("latin1");
      let name = str(h, 0, 100);
      if (magic === "ustar\0") {
        const prefix = str(h, 345, 155);
        if (prefix) name = `${prefix}/${name}`;
      }
      const entry: TarEntry = {
        name: pax.path ?? longName ?? name,
        type: TYPES[flag] ?? "other",
        mode: num(h, 100, 8) & 0o7777,
        uid: pax.uid !== undefined ? Number(pax.uid) : num(h, 108, 8),
        gid: pax.gid !== undefined ? Number(pax.gid) : num(h, 116, 8),
        size,
        mtime: pax.mtime !== undefined ? Math.floor(Number(pax.mtime)) : num(h, 136, 12),
        linkname: pax.linkpath ?? longLink ?? str(h, 157, 100),
      };
      // Only regular (and unknown) members carry data blocks; links, directories and devices never do.
      if (entry.type !== "file" && entry.type !== "other") entry.size = 0;
      pax = {};
      longName = undefined;
      longLink = undefined;

      let consumed = 0;
      let started = false;
      const bodySize = entry.size;
      const member: TarMember = {
        entry,
        body: async function* () {
          if (started) throw new Error("tar member body can be read only once");
          started = true;
          for await (const c of src.chunks(bodySize)) {
            consumed += c.length;
            yield c;
          }
          if (consumed < bodySize) throw corrupt("truncated member");
        },
        async readAll(max = 64 << 20) {
          if (bodySize > max) throw corrupt(`member ${JSON.stringify(entry.name)} is larger than ${max} bytes`);
          const parts: Buffer[] = [];
          for await (const c of member.body()) parts.push(c);
          return Buffer.concat(parts);
        },
      };
      yield member;
      // Skip whatever the consumer left of the body, then the padding (which follows the stored size).
      if (consumed < bodySize) consumed += await src.skip(bodySize - consumed);
      await src.skip(Math.ceil(bodySize / BLOCK) * BLOCK - bodySize);
    }
  } finally {
    await src.close();
  }
}
