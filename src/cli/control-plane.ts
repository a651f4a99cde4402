/**
 * The controllers a cluster runs: upstream's (PV binder, protection, scheduler, expansion,
 * namespaces, service accounts) and the EFS CSI driver's controller side behind its external
 * provisioner. Used by `cistern up` (in-process, still over HTTPS) and `cistern controllers`.
 */
import { join } from "node:path";
import { createClient, loadKubeconfig } from "../client/index.js";
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
}

export interface ControlPlane {
  stop(): Promise<void>;
}

export async function startControlPlane(o: ControlPlaneOptions): Promise<ControlPlane> {
  const log = createLogger("controllers");
  const controllers = await startControllers({ kubeconfig: o.kubeconfig, log, workers: o.workers });
  const client = createClient({ ...loadKubeconfig(o.kubeconfig), userAgent: "cistern-external-provisioner/0.1", fieldManager: "cistern-external-provisioner" });
  try {
    const driver = createEfsCsiDriver({
      efs: { region: o.efs.region, endpoint: o.efs.endpoint, credentials: o.efs.credentials, caPem: o.efs.ca },
      mounter: "cistern",
      efsDataRoot: o.efsDataRoot,
      stateDir: join(o.stateDir, "csi-controller"),
      nodeId: "cistern-controller",
      log: createLogger("csi-controller"),
    });
    const provisioner = await startExternalProvisioner({ client, driver, log: createLogger("external-provisioner") });
    const lifecycle = await startNodeLifecycleController({ client, log: createLogger("node-lifecycle") });
    return {
      async stop() {
        await lifecycle.stop();
        await provisioner.stop();
        await controllers.stop();
        client.close();
      },
    };
  } catch (e) {
    await controllers.stop();
    client.close();
    throw e;
  }
}
