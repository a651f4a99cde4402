/**
 * Regression test for the CSI driver bug the NodePublishVolume fuzzer found (symlinked-target-parent):
 * a target whose parent inside the publish root was a symlink out of it used to be created and
 * mounted outside the root (string confinement check, then mkdir -p and mount following the link).
 * Fixed by creating and opening targets beneath the publish root without following links
 * (src/csi/target-path.ts) and proving the mount landed on the opened directory (mount-landing.ts).
 * csi-publish.test.ts covers the same input with its general property.
 */
import { mkdirSync, readdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { isCsiError, type VolumeCapability } from "../../src/csi/index.js";
import { readMountInfo } from "../../src/lib/safe-path/index.js";
import { startCsiFixture, type CsiFixture } from "../csi/support/fixture.js";

let fx: CsiFixture;

beforeAll(async () => {
  fx = await startCsiFixture();
  mkdirSync(join(fx.dir, "outside"));
  symlinkSync(join(fx.dir, "outside"), join(fx.dir, "pods", "link-out"));
});

afterAll(async () => {
  await fx?.cleanup();
});

it("symlinked-target-parent: a target whose parent inside the publish root is a symlink out of it is refused", async () => {
  const targetPath = join(fx.dir, "pods", "link-out", "x");
  const volumeCapability = { mount: {}, accessMode: { mode: "MULTI_NODE_MULTI_WRITER" } } as VolumeCapability;
  let refused: unknown;
  try {
    await fx.driver.node.nodePublishVolume({ volumeId: fx.fsId, targetPath, volumeCapability, readonly: false });
  } catch (e) {
    refused = isCsiError(e, "InvalidArgument") ? true : e;
  }
  // Before the fix the driver created <dir>/outside/x through the link and mounted the file system there.
  const outside = readdirSync(join(fx.dir, "outside"));
  const mountedOutside = readMountInfo().some((m) => m.mountPoint === join(fx.dir, "outside", "x"));
  if (!refused) await fx.driver.node.nodeUnpublishVolume({ volumeId: fx.fsId, targetPath });
  expect({ refused, outside, mountedOutside }).toEqual({ refused: true, outside: [], mountedOutside: false });
});
