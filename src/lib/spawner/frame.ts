/**
 * The spawner protocol's framing (native/spawner/spawner.h): a frame is a little-endian u32 byte count and that many
 * bytes of fields; a field is a little-endian u32 byte count and its bytes. Pure, so it is property-tested alone.
 */

export type Field = string | Buffer;

/** Largest frame the client accepts (the helper caps captured stdout at 8 MiB and stderr at 1 MiB). */
export const MAX_RESPONSE_BYTES = 16 << 20;
/** Largest request the helper accepts. */
export const MAX_REQUEST_BYTES = 1 << 20;

export class FrameError extends Error {
  override readonly name = "FrameError";
}

export function encodeFrame(fields: Field[]): Buffer {
  const parts = fields.map((f) => (typeof f === "string" ? Buffer.from(f, "utf8") : f));
  const body = parts.reduce((n, p) => n + 4 + p.length, 0);
  const out = Buffer.allocUnsafe(4 + body);
  out.writeUInt32LE(body, 0);
  let at = 4;
  for (const p of parts) {
    out.writeUInt32LE(p.length, at);
    p.copy(out, at + 4);
    at += 4 + p.length;
  }
  return out;
}

/** The fields of one frame body; throws FrameError if a count runs past the end. */
export function decodeFields(body: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  while (at < body.length) {
    if (body.length - at < 4) throw new FrameError("truncated field length");
    const len = body.readUInt32LE(at);
    at += 4;
    if (len > body.length - at) throw new FrameError("field runs past the end of its frame");
    out.push(body.subarray(at, at + len));
    at += len;
  }
  return out;
}

/** Reassembles frames from a byte stream cut anywhere. */
export class FrameDecoder {
  private pending: Buffer[] = [];
  private size = 0;

  constructor(private readonly maxFrame = MAX_RESPONSE_BYTES) {}

  /** Frames completed by `chunk`, each as its fields. Throws FrameError on an oversized or malformed frame. */
  push(chunk: Buffer): Buffer[][] {
    this.pending.push(chunk);
    this.size += chunk.length;
    const frames: Buffer[][] = [];
    for (;;) {
      if (this.size < 4) break;
      const head = this.pending.length === 1 ? this.pending[0] : this.flatten();
      const len = head.readUInt32LE(0);
      if (len > this.maxFrame) throw new FrameError(`frame of ${len} bytes exceeds ${this.maxFrame}`);
      if (this.size < 4 + len) break;
      frames.push(decodeFields(Buffer.from(head.subarray(4, 4 + len))));
      const rest = head.subarray(4 + len);
      this.pending = rest.length ? [rest] : [];
      this.size = rest.length;
    }
    return frames;
  }

  private flatten(): Buffer {
    const all = Buffer.concat(this.pending, this.size);
    this.pending = [all];
    return all;
  }
}
