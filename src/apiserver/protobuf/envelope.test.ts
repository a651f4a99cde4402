import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { decodeKubernetesProtobuf, isProtobufContentType, MAX_MESSAGE_BYTES, ProtobufDecodeError } from "./index.js";
import { kubernetesBody, ProtoWriter } from "./testing/encoder.js";

const MAGIC = Buffer.from("k8s\0", "latin1");
const withMagic = (w: ProtoWriter) => Buffer.concat([MAGIC, w.finish()]);
const captured = (JSON.parse(readFileSync(new URL("./testdata/kubectl-create.json", import.meta.url), "utf8")) as { requests: { name: string; bodyHex: string }[] }).requests;
const configMapBody = Buffer.from(captured.find((r) => r.name === "configmap")!.bodyHex, "hex");

function decodeError(body: Buffer): ProtobufDecodeError {
  try {
    decodeKubernetesProtobuf(body);
  } catch (err) {
    expect(err).toBeInstanceOf(ProtobufDecodeError);
    return err as ProtobufDecodeError;
  }
  throw new Error("expected a ProtobufDecodeError");
}

describe("isProtobufContentType", () => {
  it("matches the Kubernetes protobuf media type with parameters and any case", () => {
    expect(isProtobufContentType("application/vnd.kubernetes.protobuf")).toBe(true);
    expect(isProtobufContentType("Application/VND.Kubernetes.Protobuf; charset=binary")).toBe(true);
    expect(isProtobufContentType(" application/vnd.kubernetes.protobuf ;x=y")).toBe(true);
  });

  it("does not match JSON, YAML, other protobuf types or nothing", () => {
    for (const ct of [undefined, "", "application/json", "application/yaml", "application/com.github.proto-openapi.spec.v2@v1.0+protobuf", "application/vnd.kubernetes.protobuf+json"]) {
      expect(isProtobufContentType(ct)).toBe(false);
    }
  });
});

describe("the envelope", () => {
  it("puts apiVersion and kind on the object and returns them", () => {
    const out = decodeKubernetesProtobuf(kubernetesBody("v1", "ConfigMap", (w) => w.message(1, (m) => m.string(1, "a"))));
    expect(out).toEqual({ apiVersion: "v1", kind: "ConfigMap", object: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a" } } });
    expect(Object.keys(out.object).slice(0, 2)).toEqual(["apiVersion", "kind"]);
  });

  it("accepts an envelope without raw bytes as an empty object", () => {
    expect(decodeKubernetesProtobuf(withMagic(new ProtoWriter().message(1, (t) => t.string(1, "v1").string(2, "Namespace")))).object).toEqual({ apiVersion: "v1", kind: "Namespace" });
  });

  it("skips unknown envelope fields and ignores contentType, as upstream does", () => {
    const body = withMagic(
      new ProtoWriter()
        .varint(9, 1)
        .message(1, (t) => t.string(1, "v1").fixed32(7, 0).string(2, "Secret"))
        .message(2, (o) => o.string(3, "Opaque"))
        .string(4, "application/json")
        .string(10, "x"),
    );
    expect(decodeKubernetesProtobuf(body).object).toEqual({ apiVersion: "v1", kind: "Secret", type: "Opaque" });
  });

  it("rejects a body without the k8s\\0 prefix", () => {
    for (const body of [Buffer.from('{"kind":"ConfigMap"}'), Buffer.from("k8s"), Buffer.alloc(0), Buffer.from("k8s\x01abc", "latin1")]) {
      const err = decodeError(body);
      expect(err.reason).toBe("Malformed");
      expect(err.message).toBe("provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]");
    }
  });

  it("rejects a prefix with nothing after it", () => {
    expect(decodeError(MAGIC).message).toBe("empty body");
  });

  it("rejects bodies over 3 MiB before reading them", () => {
    const body = Buffer.concat([MAGIC, Buffer.alloc(MAX_MESSAGE_BYTES)]);
    expect(decodeError(body).message).toMatch(/over the limit of 3145728/);
    expect(MAX_MESSAGE_BYTES).toBe(3 * 1024 * 1024);
  });

  it("accepts a body of exactly 3 MiB", () => {
    const big = "x".repeat(MAX_MESSAGE_BYTES - 100);
    const body = kubernetesBody("v1", "ConfigMap", (w) => w.mapEntry(2, "big", big));
    const padded = Buffer.concat([body, new ProtoWriter().string(99, "p".repeat(MAX_MESSAGE_BYTES - body.length - 4)).finish()]);
    expect(padded.length).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    expect((decodeKubernetesProtobuf(padded).object.data as Record<string, string>).big.length).toBe(big.length);
  });

  it("requires kind and apiVersion", () => {
    expect(decodeError(kubernetesBody("v1", "", () => {})).message).toMatch(/'Kind' is missing/);
    expect(decodeError(kubernetesBody("", "ConfigMap", () => {})).message).toMatch(/'apiVersion' is missing/);
  });

  it("refuses an encoded payload it cannot undo", () => {
    const body = withMagic(new ProtoWriter().message(1, (t) => t.string(1, "v1").string(2, "ConfigMap")).string(3, "gzip"));
    expect(decodeError(body).message).toMatch(/unsupported contentEncoding "gzip"/);
  });

  it("reports kinds without a descriptor as UnsupportedKind, naming what is accepted", () => {
    const err = decodeError(kubernetesBody("v1", "Pod", () => {}));
    expect(err.reason).toBe("UnsupportedKind");
    expect(err.message).toMatch(/no protobuf decoding for v1, Kind=Pod; send it as application\/json/);
    expect(err.message).toContain("rbac.authorization.k8s.io/v1, Kind=ClusterRoleBinding");
    expect(decodeError(kubernetesBody("v2", "ConfigMap", () => {})).reason).toBe("UnsupportedKind");
  });

  it("rejects envelope fields with the wrong wire type", () => {
    expect(decodeError(withMagic(new ProtoWriter().varint(1, 1))).message).toMatch(/Unknown\.typeMeta has wire type 0/);
    expect(decodeError(withMagic(new ProtoWriter().message(1, (t) => t.varint(2, 1)))).message).toMatch(/TypeMeta\.kind has wire type 0/);
    expect(decodeError(withMagic(new ProtoWriter().varint(2, 1))).message).toMatch(/Unknown\.raw/);
  });

  it("fails every truncation of a real kubectl body with the typed error or decodes a prefix", () => {
    let failures = 0;
    for (let len = 0; len < configMapBody.length; len++) {
      try {
        decodeKubernetesProtobuf(configMapBody.subarray(0, len));
      } catch (err) {
        expect(err).toBeInstanceOf(ProtobufDecodeError);
        failures++;
      }
    }
    // Only the three cuts between envelope fields (after typeMeta, raw, contentEncoding) parse.
    expect(failures).toBe(configMapBody.length - 3);
  });
});
