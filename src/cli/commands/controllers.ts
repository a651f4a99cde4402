/**
 * `cistern controllers --kubeconfig FILE`: the controllers alone against any Cistern API server
 * (PV binder, protection, scheduler, expansion, namespaces, service accounts, and the EFS CSI
 * external provisioner). EFS is reached through the standard AWS_* variables, as the real driver.
 */
import type { Command } from "commander";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { startControlPlane } from "../control-plane.js";
import { efsAccess } from "../endpoints.js";

export function registerControllers(program: Command): void {
  program
    .command("controllers")
    .description("Run the controllers and the EFS CSI external provisioner alone")
    .requiredOption("--kubeconfig <file>", "kubeconfig of the API server to work against")
    .option("--data-dir <dir>", "data dir for driver state (and EFS access when AWS_* are not set)", join(homedir(), ".cistern"))
    .option("--efs-data-root <dir>", "the EFS service's file-system directory, when on this host (enables directory removal on Delete)")
    .option("--workers <n>", "PV binder claim workers", "32")
    .action(async (o: { kubeconfig: string; dataDir: string; efsDataRoot?: string; workers: string }) => {
      const dataDir = resolve(o.dataDir);
      const cp = await startControlPlane({
        kubeconfig: resolve(o.kubeconfig),
        efs: efsAccess(dataDir),
        efsDataRoot: o.efsDataRoot ? resolve(o.efsDataRoot) : undefined,
        stateDir: dataDir,
        workers: Number(o.workers),
      });
      const stop = async () => {
        await cp.stop();
        process.exit(0);
      };
      process.on("SIGINT", () => void stop());
      process.on("SIGTERM", () => void stop());
      process.stdout.write("controllers running\n");
    });
}
