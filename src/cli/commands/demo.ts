/**
 * `cistern demo`: the guide's use case step by step against a running Cistern (found through
 * the data dir), or against one it starts for the occasion and stops afterwards.
 */
import type { Command } from "commander";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { startCluster, type Cluster } from "../cluster.js";
import { efsAccess, isRunning, readEndpoints } from "../endpoints.js";
import { createContext } from "../demo/tools.js";
import { cleanPreviousRun, runSteps } from "../demo/scenario.js";
import { summary } from "../demo/report.js";

export function registerDemo(program: Command): void {
  program
    .command("demo")
    .description("Run the guide's example end to end: bind, write \"Hello from EFS\", persistence, Retain and Delete, EFS usage")
    .option("--data-dir <dir>", "data dir of the Cistern to use (one is started there if none runs)", join(homedir(), ".cistern"))
    .action(async (o: { dataDir: string }) => {
      const dataDir = resolve(o.dataDir);
      let cluster: Cluster | undefined;
      if (!isRunning(readEndpoints(dataDir))) {
        process.stdout.write(`No Cistern is running on ${dataDir}; starting one for the demo.\n`);
        // Keep the components' routine logging out of the demo's transcript (warnings still show).
        process.env.CISTERN_LOG ??= "warn";
        cluster = await startCluster({ dataDir, apiHost: "127.0.0.1", apiPort: 0, efsHost: "127.0.0.1", efsPort: 0, fileSystemIds: ["fs-12345678"], nodes: 1 });
      }
      const ctx = createContext(dataDir, join(dataDir, "kubeconfig"), efsAccess(dataDir));
      let failed = true;
      try {
        await cleanPreviousRun(ctx);
        const results = await runSteps(ctx);
        summary(results);
        failed = results.some((r) => !r.ok);
        if (!failed) process.stdout.write(`\nNext: source ${join(dataDir, "env")} && kubectl get pvc\n`);
      } finally {
        ctx.kube.close();
        ctx.efs.destroy();
        await cluster?.stop();
      }
      process.exitCode = failed ? 1 : 0;
    });
}
