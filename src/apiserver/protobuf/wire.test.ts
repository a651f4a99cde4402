import { describe, expect, it } from "vitest";
import { ProtobufDecodeError } from "./errors.js";
import { ProtoWriter, tagBytes, varintBytes } from "./testing/encoder.js";
import { WireReader } from "./wire.js";

const reader = (...bytes: number[]) => new WireReader(Buffer.from(bytes));

function malformedMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ProtobufDecodeError);
    expect((err as ProtobufDecodeError).reason).toBe("Malformed");
    return (err as Error).message;
  }
  throw new Error("expected a ProtobufDecodeError");
}

describe("varints", () => {
  it("reads one-byte, multi-byte and full 64-bit values", () => {
    expect(reader(0x00).readVarint()).toBe(0n);
    expect(reader(0x7f).readVarint()).toBe(127n);
    expect(reader(0xac, 0x02).readVarint()).toBe(300n);
    expect(reader(0x90, 0x1c).readVarint()).toBe(3600n);
    expect(new WireReader(varintBytes(-1)).readVarint()).toBe(2n ** 64n - 1n);
    expect(new WireReader(varintBytes(2n ** 63n)).readVarint()).toBe(2n ** 63n);
  });

  it("round-trips values of every varint length through the test encoder", () => {
    for (let bits = 0n; bits < 64n; bits++) {
      for (const v of [1n << bits, (1n << bits) - 1n, ((1n << bits) * 3n) / 2n]) {
        const u = BigInt.asUintN(64, v);
        expect(new WireReader(varintBytes(u)).readVarint()).toBe(u);
      }
    }
  });

  it("rejects a truncated varint", () => {
    expect(malformedMessage(() => reader(0x80).readVarint())).toMatch(/unexpected end of data inside a varint/);
    expect(malformedMessage(() => reader().readVarint())).toMatch(/unexpected end/);
  });

  it("rejects a varint longer than 10 bytes", () => {
    expect(malformedMessage(() => reader(...Array(10).fill(0xff), 0x01).readVarint())).toMatch(/overflows 64 bits/);
  });

  it("rejects a length that cannot be a JavaScript number", () => {
    expect(malformedMessage(() => new WireReader(varintBytes(2n ** 60n)).readLengthDelimited())).toMatch(/length \d+ is out of range/);
  });
});

describe("tags and fields", () => {
  it("splits a key into field number and wire type", () => {
    expect(reader(0x0a).readTag()).toEqual({ fieldNumber: 1, wireType: 2 });
    expect(new WireReader(tagBytes(17, 2)).readTag()).toEqual({ fieldNumber: 17, wireType: 2 });
    expect(new WireReader(tagBytes(0x1fffffff, 0)).readTag()).toEqual({ fieldNumber: 0x1fffffff, wireType: 0 });
  });

  it("rejects field number 0", () => {
    expect(malformedMessage(() => reader(0x02).readTag())).toMatch(/illegal field number 0/);
  });

  it("rejects field numbers past 2^29-1", () => {
    expect(malformedMessage(() => new WireReader(varintBytes(2n ** 32n)).readTag())).toMatch(/illegal field number/);
  });

  it("bounds a length-delimited field by the data left", () => {
    const r = reader(0x03, 0x61, 0x62, 0x63, 0x05, 0x61);
    expect(r.readLengthDelimited().toString()).toBe("abc");
    expect(malformedMessage(() => r.readLengthDelimited())).toMatch(/length 5 runs past the end of the data \(1 bytes left\)/);
  });

  it("skips every wire type and ends exactly at the end", () => {
    const buf = new ProtoWriter()
      .varint(1, 2n ** 63n)
      .fixed64(2, 7n)
      .string(3, "x")
      .fixed32(4, 9)
      .group(5, (g) => g.varint(1, 1).group(2, (h) => h.string(1, "deep")))
      .finish();
    const r = new WireReader(buf);
    for (let i = 0; i < 5; i++) r.skipField(r.readTag(), 0, 100);
    expect(r.done).toBe(true);
  });

  it("rejects truncated fixed-width values", () => {
    expect(malformedMessage(() => reader(0x01, 0x02).skipField({ fieldNumber: 1, wireType: 5 }, 0, 100))).toMatch(/32-bit/);
    expect(malformedMessage(() => reader(1, 2, 3, 4, 5, 6, 7).skipField({ fieldNumber: 1, wireType: 1 }, 0, 100))).toMatch(/64-bit/);
  });

  it("rejects illegal wire types, stray end-groups and mismatched groups", () => {
    expect(malformedMessage(() => reader().skipField({ fieldNumber: 1, wireType: 6 }, 0, 100))).toMatch(/illegal wire type 6/);
    expect(malformedMessage(() => reader().skipField({ fieldNumber: 1, wireType: 7 }, 0, 100))).toMatch(/illegal wire type 7/);
    expect(malformedMessage(() => reader().skipField({ fieldNumber: 3, wireType: 4 }, 0, 100))).toMatch(/unexpected end-group/);
    const mismatched = Buffer.concat([tagBytes(2, 4)]);
    expect(malformedMessage(() => new WireReader(mismatched).skipField({ fieldNumber: 1, wireType: 3 }, 0, 100))).toMatch(/does not close group 1/);
    expect(malformedMessage(() => new WireReader(Buffer.alloc(0)).skipField({ fieldNumber: 1, wireType: 3 }, 0, 100))).toMatch(/inside group 1/);
  });

  it("bounds group nesting", () => {
    const depth = 101;
    const open = Buffer.concat(Array.from({ length: depth }, () => tagBytes(1, 3)));
    const close = Buffer.concat(Array.from({ length: depth }, () => tagBytes(1, 4)));
    const r = new WireReader(Buffer.concat([open, close]));
    expect(malformedMessage(() => r.skipField(r.readTag(), 0, 100))).toMatch(/maximum depth of 100/);
    const ok = new WireReader(Buffer.concat([open.subarray(0, 100), close.subarray(0, 100)]));
    ok.skipField(ok.readTag(), 0, 100);
    expect(ok.done).toBe(true);
  });
});
