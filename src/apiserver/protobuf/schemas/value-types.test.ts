import { describe, expect, it } from "vitest";
import { decodeMessage } from "../decode-message.js";
import { field, message } from "../descriptor.js";
import { ProtobufDecodeError } from "../errors.js";
import { build, ProtoWriter } from "../testing/encoder.js";
import { FieldsV1, IntOrString, Quantity, Time } from "./value-types.js";

const Holder = message("Holder", {
  1: field("time", Time),
  2: field("quantity", Quantity),
  3: field("port", IntOrString),
  4: field("fields", FieldsV1),
  5: field("maybePort", IntOrString, { nullable: true }),
});

const decode = (body: (w: ProtoWriter) => void) => decodeMessage(build(body), Holder, 1) as Record<string, unknown>;

function malformedMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ProtobufDecodeError);
    return (err as Error).message;
  }
  throw new Error("expected a ProtobufDecodeError");
}

describe("metav1.Time", () => {
  it("prints RFC 3339 in UTC with second precision, dropping nanos as upstream does", () => {
    expect(decode((w) => w.message(1, (t) => t.varint(1, 1700000000).varint(2, 999_999_999))).time).toBe("2023-11-14T22:13:20Z");
    expect(decode((w) => w.message(1, (t) => t.varint(1, 0).varint(2, 0))).time).toBe("1970-01-01T00:00:00Z");
    expect(decode((w) => w.message(1, (t) => t.varint(1, -1))).time).toBe("1969-12-31T23:59:59Z");
    expect(decode((w) => w.message(1, (t) => t.varint(1, 253402300799))).time).toBe("9999-12-31T23:59:59Z");
    expect(decode((w) => w.message(1, (t) => t.varint(1, -62135596799))).time).toBe("0001-01-01T00:00:01Z");
  });

  it("leaves the zero time out (JSON null): an empty message or 0001-01-01T00:00:00Z", () => {
    expect(decode((w) => w.message(1, Buffer.alloc(0)))).not.toHaveProperty("time");
    expect(decode((w) => w.message(1, (t) => t.varint(1, -62135596800)))).not.toHaveProperty("time");
  });

  it("refuses seconds outside years 0001-9999", () => {
    expect(malformedMessage(() => decode((w) => w.message(1, (t) => t.varint(1, 253402300800))))).toMatch(/outside years 0001-9999/);
    expect(malformedMessage(() => decode((w) => w.message(1, (t) => t.varint(1, -62135596801))))).toMatch(/outside years/);
  });
});

describe("resource.Quantity", () => {
  it("is its string; an unset string is the zero quantity", () => {
    expect(decode((w) => w.message(2, (q) => q.string(1, "5Gi"))).quantity).toBe("5Gi");
    expect(decode((w) => w.message(2, Buffer.alloc(0))).quantity).toBe("0");
  });
});

describe("intstr.IntOrString", () => {
  it("is a number for type 0 and a string for type 1", () => {
    expect(decode((w) => w.message(3, (v) => v.varint(1, 0).varint(2, 8080).string(3, ""))).port).toBe(8080);
    expect(decode((w) => w.message(3, (v) => v.varint(1, 1).varint(2, 0).string(3, "http"))).port).toBe("http");
  });

  it("keeps an explicit zero when the field is a pointer, drops it otherwise", () => {
    expect(decode((w) => w.message(5, (v) => v.varint(1, 0).varint(2, 0))).maybePort).toBe(0);
    expect(decode((w) => w.message(3, (v) => v.varint(1, 0).varint(2, 0)))).not.toHaveProperty("port");
  });

  it("refuses any other type", () => {
    expect(malformedMessage(() => decode((w) => w.message(3, (v) => v.varint(1, 2))))).toMatch(/impossible type 2/);
  });
});

describe("metav1.FieldsV1", () => {
  it("is its raw JSON, parsed", () => {
    const raw = '{"f:data":{".":{},"f:x":{}},"f:metadata":{"f:labels":{"f:app":{}}}}';
    expect(decode((w) => w.message(4, (f) => f.string(1, raw))).fields).toEqual(JSON.parse(raw));
  });

  it("is left out when it holds nothing", () => {
    expect(decode((w) => w.message(4, Buffer.alloc(0)))).not.toHaveProperty("fields");
    expect(decode((w) => w.message(4, (f) => f.bytes(1, Buffer.alloc(0))))).not.toHaveProperty("fields");
  });

  it("refuses invalid JSON", () => {
    expect(malformedMessage(() => decode((w) => w.message(4, (f) => f.string(1, "{nope"))))).toMatch(/FieldsV1\.Raw holds invalid JSON/);
  });

  it("counts the JSON's nesting towards the depth limit", () => {
    const deep = "[".repeat(120) + "]".repeat(120);
    expect(malformedMessage(() => decode((w) => w.message(4, (f) => f.string(1, deep))))).toMatch(/maximum depth of 100/);
    const ok = "[".repeat(90) + "]".repeat(90);
    expect(decode((w) => w.message(4, (f) => f.string(1, ok))).fields).toBeInstanceOf(Array);
  });

  it("does not count brackets inside strings", () => {
    const raw = JSON.stringify({ ["k:" + "[{".repeat(150)]: { '"\\': "]]" } });
    expect(decode((w) => w.message(4, (f) => f.string(1, raw))).fields).toEqual(JSON.parse(raw));
  });

  it("survives JSON nested far beyond the limit without exhausting the stack", () => {
    const huge = "[".repeat(1_000_000) + "]".repeat(1_000_000);
    expect(malformedMessage(() => decode((w) => w.message(4, (f) => f.string(1, huge))))).toMatch(/depth|invalid JSON/);
  });
});
