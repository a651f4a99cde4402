/** The service over TLS, reached by the SDK with the service's certificate as its trust anchor. */
import { describe, it, expect, afterAll } from "vitest";
import { execFileSync } from "node:child_process";
import { Agent } from "node:https";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DescribeFileSystemsCommand, EFSClient } from "@aws-sdk/client-efs";
import { startServiceFixture, type ServiceFixture } from "./testing/service-fixture.js";

const certDir = mkdtempSync(join(tmpdir(), "efs-tls-"));
let f: ServiceFixture | undefined;
afterAll(async () => {
  await f?.cleanup();
  rmSync(certDir, { recursive: true, force: true });
});

describe("TLS", () => {
  it("serves https and the SDK verifies the certificate", async () => {
    const key = join(certDir, "key.pem");
    const cert = join(certDir, "cert.pem");
    execFileSync("openssl", [
      "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
      "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert,
    ], { stdio: "ignore" });
    f = await startServiceFixture({ tls: { cert: readFileSync(cert), key: readFileSync(key) } });
    expect(f.svc.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const client = new EFSClient({
      endpoint: f.svc.url,
      region: f.svc.region,
      credentials: { ...f.svc.credentials },
      maxAttempts: 1,
      requestHandler: { httpsAgent: new Agent({ ca: readFileSync(cert) }) },
    });
    try {
      const res = await client.send(new DescribeFileSystemsCommand({}));
      expect(res.FileSystems!.map((x) => x.FileSystemId)).toContain(f.svc.defaultFileSystemId);
    } finally {
      client.destroy();
    }
    // Without the trust anchor the handshake fails: the certificate is really checked.
    const untrusting = new EFSClient({ endpoint: f.svc.url, region: f.svc.region, credentials: { ...f.svc.credentials }, maxAttempts: 1 });
    await expect(untrusting.send(new DescribeFileSystemsCommand({}))).rejects.toThrow(/self[- ]signed|certificate/i);
    untrusting.destroy();
  });
});
