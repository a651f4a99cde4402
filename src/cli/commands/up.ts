/** `cistern up`: run everything in the foreground until SIGINT/SIGTERM. */
import type { Command } from "commander";
import { homedir } from "node:os";
import { join } from "node:path";
import { startCluster } from "../cluster.js";
import { collect, parseCount, parsePort } from "../options.js";
import { startInBackground } from "../background.js";

export function registerUp(program: Command): void {
  program
    .command("up")
    .description("Start Cistern in the foreground (API server, controllers, EFS service, node agents)")
    .option("--data-dir <dir>", "where all state lives", join(homedir(), ".cistern"))
    .option("--api-host <host>", "address the API server listens on", "127.0.0.1")
    .option("--api-port <port>", "API server port (0 picks a free one)", "6443")
    .option("--store <url>", "store URL: sqlite:///path/state.db (default, in the data dir), etcd://host:2379,host:2379 (see docs/store.md) or memory://")
    .option("--efs-host <host>", "address the EFS API listens on", "127.0.0.1")
    .option("--efs-port <port>", "EFS API port (0 picks a free one)", "6444")
    .option("--file-system-id <id>", "pre-create an EFS file system with this ID (repeatable), e.g. fs-12345678", collect, [] as string[])
    .option("--nodes <n>", "node agents to run on this machine", "1")
    .option("--background", "start detached, wait until ready, then return (log in <data-dir>/cistern.log)")
    .action(async (opts: { dataDir: string; apiHost: string; apiPort: string; store?: string; efsHost: string; efsPort: string; fileSystemId: string[]; background?: boolean; nodes: string }) => {
      if (opts.background) {
        await startInBackground(opts.dataDir, process.argv.slice(2).filter((a) => a !== "--background"));
        return;
      }
      const cluster = await startCluster({
        dataDir: opts.dataDir,
        apiHost: opts.apiHost,
        apiPort: parsePort("--api-port", opts.apiPort),
        storeUrl: opts.store,
        efsHost: opts.efsHost,
        efsPort: parsePort("--efs-port", opts.efsPort),
        fileSystemIds: opts.fileSystemId,
        nodes: parseCount("--nodes", opts.nodes),
      });
      let stopping = false;
      const stop = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        process.stderr.write(`cistern: ${signal} received, shutting down\n`);
        await cluster.stop();
        process.exit(0);
      };
      process.on("SIGINT", () => void stop("SIGINT"));
      process.on("SIGTERM", () => void stop("SIGTERM"));
      process.stdout.write(`Cistern is ready at ${cluster.apiServer.url}: source ${cluster.envPath} (KUBECONFIG=${cluster.kubeconfigPath})\n`);
      process.stdout.write(`Dashboard: ${cluster.apiServer.url.replace("://0.0.0.0:", "://127.0.0.1:")}/ui/ (sign in with the token in ${cluster.dataDir}/pki/admin.token)\n`);
    });
}
