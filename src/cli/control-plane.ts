/**
 * The controllers a cluster runs: upstream's (PV binder, protection, scheduler, expansion,
 * namespaces, service accounts) and the EFS CSI driver's controller side behind its external
 * provisioner. Used by `cistern up` (in-process, still over HTTPS) and `cistern controllers`.
 *
 * Leader election (on in both): the controllers and the node lifecycle controller run while this
 * process holds kube-system/cistern-controllers (as kube-controller-manager's lease), the external
 * provisioner while it holds kube-system/efs-csi-aws-com (as the csi-provisioner sidecar's); both
 * with upstream's 15 s / 10 s / 2 s and fenced writes. Several control planes (processes or hosts)
 * therefore run side by side, one active, the others standing by.
 */
import { createHash } from "node:crypto";
import { hostname } from "node:os";
import { join } from "node:path";
import { createClient, loadKubeconfig, type KubeClient } from "../client/index.js";
import { startControllers } from "../controllers/index.js";
import { startExternalProvisioner } from "../controllers/provisioner/index.js";
import { createEfsCsiDriver } from "../csi/index.js";
import { createLogger } from "../lib/log.js";
import { startNodeLifecycleController } from "../node/index.js";
import type { EfsAccess } from "./endpoints.js";

export interface ControlPlaneOptions {
  kubeconfig: string;
  efs: EfsAccess;
  /** `<EFS dataDir>/fs` when the EFS service's disk is local (directory removal on Delete). */
  efsDataRoot?: string;
  stateDir: string;
  workers?: number;
  /** Elect (see above); without it every controller runs at once, unfenced. */
  leaderElection?: ControlPlaneElection;
}

export interface ControlPlaneElection {
  /** Unique per control plane; shown as the Leases' holderIdentity and in the clients' User-Agent. */
  identity: string;
  namespace?: string;
  /** Default "cistern-controllers". */
  lease?: string;
  /** Default "efs-csi-aws-com" (the driver name, as external-provisioner names its lease). */
  provisionerLease?: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
}

/**
 * The identity `cistern up` elects with: stable per host and data dir, so an `up` restarted after a
 * crash resumes its own Lease at once instead of waiting out the lease duration (only one `up`
 * runs per data dir: the SQLite lock, or the data dir's endpoints, see to that).
 */
export function dataDirIdentity(dataDir: string): string {
  return `${hostname()}_up-${createHash("sha256").update(dataDir).digest("hex").slice(0, 12)}`;
}

export const CONTROLLERS_LEASE = "cistern-controllers";
export const PROVISIONER_LEASE = "efs-csi-aws-com";

export interface ControlPlane {
  /** Whether this control plane's controllers lead now (always true without leader election). */
  leading(): boolean;
  stop(): Promise<void>;
}

export async function startControlPlane(o: ControlPlaneOptions): Promise<ControlPlane> {
  const log = createLogger("controllers");
  const le = o.leaderElection;
  const election = (lease: string) =>
    le && { lease, namespace: le.namespace ?? "kube-system", identity: le.identity, leaseDurationMs: le.leaseDurationMs, renewDeadlineMs: le.renewDeadlineMs, retryPeriodMs: le.retryPeriodMs };
  const agent = (component: string) => `cistern-${component}/0.1${le ? ` (${le.identity})` : ""}`;
  const config = loadKubeconfig(o.kubeconfig);
  const controllersClient = createClient({ ...config, userAgent: agent("controllers"), fieldManager: "cistern-controllers" });
  let controllers;
  try {
    controllers = await startControllers({
      client: controllersClient,
      log,
      workers: o.workers,
      leaderElection: election(le?.lease ?? CONTROLLERS_LEASE),
      // kube-controller-manager runs node lifecycle in the same process and under the same lease.
      alongside: [(client: KubeClient) => startNodeLifecycleController({ client, log: createLogger("node-lifecycle") })],
    });
  } catch (e) {
    controllersClient.close();
    throw e;
  }
  const client = createClient({ ...config, userAgent: agent("external-provisioner"), fieldManager: "cistern-external-provisioner" });
  try {
    const driver = createEfsCsiDriver({
      efs: { region: o.efs.region, endpoint: o.efs.endpoint, credentials: o.efs.credentials, caPem: o.efs.ca },
      mounter: "cistern",
      efsDataRoot: o.efsDataRoot,
      stateDir: join(o.stateDir, "csi-controller"),
      nodeId: "cistern-controller",
      log: createLogger("csi-controller"),
    });
    const provisioner = await startExternalProvisioner({ client, driver, log: createLogger("external-provisioner"), leaderElection: election(le?.provisionerLease ?? PROVISIONER_LEASE) });
    return {
      leading: () => controllers.elector?.isLeader() ?? true,
      async stop() {
        await provisioner.stop();
        await controllers.stop();
        client.close();
        controllersClient.close();
      },
    };
  } catch (e) {
    await controllers.stop();
    client.close();
    controllersClient.close();
    throw e;
  }
}
