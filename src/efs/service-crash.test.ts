/**
 * Durability: the service runs in a child process and is killed with SIGKILL right after answering;
 * everything it acknowledged must be there when a new service opens the same data directory.
 */
import { describe, it, expect, afterAll } from "vitest";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { CreateAccessPointCommand, EFSClient } from "@aws-sdk/client-efs";
import { startEfsService } from "./service.js";
import { createLogger } from "../lib/log.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "../..");
const dir = mkdtempSync(join(tmpdir(), "efs-crash-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("crash after acknowledgement", () => {
  it("keeps every access point the killed service acknowledged", async () => {
    const script = join(dir, "run.mts");
    writeFileSync(
      script,
      `import { startEfsService } from ${JSON.stringify(join(here, "service.ts"))};
import { createLogger } from ${JSON.stringify(join(here, "../lib/log.ts"))};
const svc = await startEfsService({ dataDir: ${JSON.stringify(join(dir, "data"))}, host: "127.0.0.1", port: 0, region: "us-east-1", accountId: "123456789012", log: createLogger("child"), meteringIntervalMs: 60000 });
process.stdout.write(JSON.stringify({ url: svc.url, credentials: svc.credentials, fsId: svc.defaultFileSystemId }) + "\\n");
`,
    );
    const child = spawn(process.execPath, [join(root, "node_modules/tsx/dist/cli.mjs"), script], { stdio: ["ignore", "pipe", "inherit"] });
    const info = await new Promise<{ url: string; credentials: { accessKeyId: string; secretAccessKey: string }; fsId: string }>((resolve, reject) => {
      let buf = "";
      child.stdout.on("data", (c: Buffer) => {
        buf += c.toString();
        const nl = buf.indexOf("\n");
        if (nl >= 0) resolve(JSON.parse(buf.slice(0, nl)));
      });
      child.on("exit", (code) => reject(new Error(`child exited early (${code})`)));
    });
    const client = new EFSClient({ endpoint: info.url, region: "us-east-1", credentials: { ...info.credentials }, maxAttempts: 1 });
    const acknowledged = await Promise.all(
      Array.from({ length: 200 }, (_, i) => client.send(new CreateAccessPointCommand({ FileSystemId: info.fsId, ClientToken: `crash-${i}` })).then((r) => r.AccessPointId!)),
    );
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    client.destroy();

    const svc = await startEfsService({ dataDir: join(dir, "data"), host: "127.0.0.1", port: 0, region: "us-east-1", accountId: "123456789012", log: createLogger("after-crash") });
    try {
      expect(svc.credentials).toEqual(info.credentials);
      expect(svc.defaultFileSystemId).toBe(info.fsId);
      const survived = svc.model.accessPoints.describe({ fileSystemId: info.fsId, maxResults: 1000 }).items.map((a) => a.id);
      expect(new Set(survived)).toEqual(new Set(acknowledged));
    } finally {
      await svc.close();
    }
  });
});
