/**
 * Regression test for a crash-campaign finding (controller-root-mount-leak, fixed in src/csi),
 * reproduced without a crash so it is deterministic.
 *
 * DeleteVolume removes an access point's directory through a root mount of the file system (POST
 * /cistern/v1/mounts with Path "/", released right after). `cistern up` killed between the two used
 * to leave that client-mount record for good: the file system counted a connection forever and
 * DeleteFileSystem answered FileSystemInUse. Root mounts are now recorded under NodeId
 * "<node>:root", and a driver starting on that node releases the ones an earlier incarnation left.
 * The crash harness counts any mount still tracked at the end as a violation (scenarios.ts).
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { DeleteMountTargetCommand, DeleteFileSystemCommand, DescribeMountTargetsCommand } from "@aws-sdk/client-efs";
import { signedJsonRequest } from "../../src/lib/aws-signed-request.js";
import { startCsiFixture, type CsiFixture } from "../csi/support/fixture.js";

let fx: CsiFixture;

beforeAll(async () => {
  fx = await startCsiFixture();
});

afterAll(async () => {
  await fx?.cleanup();
});

async function ext(method: "GET" | "POST" | "DELETE", path: string, body?: unknown, query?: Record<string, string>) {
  return signedJsonRequest({ endpoint: fx.svc.url, region: fx.svc.region, service: "elasticfilesystem", credentials: fx.svc.credentials, method, path, body, query });
}

it("controller-root-mount-leak: a root mount left by a killed controller is released once the driver is back", async () => {
  // What a controller killed inside DeleteVolume leaves behind: the root mount, never released.
  const left = await ext("POST", "/cistern/v1/mounts", { FileSystemId: fx.fsId, Path: "/", SecureTransport: true, NodeId: "node-1:root" });
  expect(left.status).toBe(200);
  // The driver comes back on the same node and does its work again.
  const driver = fx.restartDriver();
  const cap = { mount: {}, accessMode: { mode: "MULTI_NODE_MULTI_WRITER" as const } };
  const vol = await driver.controller.createVolume({ name: "pvc-leak", volumeCapabilities: [cap], parameters: { provisioningMode: "efs-ap", fileSystemId: fx.fsId, basePath: "/leak" } });
  await driver.controller.deleteVolume({ volumeId: vol.volume.volumeId });
  const mounts = (await ext("GET", "/cistern/v1/mounts", undefined, { FileSystemId: fx.fsId })).body as { Mounts: { MountId: string }[] };
  // And the file system can be deleted once nothing uses it.
  const mts = await fx.efs.send(new DescribeMountTargetsCommand({ FileSystemId: fx.fsId }));
  for (const mt of mts.MountTargets ?? []) await fx.efs.send(new DeleteMountTargetCommand({ MountTargetId: mt.MountTargetId }));
  const deleted = await fx.efs.send(new DeleteFileSystemCommand({ FileSystemId: fx.fsId })).then(() => "deleted", (e: Error) => e.name);
  expect({ mounts: mounts.Mounts.map((m) => m.MountId), deleted }).toEqual({ mounts: [], deleted: "deleted" });
});
