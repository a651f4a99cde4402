/** The integration point: negotiate.ts `decodeBody` hands protobuf bodies to this decoder. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { StatusError } from "../../api/status.js";
import { decodeBody } from "../http/negotiate.js";
import { kubernetesBody } from "./testing/encoder.js";

const PROTOBUF = "application/vnd.kubernetes.protobuf";
const captured = (JSON.parse(readFileSync(new URL("./testdata/kubectl-create.json", import.meta.url), "utf8")) as { requests: { name: string; bodyHex: string; contentType: string }[] }).requests;

function statusOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(StatusError);
    return err as StatusError;
  }
  throw new Error("expected a StatusError");
}

describe("decodeBody with protobuf", () => {
  it("returns the decoded object for kubectl's bodies and content type", () => {
    const req = captured.find((r) => r.name === "configmap")!;
    expect(decodeBody(Buffer.from(req.bodyHex, "hex"), req.contentType)).toEqual({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "a" },
      data: { f: "host-name-file\n", x: "1" },
      binaryData: { bin: "AAH//mJpbmFyeQ==" },
    });
  });

  it("answers a malformed body with 400 BadRequest naming the problem", () => {
    const err = statusOf(() => decodeBody(Buffer.from("k8s\0\x0a\x05v1", "latin1"), PROTOBUF));
    expect(err.code).toBe(400);
    expect(err.reason).toBe("BadRequest");
    expect(err.message).toBe("error decoding the protobuf request body: length 5 runs past the end of the data (2 bytes left)");
  });

  it("answers a JSON body sent with the protobuf type with 400", () => {
    const err = statusOf(() => decodeBody(Buffer.from('{"kind":"ConfigMap"}'), `${PROTOBUF}; charset=utf-8`));
    expect(err.code).toBe(400);
    expect(err.message).toMatch(/does not appear to be a protobuf message/);
  });

  it("answers an empty body with 400", () => {
    expect(statusOf(() => decodeBody(Buffer.alloc(0), PROTOBUF)).code).toBe(400);
  });

  it("answers a kind without a descriptor with 415 UnsupportedMediaType", () => {
    const err = statusOf(() => decodeBody(kubernetesBody("v1", "Pod", () => {}), PROTOBUF));
    expect(err.code).toBe(415);
    expect(err.reason).toBe("UnsupportedMediaType");
    expect(err.toStatus().message).toMatch(/v1, Kind=Pod; send it as application\/json/);
  });

  it("leaves JSON and YAML decoding as it was", () => {
    expect(decodeBody(Buffer.from('{"a":1}'), "application/json")).toEqual({ a: 1 });
    expect(decodeBody(Buffer.from("a: 1\n"), "application/yaml")).toEqual({ a: 1 });
    expect(statusOf(() => decodeBody(Buffer.from("k8s\0"), "application/json")).message).toMatch(/unknown format/);
  });
});
