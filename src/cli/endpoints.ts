/**
 * Where a running Cistern can be reached, recorded by `cistern up` in DIR/endpoints.json so that
 * other commands (demo, explain, efs usage, down) find it from the data dir alone.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../lib/atomic-file.js";

export interface Endpoints {
  api: string;
  efs: string;
  region: string;
  pid: number;
}

export function writeEndpoints(dataDir: string, e: Endpoints): void {
  writeFileAtomic(join(dataDir, "endpoints.json"), JSON.stringify(e, null, 2) + "\n", 0o644);
}

export function readEndpoints(dataDir: string): Endpoints | undefined {
  const p = join(dataDir, "endpoints.json");
  if (!existsSync(p)) return undefined;
  return JSON.parse(readFileSync(p, "utf8")) as Endpoints;
}

/** Is the process that wrote the endpoints still alive? */
export function isRunning(e: Endpoints | undefined): boolean {
  if (!e?.pid) return false;
  try {
    process.kill(e.pid, 0);
    return true;
  } catch {
    return false;
  }
}

export interface EfsAccess {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  ca?: string;
}

/** EFS endpoint and credentials: the standard AWS_* variables first, else what DIR records. */
export function efsAccess(dataDir: string): EfsAccess {
  const env = process.env;
  if (env.AWS_ENDPOINT_URL_EFS && env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    const caFile = env.AWS_CA_BUNDLE ?? env.NODE_EXTRA_CA_CERTS;
    return {
      endpoint: env.AWS_ENDPOINT_URL_EFS,
      region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? "us-east-1",
      credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY },
      ca: caFile && existsSync(caFile) ? readFileSync(caFile, "utf8") : undefined,
    };
  }
  const e = readEndpoints(dataDir);
  const credPath = join(dataDir, "efs", "credentials.json");
  if (!e || !existsSync(credPath)) throw new Error(`no running Cistern found in ${dataDir} (start one with \`cistern up\`, or set AWS_ENDPOINT_URL_EFS and credentials)`);
  const creds = JSON.parse(readFileSync(credPath, "utf8")) as { accessKeyId: string; secretAccessKey: string };
  return { endpoint: e.efs, region: e.region, credentials: creds, ca: readFileSync(join(dataDir, "pki", "ca.crt"), "utf8") };
}
