/** Wiring: configuration → EFS client, mount extension, mounter, shared state → the three CSI services. */
import { mkdirSync } from "node:fs";
import { EFSClient } from "@aws-sdk/client-efs";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import https from "node:https";
import type { Registry } from "prom-client";
import { createLogger, type Logger } from "../lib/log.js";
import { CisternMounter } from "./cistern-mounter.js";
import { createControllerService } from "./controller.js";
import { EfsApi } from "./efs-api.js";
import { EfsUtilsMounter } from "./efs-utils-mounter.js";
import { GidAllocator } from "./gid-allocator.js";
import { createIdentityService } from "./identity.js";
import { DRIVER_NAME, PRINCIPAL_ARN } from "./ids.js";
import { KeyedMutex } from "./keyed-mutex.js";
import { CsiMetrics } from "./metrics.js";
import { MountExtensionClient } from "./mount-extension.js";
import type { FileSystemRootAccess, NodeMounter } from "./mounter.js";
import { createNodeService } from "./node.js";
import { PublishState } from "./publish-state.js";
import type { ControllerService, IdentityService, NodeService } from "./spec.js";
import { VolumeStatsCache } from "./volume-stats.js";

export interface EfsCsiDriverConfig {
  efs: {
    region: string;
    /** Cistern's EFS service URL; absent means AWS's regional endpoint. */
    endpoint?: string;
    /** Absent means the SDK's default credential chain (environment, profile, instance role…). */
    credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
    /** CA for an https endpoint with a private certificate (mount extension calls). */
    caPem?: string;
    /** A ready client instead of one built from the fields above (custom HTTP handler, tests). */
    client?: EFSClient;
  };
  /** "cistern" (default): Cistern's EFS service and its mount extension. "efs-utils": real EFS (not implemented). */
  mounter?: "cistern" | "efs-utils";
  /**
   * `<EFS dataDir>/fs`: where the service keeps file systems. The cistern mounter needs it to publish
   * and to delete access point directories; without it those answer FailedPrecondition.
   */
  efsDataRoot?: string;
  /** The driver's own state (publish records, FUSE counters). Created if missing. */
  stateDir: string;
  nodeId: string;
  /** Confine target paths beneath this directory (recommended: the node agent's pods directory). */
  publishRoot?: string;
  /** IAM principal of the node, for `iam` mounts of pods whose service account has no role. */
  nodePrincipalArn?: string;
  /** IAM principal the controller presents for root mounts (access point directory deletion). */
  controllerPrincipalArn?: string;
  /** Whether DeleteVolume removes the directory of an access point that carries no Cistern tag (default true). */
  deleteAccessPointRootDirDefault?: boolean;
  /** Tags added to every access point (upstream's --tags). */
  tags?: Record<string, string>;
  /** How long the GID allocator may reuse a listing of a file system's access points (default 1 s). */
  gidListingMaxAgeMs?: number;
  /** Minimum age of cached volume usage before another walk (default 60 s). */
  volumeStatsRefreshMs?: number;
  metricsRegistry?: Registry;
  log?: Logger;
}

export interface EfsCsiDriver {
  name: string;
  identity: IdentityService;
  controller: ControllerService;
  node: NodeService;
  metrics: CsiMetrics;
  /** Releases the HTTP clients. Published volumes stay mounted (as with a restarted driver). */
  close(): void;
}

function checkArn(v: string | undefined, what: string): void {
  if (v !== undefined && !PRINCIPAL_ARN.test(v)) throw new Error(`${what} ${JSON.stringify(v)} is not an IAM role or user ARN`);
}

export function createEfsCsiDriver(config: EfsCsiDriverConfig): EfsCsiDriver {
  const log = config.log ?? createLogger("csi/efs");
  checkArn(config.nodePrincipalArn, "nodePrincipalArn");
  checkArn(config.controllerPrincipalArn, "controllerPrincipalArn");
  mkdirSync(config.stateDir, { recursive: true, mode: 0o700 });
  const ownClient = !config.efs.client;
  const client =
    config.efs.client ??
    new EFSClient({
      region: config.efs.region, endpoint: config.efs.endpoint, credentials: config.efs.credentials, maxAttempts: 5, retryMode: "adaptive",
      // A private CA (Cistern's EFS endpoint) must be trusted by the SDK's HTTPS agent as well as by the mount calls.
      ...(config.efs.caPem ? { requestHandler: new NodeHttpHandler({ httpsAgent: new https.Agent({ keepAlive: true, maxSockets: 128, ca: config.efs.caPem }) }) } : {}),
    });
  const efs = new EfsApi(client);
  const metrics = new CsiMetrics(config.metricsRegistry);
  const locks = new KeyedMutex();

  let mounter: NodeMounter & FileSystemRootAccess;
  let ext: MountExtensionClient | undefined;
  if ((config.mounter ?? "cistern") === "cistern") {
    if (!config.efs.endpoint) throw new Error("the cistern mounter needs efs.endpoint (Cistern's EFS service URL)");
    ext = new MountExtensionClient({ endpoint: config.efs.endpoint, region: config.efs.region, credentials: client.config.credentials, caPem: config.efs.caPem });
    mounter = new CisternMounter({
      ext,
      dataRoot: config.efsDataRoot,
      stateDir: config.stateDir,
      nodeId: config.nodeId,
      controllerPrincipalArn: config.controllerPrincipalArn,
      log: log.child("mounter"),
    });
    // Release what a killed predecessor left (root mounts live for one DeleteVolume only); retried lazily per file system.
    void (mounter as CisternMounter).releaseStaleRootMounts().catch(() => undefined);
  } else {
    mounter = new EfsUtilsMounter();
  }

  return {
    name: DRIVER_NAME,
    metrics,
    identity: createIdentityService(metrics),
    controller: createControllerService({
      efs,
      gids: new GidAllocator((fsId) => efs.listAccessPoints(fsId), { maxListingAgeMs: config.gidListingMaxAgeMs }),
      locks,
      tags: config.tags ?? {},
      root: mounter,
      deleteRootDirByDefault: config.deleteAccessPointRootDirDefault ?? true,
      metrics,
      log: log.child("controller"),
    }),
    node: createNodeService({
      nodeId: config.nodeId,
      mounter,
      state: new PublishState(config.stateDir),
      locks,
      stats: new VolumeStatsCache(config.volumeStatsRefreshMs ?? 60_000),
      dataRoot: config.efsDataRoot,
      publishRoot: config.publishRoot,
      nodePrincipalArn: config.nodePrincipalArn,
      metrics,
      log: log.child("node"),
    }),
    close() {
      ext?.close();
      if (ownClient) client.destroy();
    },
  };
}
