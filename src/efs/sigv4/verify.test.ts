import { describe, it, expect } from "vitest";
import { SignatureV4 } from "@smithy/signature-v4";
import { HttpRequest } from "@smithy/protocol-http";
import { Sha256 } from "@aws-crypto/sha256-js";
import { verifySigV4, type SigV4Request } from "./verify.js";
import { canonicalPath, canonicalQuery, canonicalRequest, sha256Hex } from "./canonical.js";

// The public aws-sig-v4-test-suite's fixed inputs.
const AKID = "AKIDEXAMPLE";
const SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const WHEN = new Date("2015-08-30T12:36:00Z");
const suiteOpts = {
  service: "service",
  region: "us-east-1",
  lookupSecret: (id: string) => (id === AKID ? SECRET : undefined),
  now: () => WHEN,
};

function suiteRequest(method: string, pathAndQuery: string, signature: string, extra: Record<string, string> = {}, body = ""): SigV4Request {
  const q = pathAndQuery.indexOf("?");
  const headers: Record<string, string[]> = { host: ["example.amazonaws.com"], "x-amz-date": ["20150830T123600Z"] };
  for (const [k, v] of Object.entries(extra)) headers[k] = [v];
  const signed = Object.keys(headers).sort().join(";");
  headers.authorization = [`AWS4-HMAC-SHA256 Credential=${AKID}/20150830/us-east-1/service/aws4_request, SignedHeaders=${signed}, Signature=${signature}`];
  return {
    method,
    rawPath: q < 0 ? pathAndQuery : pathAndQuery.slice(0, q),
    rawQuery: q < 0 ? "" : pathAndQuery.slice(q + 1),
    headers,
    body: Buffer.from(body),
  };
}

