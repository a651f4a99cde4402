/**
 * Reproduction of the CSI driver bug the NodePublishVolume fuzzer found (see known-bugs.test.ts for
 * the convention): `it.fails` while the bug is there; once fixed, make it a plain `it` and drop the
 * special case for the "PODS/link-out/x" target in csi-publish.test.ts.
 */
import { mkdirSync, readdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { VolumeCapability } from "../../src/csi/index.js";
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

it.fails("symlinked-target-parent: a target whose parent inside the publish root is a symlink out of it is refused", async () => {
  const targetPath = join(fx.dir, "pods", "link-out", "x");
  const volumeCapability = { mount: {}, accessMode: { mode: "MULTI_NODE_MULTI_WRITER" } } as VolumeCapability;
  let refused = false;
  try {
    await fx.driver.node.nodePublishVolume({ volumeId: fx.fsId, targetPath, volumeCapability, readonly: false });
  } catch {
    refused = true;
  }
  // Today the driver creates <dir>/outside/x through the link and mounts the file system there.
  const outside = readdirSync(join(fx.dir, "outside"));
  const mountedOutside = readMountInfo().some((m) => m.mountPoint === join(fx.dir, "outside", "x"));
  if (!refused) await fx.driver.node.nodeUnpublishVolume({ volumeId: fx.fsId, targetPath });
  expect({ refused, outside, mountedOutside }).toEqual({ refused: true, outside: [], mountedOutside: false });
});
