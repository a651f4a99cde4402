/**
 * `cistern efs`: run the EFS-compatible service alone; `cistern efs usage [FS]`: metered usage per
 * file system and access point, as the service's metering reports it.
 */
import type { Command } from "commander";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { startEfsService, formatUsage, type UsageReport } from "../../efs/index.js";
import { ensureServerCert } from "../../lib/pki.js";
import { signedJsonRequest } from "../../lib/aws-signed-request.js";
import { createLogger } from "../../lib/log.js";
import { efsAccess } from "../endpoints.js";
import { loadClusterIdentity } from "../cluster-identity.js";
import { collect, parsePort } from "../options.js";

export function registerEfs(program: Command): void {
  const efs = program
    .command("efs")
    .description("Run the EFS-compatible service alone (see `cistern efs usage` for metering)")
    .enablePositionalOptions()
    .option("--data-dir <dir>", "Cistern data dir; the service keeps its state in <dir>/efs", join(homedir(), ".cistern"))
    .option("--host <host>", "listen address", "127.0.0.1")
    .option("--port <port>", "port (0 picks a free one)", "6444")
    .option("--file-system-id <id>", "pre-create a file system with this ID (repeatable)", collect, [] as string[])
    .action(async (o: { dataDir: string; host: string; port: string; fileSystemId: string[] }) => {
      const dataDir = resolve(o.dataDir);
      const cert = await ensureServerCert(join(dataDir, "pki"), "efs", o.host === "127.0.0.1" || o.host === "0.0.0.0" ? [] : [o.host]);
      const identity = loadClusterIdentity(dataDir);
      const svc = await startEfsService({
        dataDir: join(dataDir, "efs"), host: o.host, port: parsePort("--port", o.port), tls: { cert: cert.certPem, key: cert.keyPem },
        region: identity.region, accountId: identity.accountId, preCreateFileSystemIds: o.fileSystemId, log: createLogger("efs"),
      });
      const stop = async () => {
        await svc.close();
        process.exit(0);
      };
      process.on("SIGINT", () => void stop());
      process.on("SIGTERM", () => void stop());
      process.stdout.write(`EFS service ready at ${svc.url} (region ${svc.region}; credentials in ${join(dataDir, "efs", "credentials.json")}; CA ${join(dataDir, "pki", "ca.crt")})\n`);
    });

  efs
    .command("usage [fileSystemId]")
    .description("Show metered size per file system and per access point (EFS's rule: 2 KiB per object + data in 4 KiB units)")
    .option("--data-dir <dir>", "Cistern data dir (when AWS_ENDPOINT_URL_EFS is not set)", join(homedir(), ".cistern"))
    .option("--refresh", "walk the file system now instead of using the last metering pass")
    .option("-o, --output <format>", "table or json", "table")
    .action(async (fsId: string | undefined, o: { dataDir: string; refresh?: boolean; output: string }) => {
      const access = efsAccess(resolve(o.dataDir));
      const query: Record<string, string> = {};
      if (fsId) query.FileSystemId = fsId;
      if (o.refresh) query.Refresh = "true";
      const r = await signedJsonRequest({ ...access, service: "elasticfilesystem", method: "GET", path: "/cistern/v1/usage", query });
      if (r.status !== 200) {
        const err = r.body as { ErrorCode?: string; Message?: string; message?: string } | undefined;
        throw new Error(`${err?.ErrorCode ?? r.status}: ${err?.Message ?? err?.message ?? JSON.stringify(r.body)}`);
      }
      process.stdout.write(o.output === "json" ? JSON.stringify(r.body, null, 2) + "\n" : formatUsage(r.body as UsageReport));
    });
}
