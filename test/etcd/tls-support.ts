/**
 * A single etcd member that speaks TLS to clients and requires client certificates, with a
 * throw-away CA made by openssl (execFile, argument vectors). Stopped by the test's afterAll.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface TlsEtcd {
  endpoint: string;
  caFile: string;
  certFile: string;
  keyFile: string;
  stop(): Promise<void>;
}

async function issue(dir: string, name: string, usage: string): Promise<void> {
  const ext = join(dir, `${name}.ext`);
  writeFileSync(ext, `subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=${usage}\n`);
  await run("openssl", ["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", join(dir, `${name}.key`), "-out", join(dir, `${name}.csr`), "-subj", `/CN=${name}`]);
  await run("openssl", ["x509", "-req", "-in", join(dir, `${name}.csr`), "-CA", join(dir, "ca.pem"), "-CAkey", join(dir, "ca.key"), "-CAcreateserial", "-out", join(dir, `${name}.pem`), "-days", "1", "-extfile", ext]);
}

export async function startTlsEtcd(clientPort: number): Promise<TlsEtcd> {
  const dir = mkdtempSync(join(tmpdir(), "cistern-etcd-tls-"));
  await run("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", join(dir, "ca.key"), "-out", join(dir, "ca.pem"), "-days", "1", "-subj", "/CN=cistern-test-ca"]);
  await issue(dir, "server", "serverAuth");
  await issue(dir, "client", "clientAuth");
  const peer = `http://127.0.0.1:${clientPort + 1}`;
  const child: ChildProcess = spawn(
    "etcd",
    [
      "--name=tls",
      `--data-dir=${join(dir, "data")}`,
      `--listen-client-urls=https://127.0.0.1:${clientPort}`,
      `--advertise-client-urls=https://127.0.0.1:${clientPort}`,
      `--listen-peer-urls=${peer}`,
      `--initial-advertise-peer-urls=${peer}`,
      `--initial-cluster=tls=${peer}`,
      `--cert-file=${join(dir, "server.pem")}`,
      `--key-file=${join(dir, "server.key")}`,
      `--trusted-ca-file=${join(dir, "ca.pem")}`,
      "--client-cert-auth",
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let log = "";
  child.stderr?.on("data", (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    endpoint: `127.0.0.1:${clientPort}`,
    caFile: join(dir, "ca.pem"),
    certFile: join(dir, "client.pem"),
    keyFile: join(dir, "client.key"),
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
      if (child.exitCode !== 0 && child.exitCode !== null && child.signalCode === null) throw new Error(`TLS etcd exited ${child.exitCode}: ${log}`);
    },
  };
}
