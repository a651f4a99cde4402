/** Authentication: every request is SigV4-signed with the service's credentials; failures are AWS's 403s. */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { DescribeFileSystemsCommand, EFSClient } from "@aws-sdk/client-efs";
import { startServiceFixture, clientFor, type ServiceFixture } from "./testing/service-fixture.js";

let f: ServiceFixture;
beforeAll(async () => {
  f = await startServiceFixture();
});
afterAll(async () => {
  await f.cleanup();
});

async function failure(client: EFSClient): Promise<any> {
  try {
    await client.send(new DescribeFileSystemsCommand({}));
  } catch (e) {
    return e;
  } finally {
    client.destroy();
  }
  throw new Error("expected the call to fail");
}

describe("SigV4 at the service edge", () => {
  it("accepts the service's own credentials", async () => {
    const res = await f.client.send(new DescribeFileSystemsCommand({}));
    expect(res.$metadata.httpStatusCode).toBe(200);
    expect(f.svc.credentials.accessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
  });

  it("rejects a wrong secret with InvalidSignatureException", async () => {
    const e = await failure(clientFor(f.svc, { credentials: { ...f.svc.credentials, secretAccessKey: "not-the-secret-at-all" } }));
    expect(e.name).toBe("InvalidSignatureException");
    expect(e.$metadata.httpStatusCode).toBe(403);
    expect(e.message).toMatch(/signature we calculated does not match/);
  });

  it("rejects an unknown access key and any session token with UnrecognizedClientException", async () => {
    const unknown = await failure(clientFor(f.svc, { credentials: { accessKeyId: "AKIAUNKNOWNUNKNOWN00", secretAccessKey: "x".repeat(40) } }));
    expect([unknown.name, unknown.$metadata.httpStatusCode]).toEqual(["UnrecognizedClientException", 403]);
    const session = await failure(clientFor(f.svc, { credentials: { ...f.svc.credentials, sessionToken: "FwoGZXIvYXdzE" } }));
    expect(session.name).toBe("UnrecognizedClientException");
  });

  it("rejects a request signed for another region", async () => {
    const e = await failure(clientFor(f.svc, { region: "eu-west-1" }));
    expect([e.name, e.$metadata.httpStatusCode]).toEqual(["InvalidSignatureException", 403]);
    expect(e.message).toMatch(/region/);
  });

  it("rejects a stale date as expired; the SDK's clock-skew correction then recovers on retry", async () => {
    const e = await failure(clientFor(f.svc, { systemClockOffset: -20 * 60 * 1000 }));
    expect([e.name, e.$metadata.httpStatusCode]).toEqual(["InvalidSignatureException", 403]);
    expect(e.message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than/);
    const retrying = clientFor(f.svc, { systemClockOffset: -20 * 60 * 1000, maxAttempts: 3 });
    const ok = await retrying.send(new DescribeFileSystemsCommand({}));
    retrying.destroy();
    expect(ok.$metadata.httpStatusCode).toBe(200);
    expect(ok.$metadata.attempts).toBe(2);
  });

  it("rejects an unsigned request and a tampered body", async () => {
    const res = await fetch(`${f.svc.url}/2015-02-01/file-systems`);
    expect(res.status).toBe(403);
    expect(res.headers.get("x-amzn-errortype")).toBe("MissingAuthenticationTokenException");
    expect(await res.json()).toEqual({ ErrorCode: "MissingAuthenticationTokenException", Message: "Missing Authentication Token" });
    const wrong = await f.signedFetch("GET", "/2015-02-01/file-systems", undefined, "wrong-secret");
    expect([wrong.status, wrong.json.ErrorCode]).toEqual([403, "InvalidSignatureException"]);
    const garbled = await fetch(`${f.svc.url}/2015-02-01/file-systems`, { headers: { authorization: "AWS4-HMAC-SHA256 Credential=x" } });
    expect([garbled.status, garbled.headers.get("x-amzn-errortype")]).toEqual([403, "IncompleteSignatureException"]);
  });

  it("answers through the socket-less dispatcher the same way", async () => {
    const res = await f.svc.dispatch({ method: "GET", rawPath: "/2015-02-01/file-systems", rawQuery: "", query: new URLSearchParams(), headers: {}, body: Buffer.alloc(0) });
    expect(res.status).toBe(403);
    expect(res.headers["x-amzn-errortype"]).toBe("MissingAuthenticationTokenException");
    expect(res.headers["x-amzn-requestid"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(res.body)).toMatchObject({ ErrorCode: "MissingAuthenticationTokenException" });
  });

  it("guards /metrics with SigV4 when no authorizer is configured", async () => {
    expect((await fetch(`${f.svc.url}/metrics`)).status).toBe(403);
    const signed = await f.signedFetch("GET", "/metrics");
    expect(signed.status).toBe(200);
    expect(signed.text).toContain("efs_storage_bytes");
  });
});

describe("metrics authorizer", () => {
  it("decides /metrics alone, and only /metrics", async () => {
    const g = await startServiceFixture({ metricsAuthorizer: (req) => req.headers.authorization === "Bearer scrape-token" });
    try {
      const ok = await fetch(`${g.svc.url}/metrics`, { headers: { authorization: "Bearer scrape-token" } });
      expect(ok.status).toBe(200);
      expect(ok.headers.get("content-type")).toMatch(/^text\/plain/);
      const denied = await fetch(`${g.svc.url}/metrics`, { headers: { authorization: "Bearer nope" } });
      expect([denied.status, denied.headers.get("x-amzn-errortype")]).toEqual([403, "AccessDeniedException"]);
      const api = await fetch(`${g.svc.url}/2015-02-01/file-systems`, { headers: { authorization: "Bearer scrape-token" } });
      expect(api.status).toBe(403);
    } finally {
      await g.cleanup();
    }
  });
});
