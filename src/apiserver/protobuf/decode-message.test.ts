import { describe, expect, it } from "vitest";
import { decodeMessage, MAX_DEPTH } from "./decode-message.js";
import { field, mapOf, message, repeated } from "./descriptor.js";
import { ProtobufDecodeError } from "./errors.js";
import { build, ProtoWriter, tagBytes, varintBytes } from "./testing/encoder.js";

const Inner = message("Inner", {
  1: field("a", "string"),
  2: field("b", "int32"),
});

const Sample = message("Sample", {
  1: field("name", "string"),
  2: field("count", "int64"),
  3: field("flag", "bool"),
  4: field("maybe", "bool", { nullable: true }),
  5: field("must", "string", { required: true }),
  6: field("inner", Inner),
  7: repeated("items", "string"),
  8: repeated("inners", Inner),
  9: mapOf("labels", "string"),
  10: mapOf("blobs", "bytes"),
  11: field("small", "int32"),
  12: field("raw", "bytes"),
  13: mapOf("nested", Inner),
});

const decode = (body: (w: ProtoWriter) => void) => decodeMessage(build(body), Sample, 1) as Record<string, unknown>;

function malformedMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ProtobufDecodeError);
    return (err as Error).message;
  }
  throw new Error("expected a ProtobufDecodeError");
}

describe("field values", () => {
  it("decodes each scalar kind to its JSON form", () => {
    expect(decode((w) => w.string(1, "héllo").varint(2, 1234567890123).varint(3, true).varint(11, -5).bytes(12, Buffer.from([0, 255, 1])))).toEqual({
      name: "héllo",
      count: 1234567890123,
      flag: true,
      small: -5,
      raw: "AP8B",
      must: "",
    });
  });

  it("reads negative int64 and int32 from their 10-byte two's complement varints", () => {
    expect(decode((w) => w.varint(2, -42).varint(11, -2147483648))).toMatchObject({ count: -42, small: -2147483648 });
  });

  it("truncates an int32 varint to its low 32 bits, as Go does", () => {
    expect(decode((w) => w.varint(11, 2n ** 32n + 7n)).small).toBe(7);
  });

  it("treats any non-zero varint as true", () => {
    expect(decode((w) => w.varint(3, 2)).flag).toBe(true);
  });

  it("refuses an int64 JSON cannot hold exactly", () => {
    expect(malformedMessage(() => decode((w) => w.varint(2, 2n ** 53n + 1n)))).toMatch(/Sample\.count: integer 9007199254740993 does not fit a JSON number/);
    expect(decode((w) => w.varint(2, Number.MAX_SAFE_INTEGER)).count).toBe(Number.MAX_SAFE_INTEGER);
  });

  it("leaves zero values of omitempty fields out, keeps explicit zero pointers, fills required strings", () => {
    expect(decode((w) => w.string(1, "").varint(2, 0).varint(3, false).varint(4, false))).toEqual({ maybe: false, must: "" });
    expect(decode((w) => w.string(5, "x")).must).toBe("x");
  });

  it("keeps empty nested messages (Go marshals non-pointer structs as {})", () => {
    expect(decode((w) => w.message(6, Buffer.alloc(0))).inner).toEqual({});
  });

  it("keeps empty strings inside lists and as map values", () => {
    expect(decode((w) => w.string(7, "").string(7, "x").mapEntry(9, "k", ""))).toMatchObject({ items: ["", "x"], labels: { k: "" } });
  });
});

