/**
 * Test support: Cistern's real EFS service started in-process (tests only — the driver never imports
 * src/efs), an SDK client for it, and an EFS CSI driver configured against it. Cleanup unmounts
 * everything left below the fixture's directory before deleting it, so a failed test can never make
 * `rm -r` walk into a mount.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EFSClient, PutFileSystemPolicyCommand } from "@aws-sdk/client-efs";
import { createEfsCsiDriver, type EfsCsiDriver, type EfsCsiDriverConfig, type VolumeCapability } from "../../../src/csi/index.js";
import { startEfsService, type EfsService, type EfsServiceOptions } from "../../../src/efs/index.js";
import { createLogger } from "../../../src/lib/log.js";
import { readMountInfo } from "../../../src/lib/safe-path/index.js";

export const REGION = "us-east-1";
export const ACCOUNT = "123456789012";
export const SECOND_FS = "fs-00000000000000002";

export interface CsiFixture {
  dir: string;
  svc: EfsService;
  efs: EFSClient;
  driver: EfsCsiDriver;
  fsId: string;
  /** A new driver on the same state (a restart), replacing `driver`. */
  restartDriver(over?: Partial<EfsCsiDriverConfig>): EfsCsiDriver;
  driverConfig(over?: Partial<EfsCsiDriverConfig>): EfsCsiDriverConfig;
  /** The file system's directory on disk (real path). */
  fsDir(fsId?: string): string;
  /** A fresh target path under the publish root. */
  target(name: string): string;
  putPolicy(policy: object, fsId?: string): Promise<void>;
  cleanup(): Promise<void>;
}

export function mountCap(mode: VolumeCapability["accessMode"]["mode"] = "MULTI_NODE_MULTI_WRITER", mountFlags?: string[]): VolumeCapability {
  return { mount: { mountFlags }, accessMode: { mode } };
}

function unmountBelow(dir: string): void {
  const real = realpathSync(dir);
  const mounts = readMountInfo()
    .filter((m) => m.mountPoint.startsWith(real + "/"))
    .sort((a, b) => b.mountPoint.length - a.mountPoint.length);
  for (const m of mounts) {
    try {
      execFileSync("umount", ["-l", "--", m.mountPoint], { stdio: "ignore" });
    } catch {
      // already gone
    }
  }
  const left = readMountInfo().filter((m) => m.mountPoint.startsWith(real + "/"));
  if (left.length > 0) throw new Error(`mounts left below ${real}: ${left.map((m) => m.mountPoint).join(", ")}; not deleting it`);
}

export async function startCsiFixture(opts: { efs?: Partial<EfsServiceOptions>; driver?: Partial<EfsCsiDriverConfig> } = {}): Promise<CsiFixture> {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), "csi-it-")));
  const publishRoot = join(dir, "pods");
  mkdirSync(publishRoot);
  const svc = await startEfsService({
    dataDir: join(dir, "efs"),
    host: "127.0.0.1",
    port: 0,
    region: REGION,
    accountId: ACCOUNT,
    log: createLogger("efs-test"),
    meteringIntervalMs: 600_000,
    preCreateFileSystemIds: [SECOND_FS],
    ...opts.efs,
  });
  const efs = new EFSClient({ endpoint: svc.url, region: REGION, credentials: svc.credentials, maxAttempts: 1 });
  const driverConfig = (over: Partial<EfsCsiDriverConfig> = {}): EfsCsiDriverConfig => ({
    efs: { region: REGION, endpoint: svc.url, credentials: svc.credentials },
    efsDataRoot: join(dir, "efs", "fs"),
    stateDir: join(dir, "csi-state"),
    nodeId: "node-1",
    publishRoot,
    log: createLogger("csi-test"),
    ...opts.driver,
    ...over,
  });
  // The service finishes creating its pre-created file systems on the next turn of the event loop;
  // let that happen here, so a short test cannot delete the directory under it.
  await new Promise<void>((resolve) => setImmediate(resolve));
  let targets = 0;
  const fx: CsiFixture = {
    dir,
    svc,
    efs,
    driver: createEfsCsiDriver(driverConfig()),
    fsId: svc.defaultFileSystemId,
    driverConfig,
    restartDriver(over) {
      fx.driver.close();
      fx.driver = createEfsCsiDriver(driverConfig(over));
      return fx.driver;
    },
    fsDir: (id = fx.fsId) => join(dir, "efs", "fs", id),
    target: (name) => join(publishRoot, `${name}-${++targets}`, "mount"),
    async putPolicy(policy, id = fx.fsId) {
      await efs.send(new PutFileSystemPolicyCommand({ FileSystemId: id, Policy: JSON.stringify(policy), BypassPolicyLockoutSafetyCheck: true }));
    },
    async cleanup() {
      fx.driver.close();
      efs.destroy();
      try {
        unmountBelow(dir);
      } finally {
        await svc.close();
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return fx;
}
