/**
 * Test-only protobuf writer: builds messages field by field the way Go's generated marshallers
 * lay them out, so tests can state exact wire bytes (including malformed ones) without a
 * protobuf library. Not used by the server.
 */

export function varintBytes(value: number | bigint): Buffer {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return Buffer.from(out);
}

export function tagBytes(fieldNumber: number, wireType: number): Buffer {
  return varintBytes(BigInt(fieldNumber) * 8n + BigInt(wireType));
}

type Body = Buffer | ((w: ProtoWriter) => void);

export class ProtoWriter {
  private readonly parts: Buffer[] = [];

  varint(fieldNumber: number, value: number | bigint | boolean): this {
    const v = typeof value === "boolean" ? (value ? 1 : 0) : value;
    return this.raw(tagBytes(fieldNumber, 0), varintBytes(v));
  }

  string(fieldNumber: number, value: string): this {
    return this.bytes(fieldNumber, Buffer.from(value, "utf8"));
  }

  bytes(fieldNumber: number, value: Buffer): this {
    return this.raw(tagBytes(fieldNumber, 2), varintBytes(value.length), value);
  }

  message(fieldNumber: number, body: Body): this {
    return this.bytes(fieldNumber, build(body));
  }

  /** A map<string, V> entry: key = 1, value = 2. */
  mapEntry(fieldNumber: number, key: string, value: string | Buffer | ((w: ProtoWriter) => void)): this {
    return this.message(fieldNumber, (w) => {
      w.string(1, key);
      if (typeof value === "string") w.string(2, value);
      else if (Buffer.isBuffer(value)) w.bytes(2, value);
      else w.message(2, value);
    });
  }

  fixed32(fieldNumber: number, value: number): this {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(value >>> 0);
    return this.raw(tagBytes(fieldNumber, 5), b);
  }

  fixed64(fieldNumber: number, value: bigint): this {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt.asUintN(64, value));
    return this.raw(tagBytes(fieldNumber, 1), b);
  }

  group(fieldNumber: number, body: Body): this {
    return this.raw(tagBytes(fieldNumber, 3), build(body), tagBytes(fieldNumber, 4));
  }

  raw(...bufs: Buffer[]): this {
    this.parts.push(...bufs);
    return this;
  }

  finish(): Buffer {
    return Buffer.concat(this.parts);
  }
}

export function build(body: Body): Buffer {
  if (Buffer.isBuffer(body)) return body;
  const w = new ProtoWriter();
  body(w);
  return w.finish();
}

/**
 * A complete request body as kubectl sends it: magic, then runtime.Unknown with empty
 * contentEncoding and contentType written out (Go writes every non-pointer string).
 */
export function kubernetesBody(apiVersion: string, kind: string, object: Body): Buffer {
  const unknown = new ProtoWriter()
    .message(1, (w) => w.string(1, apiVersion).string(2, kind))
    .message(2, object)
    .string(3, "")
    .string(4, "")
    .finish();
  return Buffer.concat([Buffer.from("k8s\0", "latin1"), unknown]);
}

/** ObjectMeta with just a name, laid out like Go's marshaller does for a fresh object. */
export function objectMeta(name: string): (w: ProtoWriter) => void {
  return (w) => {
    w.string(1, name).string(2, "").string(3, "").string(4, "").string(5, "").string(6, "").varint(7, 0).message(8, Buffer.alloc(0));
  };
}
