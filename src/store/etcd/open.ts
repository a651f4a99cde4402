/** Opening the etcd backend from a store URL: parse, read the TLS files, connect (fail fast). */
import { readFile, stat } from "node:fs/promises";
import { resolve } from "node:path";
import type { EtcdTls } from "./client.js";
import { EtcdBackend, type EtcdBackendOptions } from "./etcd-backend.js";
import { parseEtcdUrl } from "./url.js";

const MAX_PEM_BYTES = 1024 * 1024;

export async function openEtcdBackend(url: string, overrides: Partial<EtcdBackendOptions> = {}): Promise<EtcdBackend> {
  const parsed = parseEtcdUrl(url);
  let tls: EtcdTls | undefined;
  if (parsed.tls) {
    tls = {
      ca: parsed.caFile === undefined ? undefined : await readPem(parsed.caFile, "cacert"),
      cert: parsed.certFile === undefined ? undefined : await readPem(parsed.certFile, "cert"),
      key: parsed.keyFile === undefined ? undefined : await readPem(parsed.keyFile, "key"),
    };
  }
  return EtcdBackend.open({
    endpoints: parsed.endpoints,
    prefix: parsed.prefix,
    tls,
    dialTimeoutMs: parsed.dialTimeoutMs,
    requestTimeoutMs: parsed.requestTimeoutMs,
    ...overrides,
  });
}

/** Reads a PEM file named in the URL: a regular file of sane size, relative to the working directory. */
async function readPem(path: string, what: string): Promise<Buffer> {
  const abs = resolve(path);
  const st = await stat(abs).catch((err: Error) => {
    throw new Error(`etcd store: ${what} file ${abs}: ${err.message}`);
  });
  if (!st.isFile()) throw new Error(`etcd store: ${what} file ${abs} is not a regular file`);
  if (st.size > MAX_PEM_BYTES) throw new Error(`etcd store: ${what} file ${abs} is larger than 1 MiB`);
  const pem = await readFile(abs);
  if (!pem.includes("-----BEGIN ")) throw new Error(`etcd store: ${what} file ${abs} is not PEM`);
  return pem;
}
