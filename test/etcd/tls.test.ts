/** The etcd backend over TLS with client certificates, as the etcds:// URL and its parameters say. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openBackend, type Backend } from "../../src/store/index.js";
import { eventually, freeBasePort } from "./support.js";
import { startTlsEtcd, type TlsEtcd } from "./tls-support.js";

let etcd: TlsEtcd;
const opened: Backend[] = [];

beforeAll(async () => {
  etcd = await startTlsEtcd(await freeBasePort(1));
});
afterAll(async () => {
  for (const b of opened) await b.close();
  await etcd?.stop();
});

describe("etcd backend over TLS", () => {
  it("connects with the CA and a client certificate from the URL, and serves reads, writes and watches", async () => {
    const url = `etcds://${etcd.endpoint}?prefix=/tls&cacert=${encodeURIComponent(etcd.caFile)}&cert=${encodeURIComponent(etcd.certFile)}&key=${encodeURIComponent(etcd.keyFile)}`;
    let b: Backend | undefined;
    await eventually("the TLS member to serve", async () => {
      b = await openBackend(url).catch(() => undefined);
      return b !== undefined;
    });
    if (!b) throw new Error("unreachable");
    opened.push(b);
    expect(b.name).toBe(`etcds://${etcd.endpoint}?prefix=/tls`);
    const start = await b.currentRevision();
    const seen: number[] = [];
    const h = b.watch({ prefix: "/", afterRevision: start, onEvents: (e) => seen.push(...e.map((x) => x.revision)), onError: () => undefined });
    const kv = await b.create("/secure", new TextEncoder().encode("yes"));
    expect((await b.get("/secure")).kv?.modRevision).toBe(kv.modRevision);
    await eventually("the watch event", () => seen.length === 1);
    h.cancel();
    expect(seen).toEqual([kv.modRevision]);
  });

  it("fails fast, naming the endpoint, without a client certificate or without TLS", async () => {
    await expect(openBackend(`etcds://${etcd.endpoint}?cacert=${encodeURIComponent(etcd.caFile)}&dial-timeout=1500`)).rejects.toThrow(
      new RegExp(`no endpoint of ${etcd.endpoint.replace(/\./g, "\\.")} answered within 1500 ms`),
    );
    await expect(openBackend(`etcd://${etcd.endpoint}?dial-timeout=1500`)).rejects.toThrow(/answered within 1500 ms/);
    await expect(openBackend(`etcds://${etcd.endpoint}?cacert=/nonexistent/ca.pem`)).rejects.toThrow(/cacert file \/nonexistent\/ca.pem/);
  });
});