describe("SigV4 verification against aws-sig-v4-test-suite vectors", () => {
  const vectors: Array<[string, string, string, string]> = [
    ["get-vanilla", "GET", "/", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"],
    ["get-vanilla-query-order-key-case", "GET", "/?Param2=value2&Param1=value1", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"],
    ["post-vanilla", "POST", "/", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"],
    ["get-utf8", "GET", "/ሴ", "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85"],
  ];
  for (const [name, method, target, sig] of vectors) {
    it(`accepts ${name}`, () => {
      expect(verifySigV4(suiteRequest(method, target, sig), suiteOpts)).toEqual({ ok: true, accessKeyId: AKID });
    });
    it(`rejects ${name} with one signature digit changed`, () => {
      const bad = sig.slice(0, -1) + (sig.endsWith("0") ? "1" : "0");
      const r = verifySigV4(suiteRequest(method, target, bad), suiteOpts);
      expect(r).toMatchObject({ ok: false, kind: "InvalidSignature" });
    });
  }

  it("get-vanilla's canonical request has the suite's hash", () => {
    const c = canonicalRequest({
      method: "GET",
      rawPath: "/",
      rawQuery: "",
      headers: { host: ["example.amazonaws.com"], "x-amz-date": ["20150830T123600Z"] },
      signedHeaders: ["host", "x-amz-date"],
      payloadHash: sha256Hex(""),
    });
    expect(sha256Hex(c)).toBe("bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63");
  });

  it("normalises paths and double-encodes as non-S3 services do", () => {
    expect(canonicalPath("/example/..")).toBe("/");
    expect(canonicalPath("/./")).toBe("/");
    expect(canonicalPath("//example//")).toBe("/example/");
    expect(canonicalPath("/resource-tags/arn%3Aaws%2Ffs-1")).toBe("/resource-tags/arn%253Aaws%252Ffs-1");
    expect(canonicalQuery("b=2&a=%7E1&a=0&A=x")).toBe("A=x&a=0&a=~1&b=2");
  });
});

describe("SigV4 verification of requests signed by @smithy/signature-v4", () => {
  const creds = { accessKeyId: "AKIACISTERNTEST00001", secretAccessKey: "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNl" };
  const now = new Date("2026-01-02T03:04:05Z");
  const opts = {
    service: "elasticfilesystem",
    region: "eu-west-1",
    lookupSecret: (id: string) => (id === creds.accessKeyId ? creds.secretAccessKey : undefined),
    now: () => now,
  };

  async function sign(method: string, path: string, query: Record<string, string | string[]>, body: string, signingDate = now, secret = creds.secretAccessKey, hashHeader = true) {
    const signer = new SignatureV4({
      credentials: { accessKeyId: creds.accessKeyId, secretAccessKey: secret },
      region: "eu-west-1",
      service: "elasticfilesystem",
      sha256: Sha256,
    });
    const req = new HttpRequest({
      method,
      hostname: "127.0.0.1",
      port: 4000,
      path,
      query,
      headers: {
        host: "127.0.0.1:4000",
        "content-type": "application/json",
        ...(hashHeader ? { "x-amz-content-sha256": sha256Hex(body) } : {}),
        "x-amz-user-agent": "aws-sdk-js/3 test",
      },
      body,
    });
    const signed = await signer.sign(req, { signingDate });
    const headers: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(signed.headers)) headers[k.toLowerCase()] = [v];
    const rawQuery = Object.entries(query)
      .flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => `${encodeURIComponent(k)}=${encodeURIComponent(x)}`))
      .join("&");
    return { method, rawPath: path, rawQuery, headers, body: Buffer.from(body) } as SigV4Request;
  }

  it("accepts a POST with a JSON body and an encoded ARN in the path", async () => {
    const req = await sign("POST", "/2015-02-01/resource-tags/arn%3Aaws%3Aelasticfilesystem%3Aeu-west-1%3A123456789012%3Afile-system%2Ffs-0123456789abcdef0", {}, '{"Tags":[]}');
    expect(verifySigV4(req, opts)).toEqual({ ok: true, accessKeyId: creds.accessKeyId });
  });

  it("accepts repeated query keys (UntagResource) and odd characters in values", async () => {
    const req = await sign("DELETE", "/2015-02-01/resource-tags/fs-0123456789abcdef0", { tagKeys: ["b key", "a*(x)"], Marker: "x/y=z" }, "");
    expect(verifySigV4(req, opts)).toMatchObject({ ok: true });
  });

  it("rejects a body changed after signing", async () => {
    const req = await sign("POST", "/2015-02-01/access-points", {}, '{"FileSystemId":"fs-12345678"}');
    req.body = Buffer.from('{"FileSystemId":"fs-87654321"}');
    expect(verifySigV4(req, opts)).toMatchObject({ ok: false, kind: "InvalidSignature", message: expect.stringContaining("x-amz-content-sha256") });
    // Without the hash header the signature itself covers the body.
    const noHashHeader = await sign("POST", "/2015-02-01/access-points", {}, '{"FileSystemId":"fs-12345678"}', now, creds.secretAccessKey, false);
    expect(verifySigV4(noHashHeader, opts)).toMatchObject({ ok: true });
    noHashHeader.body = Buffer.from('{"FileSystemId":"fs-87654321"}');
    expect(verifySigV4(noHashHeader, opts)).toMatchObject({ ok: false, kind: "InvalidSignature", message: expect.stringContaining("does not match") });
  });

  it("rejects a wrong secret, an unknown key and a stale or future date", async () => {
    expect(verifySigV4(await sign("GET", "/2015-02-01/file-systems", {}, "", now, "wrong"), opts)).toMatchObject({ ok: false, kind: "InvalidSignature" });
    const unknown = await sign("GET", "/2015-02-01/file-systems", {}, "");
    expect(verifySigV4(unknown, { ...opts, lookupSecret: () => undefined })).toMatchObject({ ok: false, kind: "UnrecognizedClient" });
    const stale = await sign("GET", "/2015-02-01/file-systems", {}, "", new Date(now.getTime() - 16 * 60 * 1000));
    expect(verifySigV4(stale, opts)).toMatchObject({ ok: false, kind: "InvalidSignature", message: expect.stringMatching(/^Signature expired/) });
    const future = await sign("GET", "/2015-02-01/file-systems", {}, "", new Date(now.getTime() + 16 * 60 * 1000));
    expect(verifySigV4(future, opts)).toMatchObject({ ok: false, message: expect.stringMatching(/not yet current/) });
    const justInside = await sign("GET", "/2015-02-01/file-systems", {}, "", new Date(now.getTime() - 14 * 60 * 1000));
    expect(verifySigV4(justInside, opts)).toMatchObject({ ok: true });
  });

  it("rejects a scope for another region or service", async () => {
    const req = await sign("GET", "/2015-02-01/file-systems", {}, "");
    expect(verifySigV4(req, { ...opts, region: "us-east-1" })).toMatchObject({ ok: false, message: expect.stringContaining("region") });
    expect(verifySigV4(req, { ...opts, service: "s3" })).toMatchObject({ ok: false, message: expect.stringContaining("service") });
  });

  it("requires every x-amz-* header sent to be signed", async () => {
    const req = await sign("GET", "/2015-02-01/file-systems", {}, "");
    req.headers["x-amz-extra"] = ["smuggled"];
    expect(verifySigV4(req, opts)).toMatchObject({ ok: false, kind: "InvalidSignature", message: "'x-amz-extra' must be a signed header." });
  });

  it("tells a missing header apart from a malformed one", async () => {
    const req = await sign("GET", "/2015-02-01/file-systems", {}, "");
    const auth = req.headers.authorization[0];
    delete req.headers.authorization;
    expect(verifySigV4(req, opts)).toMatchObject({ ok: false, kind: "MissingAuthenticationToken" });
    req.headers.authorization = [auth.replace(/, Signature=[0-9a-f]+/, "")];
    expect(verifySigV4(req, opts)).toMatchObject({ ok: false, kind: "IncompleteSignature", message: expect.stringContaining("'Signature'") });
    req.headers.authorization = [auth.replace("AWS4-HMAC-SHA256", "AWS4-HMAC-SHA1")];
    expect(verifySigV4(req, opts)).toMatchObject({ ok: false, kind: "IncompleteSignature" });
    req.headers.authorization = [`${auth}, Signature=${"0".repeat(64)}`];
    expect(verifySigV4(req, opts)).toMatchObject({ ok: false, kind: "IncompleteSignature", message: expect.stringContaining("duplicate") });
  });
});
