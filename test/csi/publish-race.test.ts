/**
 * Symlink-swap race against NodePublishVolume through the real driver and EFS service (real bind
 * mounts, we are root): an attacker thread keeps swapping the target's parent inside the publish
 * root between the real directory and a symlink to a sentinel directory outside it, which already
 * has a directory of the target's name (so a redirected mount would have somewhere to land).
 * After every attempt (the attacker paused): the sentinel has no mount and no new entry, every
 * mount the attempt left is at the target inside the publish root, a refusal is a caller's error
 * and left no mount, and a publish can be unpublished.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { isCsiError } from "../../src/csi/index.js";
import { readMountInfo } from "../../src/lib/safe-path/index.js";
import { mountCap, startCsiFixture, type CsiFixture } from "./support/fixture.js";
import { startSwapper, type Swapper } from "./support/swapper.js";

const ATTEMPTS = 3000;
/** Stop early when this much time is spent (the race is about coverage, not about speed). */
const BUDGET_MS = 20_000;
const CALLER_ERRORS = new Set(["InvalidArgument", "FailedPrecondition", "AlreadyExists", "Aborted"]);

let fx: CsiFixture;
let swapper: Swapper | undefined;
let sentinel: string;
let raceDir: string;

beforeAll(async () => {
  fx = await startCsiFixture();
  sentinel = join(fx.dir, "sentinel");
  mkdirSync(join(sentinel, "mount"), { recursive: true });
  writeFileSync(join(sentinel, "secret.txt"), "host secret");
  raceDir = join(fx.dir, "pods", "race");
  mkdirSync(join(raceDir, "vol"), { recursive: true });
  swapper = await startSwapper(raceDir, "vol", sentinel);
});

afterAll(async () => {
  if (swapper) await swapper.stop();
  await fx?.cleanup();
});

function mountsBelow(dir: string): string[] {
  return readMountInfo()
    .map((m) => m.mountPoint)
    .filter((p) => p === dir || p.startsWith(dir + "/"));
}

it(
  "a parent swapped for a symlink out of the publish root never gets the target created or mounted outside",
  async () => {
    const targetPath = join(raceDir, "vol", "mount");
    const seen: Record<string, number> = { published: 0 };
    const started = Date.now();
    for (let i = 0; i < ATTEMPTS && Date.now() - started < BUDGET_MS; i++) {
      swapper!.resume();
      let error: unknown;
      try {
        await fx.driver.node.nodePublishVolume({ volumeId: fx.fsId, targetPath, volumeCapability: mountCap(), readonly: false });
      } catch (e) {
        error = e;
      }
      const stuck = swapper!.pause();
      expect(mountsBelow(sentinel), `attempt ${i}: a mount outside the publish root (${String(error)})`).toEqual([]);
      expect(readdirSync(sentinel).sort(), `attempt ${i}: an entry outside the publish root`).toEqual(["mount", "secret.txt"]);
      expect(readdirSync(join(sentinel, "mount")), `attempt ${i}: an entry outside the publish root`).toEqual([]);
      if (error === undefined) {
        seen.published++;
        expect(mountsBelow(fx.dir), `attempt ${i}: mounts after a publish`).toEqual([targetPath]);
        await fx.driver.node.nodeUnpublishVolume({ volumeId: fx.fsId, targetPath });
      } else {
        if (!isCsiError(error)) throw error;
        seen[error.code] = (seen[error.code] ?? 0) + 1;
        expect(CALLER_ERRORS.has(error.code), `attempt ${i}: ${error.code}: ${error.message}`).toBe(true);
      }
      expect(mountsBelow(fx.dir), `attempt ${i}: mounts left (${String(error)}): ${JSON.stringify(readMountInfo().filter((m) => m.mountPoint.startsWith(fx.dir)))}`).toEqual([]);
      // The driver may have created "vol" while the attacker had it renamed away (mkdir -p of a missing
      // parent); such a directory blocks the attacker's renames, so it is removed to let the race go on.
      if (stuck) rmSync(join(raceDir, "vol"), { recursive: true });
    }
    const swaps = await swapper!.stop();
    swapper = undefined;
    expect(swaps).toBeGreaterThan(0);
    expect(seen.published, JSON.stringify(seen)).toBeGreaterThan(0);
    expect(seen.InvalidArgument ?? 0, JSON.stringify(seen)).toBeGreaterThan(0);
    console.log(`publish race: ${JSON.stringify(seen)} in ${Object.values(seen).reduce((a, b) => a + b, 0)} attempts, ${swaps} swap rounds`);
  },
  90_000,
);
