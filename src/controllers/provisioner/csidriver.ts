/**
 * Registers the storage.k8s.io/v1 CSIDriver object for the driver, as the upstream deployment
 * manifest does: attachRequired false (EFS needs no ControllerPublish) and no pod info on mount (the
 * node agent passes the pod's IAM role itself). An existing object is left as it is; an API server
 * that does not serve CSIDriver only earns a warning, since provisioning does not depend on it.
 */
import { isAlreadyExists, isNotFound, type KubeClient } from "../../client/index.js";
import type { KubeObject } from "../../api/types.js";
import type { Logger } from "../../lib/log.js";
import { CSIDRIVER_RESOURCE } from "./types.js";

export function csiDriverObject(name: string): KubeObject {
  return {
    apiVersion: "storage.k8s.io/v1",
    kind: "CSIDriver",
    metadata: { name },
    spec: { attachRequired: false, podInfoOnMount: false, volumeLifecycleModes: ["Persistent"] },
  };
}

export async function registerCsiDriver(client: KubeClient, name: string, log: Logger): Promise<"created" | "exists" | "unsupported"> {
  try {
    await client.resource(CSIDRIVER_RESOURCE).create(csiDriverObject(name));
    log.info("registered CSIDriver", { name });
    return "created";
  } catch (e) {
    if (isAlreadyExists(e)) return "exists";
    if (isNotFound(e)) {
      log.warn("the API server does not serve storage.k8s.io/v1 CSIDriver; not registering the driver", { name });
      return "unsupported";
    }
    throw e;
  }
}
