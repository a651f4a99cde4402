/** Test support: a running service on a free port, an SDK client for it, and a SigV4-signing fetch. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EFSClient } from "@aws-sdk/client-efs";
import { SignatureV4 } from "@smithy/signature-v4";
import { HttpRequest } from "@smithy/protocol-http";
import { Sha256 } from "@aws-crypto/sha256-js";
import { createLogger } from "../../lib/log.js";
import { startEfsService, type EfsService, type EfsServiceOptions } from "../service.js";

export interface ServiceFixture {
  dir: string;
  svc: EfsService;
  client: EFSClient;
  /** Sends a request signed with the service's credentials (or `secret` instead of its secret). */
  signedFetch(method: string, pathAndQuery: string, body?: unknown, secret?: string): Promise<{ status: number; headers: Headers; json: any; text: string }>;
  restart(overrides?: Partial<EfsServiceOptions>): Promise<void>;
  cleanup(): Promise<void>;
}

export async function startServiceFixture(overrides: Partial<EfsServiceOptions> = {}): Promise<ServiceFixture> {
  const dir = mkdtempSync(join(tmpdir(), "efs-svc-"));
  const options = (): EfsServiceOptions => ({
    dataDir: join(dir, "data"),
    host: "127.0.0.1",
    port: 0,
    region: "us-east-1",
    accountId: "123456789012",
    log: createLogger("efs-test"),
    meteringIntervalMs: 60_000,
    ...overrides,
  });
  const fixture: ServiceFixture = {
    dir,
    svc: await startEfsService(options()),
    client: undefined as unknown as EFSClient,
    async signedFetch(method, pathAndQuery, body, secret) {
      const url = new URL(pathAndQuery, fixture.svc.url);
      const text = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
      const query: Record<string, string | string[]> = {};
      for (const [k, v] of url.searchParams) query[k] = k in query ? [...[query[k]].flat(), v] : v;
      const signer = new SignatureV4({
        credentials: { accessKeyId: fixture.svc.credentials.accessKeyId, secretAccessKey: secret ?? fixture.svc.credentials.secretAccessKey },
        region: fixture.svc.region,
        service: "elasticfilesystem",
        sha256: Sha256,
      });
      const signed = await signer.sign(
        new HttpRequest({
          method,
          hostname: url.hostname,
          port: Number(url.port),
          path: url.pathname,
          query,
          headers: { host: url.host, ...(text !== undefined ? { "content-type": "application/json" } : {}) },
          body: text,
        }),
      );
      const res = await fetch(url, { method, headers: signed.headers as Record<string, string>, body: text });
      const raw = await res.text();
      let json: unknown;
      try {
        json = raw ? JSON.parse(raw) : undefined;
      } catch {
        json = undefined;
      }
      return { status: res.status, headers: res.headers, json, text: raw };
    },
    async restart(more = {}) {
      await fixture.svc.close();
      fixture.client.destroy();
      fixture.svc = await startEfsService({ ...options(), ...more });
      fixture.client = clientFor(fixture.svc);
    },
    async cleanup() {
      fixture.client.destroy();
      await fixture.svc.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  fixture.client = clientFor(fixture.svc);
  return fixture;
}

export function clientFor(svc: EfsService, extra: Partial<ConstructorParameters<typeof EFSClient>[0]> = {}): EFSClient {
  // A copy: the SDK annotates the credentials object it is given.
  return new EFSClient({ endpoint: svc.url, region: svc.region, credentials: { ...svc.credentials }, maxAttempts: 1, ...extra });
}
