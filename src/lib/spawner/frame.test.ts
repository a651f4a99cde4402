import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FrameDecoder, FrameError, decodeFields, encodeFrame } from "./frame.js";

const fieldsArb = fc.array(fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)), { maxLength: 12 });

describe("spawner frames", () => {
  it("encodes little-endian lengths, fields in order", () => {
    expect(encodeFrame(["1", Buffer.from([0, 255])]).toString("hex")).toBe("0b000000" + "01000000" + "31" + "02000000" + "00ff");
  });

  it("round-trips any fields however the stream is cut", () => {
    fc.assert(
      fc.property(fc.array(fieldsArb, { minLength: 1, maxLength: 5 }), fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1 }), (frames, cuts) => {
        const stream = Buffer.concat(frames.map(encodeFrame));
        const dec = new FrameDecoder();
        const got: Buffer[][] = [];
        let at = 0;
        for (let i = 0; at < stream.length; i++) {
          const n = cuts[i % cuts.length];
          got.push(...dec.push(stream.subarray(at, at + n)));
          at += n;
        }
        expect(got.map((f) => f.map((b) => b.toString("hex")))).toEqual(frames.map((f) => f.map((b) => b.toString("hex"))));
      }),
    );
  });

  it("refuses a field running past its frame, a truncated length and an oversized frame", () => {
    expect(() => decodeFields(Buffer.from("05000000abc", "latin1"))).toThrow(FrameError);
    expect(() => decodeFields(Buffer.from([1, 0]))).toThrow(/truncated/);
    const dec = new FrameDecoder(100);
    const big = Buffer.alloc(4);
    big.writeUInt32LE(101);
    expect(() => dec.push(big)).toThrow(/exceeds 100/);
  });

  it("never returns a field that was not inside its frame (arbitrary bytes)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const body = Buffer.from(bytes);
        try {
          const fields = decodeFields(body);
          expect(fields.reduce((n, f) => n + 4 + f.length, 0)).toBe(body.length);
        } catch (e) {
          expect(e).toBeInstanceOf(FrameError);
        }
      }),
    );
  });
});
