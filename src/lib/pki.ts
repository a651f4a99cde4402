/**
 * A private certificate authority kept in a directory: created on first use, reused afterwards.
 * ECDSA P-256 keys (fast to generate, accepted by kubectl/Go TLS and Node). Files:
 *   ca.crt, ca.key            the CA (10 years)
 *   <name>.crt, <name>.key    leaf certificates signed by it (serverCert)
 * Keys are written 0600; every file is written atomically (write to temp, fsync, rename).
 */
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { webcrypto, randomBytes, X509Certificate } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { writeFileAtomic } from "./atomic-file.js";

x509.cryptoProvider.set(webcrypto as never);

const alg = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
const DAY = 24 * 3600 * 1000;

export interface KeyPairPem {
  certPem: string;
  keyPem: string;
}

function toPem(der: ArrayBuffer, label: string): string {
  const b64 = Buffer.from(der).toString("base64").replace(/(.{64})/g, "$1\n").replace(/\n$/, "");
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

async function exportKey(key: webcrypto.CryptoKey): Promise<string> {
  return toPem(await webcrypto.subtle.exportKey("pkcs8", key as any), "PRIVATE KEY");
}

async function importKey(pem: string): Promise<webcrypto.CryptoKey> {
  const der = Buffer.from(pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, ""), "base64");
  return (await webcrypto.subtle.importKey("pkcs8", der, { name: "ECDSA", namedCurve: "P-256" }, true, ["sign"])) as unknown as webcrypto.CryptoKey;
}

function serial(): string {
  const b = randomBytes(16);
  b[0] &= 0x7f; // positive
  return b.toString("hex");
}

async function createCa(commonName: string): Promise<KeyPairPem> {
  const keys = (await webcrypto.subtle.generateKey(alg, true, ["sign", "verify"])) as unknown as webcrypto.CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${commonName}`,
    notBefore: new Date(Date.now() - DAY),
    notAfter: new Date(Date.now() + 3650 * DAY),
    signingAlgorithm: alg,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString("pem") + "\n", keyPem: await exportKey(keys.privateKey) };
}

async function createLeaf(ca: KeyPairPem, commonName: string, dnsNames: string[], ips: string[]): Promise<KeyPairPem> {
  const keys = (await webcrypto.subtle.generateKey(alg, true, ["sign", "verify"])) as unknown as webcrypto.CryptoKeyPair;
  const caCert = new x509.X509Certificate(ca.certPem);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${commonName}`,
    issuer: caCert.subject,
    notBefore: new Date(Date.now() - DAY),
    notAfter: new Date(Date.now() + 825 * DAY),
    signingAlgorithm: alg,
    publicKey: keys.publicKey,
    signingKey: await importKey(ca.keyPem),
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
      ...(dnsNames.length + ips.length > 0
        ? [new x509.SubjectAlternativeNameExtension([
            ...dnsNames.map((value) => ({ type: "dns" as const, value })),
            ...ips.map((value) => ({ type: "ip" as const, value })),
          ])]
        : []),
      await x509.AuthorityKeyIdentifierExtension.create(caCert, false),
    ],
  });
  return { certPem: cert.toString("pem") + "\n", keyPem: await exportKey(keys.privateKey) };
}

function readPair(dir: string, name: string): KeyPairPem | undefined {
  const c = join(dir, `${name}.crt`);
  const k = join(dir, `${name}.key`);
  if (!existsSync(c) || !existsSync(k)) return undefined;
  return { certPem: readFileSync(c, "utf8"), keyPem: readFileSync(k, "utf8") };
}

function writePair(dir: string, name: string, pair: KeyPairPem): void {
  writeFileAtomic(join(dir, `${name}.key`), pair.keyPem, 0o600);
  writeFileAtomic(join(dir, `${name}.crt`), pair.certPem, 0o644);
}

/** The CA in `dir`, created on first call. */
export async function ensureCa(dir: string, commonName = "cistern-ca"): Promise<KeyPairPem> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const existing = readPair(dir, "ca");
  if (existing) return existing;
  const ca = await createCa(commonName);
  writePair(dir, "ca", ca);
  return ca;
}

/**
 * A serving certificate `name` for localhost, 127.0.0.1, ::1, this host's name and `extraHosts`,
 * signed by the CA in `dir`. Re-issued when a needed name is missing or it expires within 30 days.
 */
export async function ensureServerCert(dir: string, name: string, extraHosts: string[] = []): Promise<KeyPairPem & { caPem: string }> {
  const ca = await ensureCa(dir);
  const dns = new Set(["localhost", hostname()]);
  const ips = new Set(["127.0.0.1", "::1"]);
  for (const h of extraHosts) (/^[\d.]+$|:/.test(h) ? ips : dns).add(h);
  const existing = readPair(dir, name);
  if (existing) {
    const cert = new X509Certificate(existing.certPem);
    const san = cert.subjectAltName ?? "";
    const covers = [...dns].every((d) => san.includes(`DNS:${d}`)) && [...ips].every((ip) => san.includes(`IP Address:${ip.includes(":") ? "0:0:0:0:0:0:0:1" : ip}`) || san.includes(`IP Address:${ip}`));
    const fresh = Date.parse(cert.validTo) - Date.now() > 30 * DAY;
    if (covers && fresh) return { ...existing, caPem: ca.certPem };
  }
  const leaf = await createLeaf(ca, name, [...dns], [...ips]);
  writePair(dir, name, leaf);
  return { ...leaf, caPem: ca.certPem };
}

/**
 * A client certificate `name` (CN = commonName) signed by the CA in `dir`, e.g. the credential the
 * API server presents to node agents. Re-issued when it expires within 30 days.
 */
export async function ensureClientCert(dir: string, name: string, commonName: string): Promise<KeyPairPem & { caPem: string }> {
  const ca = await ensureCa(dir);
  const existing = readPair(dir, name);
  if (existing) {
    const cert = new X509Certificate(existing.certPem);
    if (cert.subject.includes(`CN=${commonName}`) && Date.parse(cert.validTo) - Date.now() > 30 * DAY) return { ...existing, caPem: ca.certPem };
  }
  const leaf = await createLeaf(ca, commonName, [], []);
  writePair(dir, name, leaf);
  return { ...leaf, caPem: ca.certPem };
}
