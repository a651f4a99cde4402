/**
 * `cistern controllers --kubeconfig FILE`: the controllers alone against any Cistern API server
 * (PV binder, protection, scheduler, expansion, namespaces, service accounts, node lifecycle, and
 * the EFS CSI external provisioner). EFS is reached through the standard AWS_* variables, as the
 * real driver. Leader election is on by default, with kube-controller-manager's flags and
 * defaults, so several of these processes (on one host or several) run one active and the others
 * standing by.
 */
import type { Command } from "commander";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { defaultIdentity } from "../../controllers/runtime/index.js";
import { CONTROLLERS_LEASE, PROVISIONER_LEASE, startControlPlane } from "../control-plane.js";
import { efsAccess } from "../endpoints.js";
import { parseDuration } from "../options.js";

interface ControllersCommandOptions {
  kubeconfig: string;
  dataDir: string;
  efsDataRoot?: string;
  workers: string;
  leaderElect: boolean;
  leaderElectIdentity?: string;
  leaderElectResourceName: string;
  leaderElectResourceNamespace: string;
  leaderElectLeaseDuration: string;
  leaderElectRenewDeadline: string;
  leaderElectRetryPeriod: string;
}

export function registerControllers(program: Command): void {
  program
    .command("controllers")
    .description("Run the controllers and the EFS CSI external provisioner alone (leader-elected)")
    .requiredOption("--kubeconfig <file>", "kubeconfig of the API server(s) to work against")
    .option("--data-dir <dir>", "data dir for driver state (and EFS access when AWS_* are not set)", join(homedir(), ".cistern"))
    .option("--efs-data-root <dir>", "the EFS service's file-system directory, when on this host (enables directory removal on Delete)")
    .option("--workers <n>", "PV binder claim workers", "32")
    .option("--no-leader-elect", "run at once without leader election (only when no other controllers run against the cluster)")
    .option("--leader-elect-identity <id>", "holder identity in the Leases (default <hostname>_<uuid>)")
    .option("--leader-elect-resource-name <name>", "Lease of the controllers (the provisioner uses " + PROVISIONER_LEASE + ")", CONTROLLERS_LEASE)
    .option("--leader-elect-resource-namespace <ns>", "namespace of the Leases", "kube-system")
    .option("--leader-elect-lease-duration <d>", "how long standbys wait after the last renewal they saw before taking over", "15s")
    .option("--leader-elect-renew-deadline <d>", "how long the leader keeps trying to renew (and may write) after its last renewal", "10s")
    .option("--leader-elect-retry-period <d>", "how often to renew or try to acquire", "2s")
    .action(async (o: ControllersCommandOptions) => {
      const dataDir = resolve(o.dataDir);
      const identity = o.leaderElectIdentity ?? defaultIdentity();
      const cp = await startControlPlane({
        kubeconfig: resolve(o.kubeconfig),
        efs: efsAccess(dataDir),
        efsDataRoot: o.efsDataRoot ? resolve(o.efsDataRoot) : undefined,
        stateDir: dataDir,
        workers: Number(o.workers),
        leaderElection: o.leaderElect
          ? {
              identity,
              lease: o.leaderElectResourceName,
              namespace: o.leaderElectResourceNamespace,
              leaseDurationMs: parseDuration("--leader-elect-lease-duration", o.leaderElectLeaseDuration),
              renewDeadlineMs: parseDuration("--leader-elect-renew-deadline", o.leaderElectRenewDeadline),
              retryPeriodMs: parseDuration("--leader-elect-retry-period", o.leaderElectRetryPeriod),
            }
          : undefined,
      });
      const stop = async () => {
        await cp.stop();
        process.exit(0);
      };
      process.on("SIGINT", () => void stop());
      process.on("SIGTERM", () => void stop());
      process.stdout.write(o.leaderElect ? `controllers running (leader election as ${identity})\n` : "controllers running\n");
    });
}