describe("repetition and merging", () => {
  it("lets the last occurrence of a singular scalar win, even when it is zero", () => {
    expect(decode((w) => w.string(1, "a").string(1, "b")).name).toBe("b");
    expect(decode((w) => w.string(1, "a").string(1, "")).name).toBeUndefined();
  });

  it("merges repeated occurrences of a singular message", () => {
    expect(decode((w) => w.message(6, (m) => m.string(1, "x")).message(6, (m) => m.varint(2, 3))).inner).toEqual({ a: "x", b: 3 });
  });

  it("appends list elements in order", () => {
    const out = decode((w) => w.message(8, (m) => m.string(1, "1")).string(7, "a").message(8, (m) => m.varint(2, 2)).string(7, "b"));
    expect(out.items).toEqual(["a", "b"]);
    expect(out.inners).toEqual([{ a: "1" }, { b: 2 }]);
  });

  it("collects map entries, the last duplicate key winning", () => {
    const out = decode((w) => w.mapEntry(9, "a", "1").mapEntry(9, "b", "2").mapEntry(9, "a", "3").mapEntry(10, "bin", Buffer.from("hi")));
    expect(out.labels).toEqual({ a: "3", b: "2" });
    expect(out.blobs).toEqual({ bin: "aGk=" });
  });

  it("gives map entries without key or value Go's zero values", () => {
    const out = decode((w) => w.message(9, (e) => e.string(2, "v")).message(10, (e) => e.string(1, "k")).message(13, (e) => e.string(1, "m")));
    expect(out.labels).toEqual({ "": "v" });
    expect(out.blobs).toEqual({ k: "" });
    expect(out.nested).toEqual({ m: {} });
  });

  it("decodes message-valued map entries", () => {
    expect(decode((w) => w.mapEntry(13, "k", (v) => v.string(1, "x"))).nested).toEqual({ k: { a: "x" } });
  });

  it("keeps a __proto__ map key as plain data", () => {
    const out = decode((w) => w.mapEntry(9, "__proto__", "polluted").mapEntry(9, "constructor", "c"));
    const labels = out.labels as Record<string, unknown>;
    expect(Object.getPrototypeOf(labels)).toBe(Object.prototype);
    expect(Object.keys(labels)).toEqual(["__proto__", "constructor"]);
    expect(JSON.parse(JSON.stringify(labels))).toEqual(JSON.parse('{"__proto__":"polluted","constructor":"c"}'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("unknown and malformed input", () => {
  it("skips unknown fields of every wire type, at top level, in nested messages and map entries", () => {
    const out = decode((w) =>
      w
        .varint(99, 5)
        .fixed32(100, 1)
        .fixed64(101, 2n)
        .string(102, "ignored")
        .group(103, (g) => g.string(1, "x"))
        .string(1, "kept")
        .message(6, (m) => m.varint(50, 1).string(1, "inner"))
        .message(9, (e) => e.string(1, "k").fixed32(3, 0).string(2, "v")),
    );
    expect(out).toEqual({ name: "kept", must: "", inner: { a: "inner" }, labels: { k: "v" } });
  });

  it("rejects a known field with the wrong wire type", () => {
    expect(malformedMessage(() => decode((w) => w.varint(1, 3)))).toMatch(/Sample\.name \(field 1\) has wire type 0, expected 2/);
    expect(malformedMessage(() => decode((w) => w.string(2, "3")))).toMatch(/Sample\.count \(field 2\) has wire type 2, expected 0/);
    expect(malformedMessage(() => decode((w) => w.varint(6, 1)))).toMatch(/Sample\.inner/);
    expect(malformedMessage(() => decode((w) => w.varint(9, 1)))).toMatch(/Sample\.labels/);
    expect(malformedMessage(() => decode((w) => w.message(9, (e) => e.varint(1, 1))))).toMatch(/Sample\.labels key/);
  });

  it("rejects a nested length running past its parent", () => {
    // Field 6 claims 5 bytes but its parent holds only 2.
    const buf = Buffer.concat([tagBytes(6, 2), varintBytes(5), Buffer.from([0x0a, 0x00])]);
    expect(malformedMessage(() => decodeMessage(buf, Sample, 1))).toMatch(/runs past the end/);
  });

  it("rejects a nested message whose inner length overruns the nested slice", () => {
    const inner = Buffer.concat([tagBytes(1, 2), varintBytes(9), Buffer.from("ab")]);
    const buf = Buffer.concat([tagBytes(6, 2), varintBytes(inner.length), inner, new ProtoWriter().string(1, "after-the-inner-message").finish()]);
    expect(malformedMessage(() => decodeMessage(buf, Sample, 1))).toMatch(/length 9 runs past the end of the data \(2 bytes left\)/);
  });

  it("bounds message nesting", () => {
    const Node = message("Node", {});
    (Node.fields as Map<number, ReturnType<typeof field>>).set(1, field("child", Node));
    let buf: Buffer = Buffer.alloc(0);
    for (let i = 0; i < MAX_DEPTH; i++) buf = new ProtoWriter().message(1, buf).finish();
    expect(malformedMessage(() => decodeMessage(buf, Node, 1))).toMatch(/maximum depth of 100/);
    let shallow: Buffer = Buffer.alloc(0);
    for (let i = 0; i < MAX_DEPTH - 1; i++) shallow = new ProtoWriter().message(1, shallow).finish();
    expect(decodeMessage(shallow, Node, 1)).toBeTypeOf("object");
  });
});
