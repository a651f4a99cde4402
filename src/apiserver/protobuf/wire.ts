/**
 * Protobuf wire format reading: tags, varints, fixed-width values and length-delimited slices.
 * Every read is bounds-checked against the reader's own slice, so a nested message can never read
 * past the bytes its parent gave it; any violation throws ProtobufDecodeError("Malformed").
 */
import { malformed } from "./errors.js";

export const WireType = {
  Varint: 0,
  Fixed64: 1,
  LengthDelimited: 2,
  StartGroup: 3,
  EndGroup: 4,
  Fixed32: 5,
} as const;

export interface Tag {
  fieldNumber: number;
  wireType: number;
}

/** A varint is at most 10 bytes: 64 bits in 7-bit groups. */
const MAX_VARINT_BYTES = 10;

export class WireReader {
  private pos = 0;

  constructor(private readonly buf: Buffer) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  /** Reads a varint as an unsigned 64-bit value (bits above 64 are dropped, as Go's decoder does). */
  readVarint(): bigint {
    let result = 0n;
    for (let i = 0; i < MAX_VARINT_BYTES; i++) {
      if (this.pos >= this.buf.length) throw malformed("unexpected end of data inside a varint");
      const b = this.buf[this.pos++];
      result |= BigInt(b & 0x7f) << BigInt(7 * i);
      if (b < 0x80) return BigInt.asUintN(64, result);
    }
    throw malformed("varint overflows 64 bits");
  }

  /**
   * Reads a varint that must fit a non-negative JavaScript number (tags and lengths). Values past
   * 2^53 cannot be valid lengths for a buffer of at most a few MiB, so they are reported as such.
   */
  readSmallVarint(what: string): number {
    const v = this.readVarint();
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw malformed(`${what} ${v} is out of range`);
    return Number(v);
  }

  readTag(): Tag {
    const key = this.readSmallVarint("field key");
    const fieldNumber = Math.floor(key / 8);
    const wireType = key % 8;
    if (fieldNumber <= 0 || fieldNumber > 0x1fffffff) throw malformed(`illegal field number ${fieldNumber} (wire type ${wireType})`);
    return { fieldNumber, wireType };
  }

  /** The bytes of a length-delimited field, as a view (no copy) bounded to this reader's slice. */
  readLengthDelimited(): Buffer {
    const len = this.readSmallVarint("length");
    const remaining = this.buf.length - this.pos;
    if (len > remaining) throw malformed(`length ${len} runs past the end of the data (${remaining} bytes left)`);
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }

  skipFixed(bytes: 4 | 8): void {
    if (this.buf.length - this.pos < bytes) throw malformed(`unexpected end of data inside a ${bytes * 8}-bit value`);
    this.pos += bytes;
  }

  /**
   * Skips one field we have no descriptor for. Groups (deprecated, but legal on the wire) are
   * skipped through their matching end tag; each nested group counts towards the depth limit.
   */
  skipField(tag: Tag, depth: number, maxDepth: number): void {
    switch (tag.wireType) {
      case WireType.Varint:
        this.readVarint();
        return;
      case WireType.Fixed64:
        this.skipFixed(8);
        return;
      case WireType.LengthDelimited:
        this.readLengthDelimited();
        return;
      case WireType.Fixed32:
        this.skipFixed(4);
        return;
      case WireType.StartGroup:
        this.skipGroup(tag.fieldNumber, depth + 1, maxDepth);
        return;
      case WireType.EndGroup:
        throw malformed(`unexpected end-group tag for field ${tag.fieldNumber}`);
      default:
        throw malformed(`illegal wire type ${tag.wireType} for field ${tag.fieldNumber}`);
    }
  }

  private skipGroup(fieldNumber: number, depth: number, maxDepth: number): void {
    if (depth > maxDepth) throw malformed(`nesting exceeds the maximum depth of ${maxDepth}`);
    for (;;) {
      if (this.done) throw malformed(`unexpected end of data inside group ${fieldNumber}`);
      const tag = this.readTag();
      if (tag.wireType === WireType.EndGroup) {
        if (tag.fieldNumber !== fieldNumber) throw malformed(`end-group tag ${tag.fieldNumber} does not close group ${fieldNumber}`);
        return;
      }
      this.skipField(tag, depth, maxDepth);
    }
  }
}
