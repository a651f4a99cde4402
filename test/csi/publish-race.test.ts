/**
 * Symlink-swap race against NodePublishVolume through the real driver and EFS service (real bind
 * mounts, we are root): an attacker thread keeps swapping the target's parent inside the publish
 * root between the real directory and a symlink to a sentinel directory outside it, which already
 * has a directory of the target's name (so a redirected mount would have somewhere to land).
 * After every attempt (the attacker paused): the sentinel has no mount and no new entry, every
 * mount the attempt left is at the target inside the publish root, a refusal is a caller's error
 * and left no mount, and a publish can be unpublished. Bind mounts (file system root) and efs-fuse
 * mounts (an access point) both take the target as a path string, so both are raced.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { CreateAccessPointCommand } from "@aws-sdk/client-efs";
import { isCsiError } from "../../src/csi/index.js";
import { readMountInfo } from "../../src/lib/safe-path/index.js";
import { mountCap, startCsiFixture, type CsiFixture } from "./support/fixture.js";
import { startSwapper, type Swapper } from "./support/swapper.js";

const ATTEMPTS = 3000;
/** Stop early when this much time is spent (the race is about coverage, not about speed); up to 3x while an outcome is unseen. */
const BUDGET_MS = 20_000;
/** Each efs-fuse publish starts a daemon: fewer attempts fit. */
const FUSE_BUDGET_MS = 10_000;
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

/** Publish `volumeId` at the racing target until ATTEMPTS or the budget is spent, checking the properties after each attempt. */
async function race(volumeId: string, budgetMs: number): Promise<Record<string, number>> {
  const targetPath = join(raceDir, "vol", "mount");
  const seen: Record<string, number> = { published: 0 };
  const started = Date.now();
  const bothSeen = () => seen.published > 0 && (seen.InvalidArgument ?? 0) > 0;
  const goOn = (i: number) => {
    const spent = Date.now() - started;
    return (i < ATTEMPTS && spent < budgetMs) || (!bothSeen() && spent < 3 * budgetMs);
  };
  for (let i = 0; goOn(i); i++) {
    swapper!.resume();
    let error: unknown;
    try {
      await fx.driver.node.nodePublishVolume({ volumeId, targetPath, volumeCapability: mountCap(), readonly: false });
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
      await fx.driver.node.nodeUnpublishVolume({ volumeId, targetPath });
    } else {
      if (!isCsiError(error)) throw error;
      seen[error.code] = (seen[error.code] ?? 0) + 1;
      expect(CALLER_ERRORS.has(error.code), `attempt ${i}: ${error.code}: ${error.message}`).toBe(true);
    }
    expect(mountsBelow(fx.dir), `attempt ${i}: mounts left (${String(error)})`).toEqual([]);
    // The driver may have created "vol" while the attacker had it renamed away (mkdir -p of a missing
    // parent); such a directory blocks the attacker's renames, so it is removed to let the race go on.
    if (stuck) rmSync(join(raceDir, "vol"), { recursive: true });
  }
  console.log(`publish race ${volumeId}: ${JSON.stringify(seen)}`);
  return seen;
}

it(
  "a parent swapped for a symlink out of the publish root never gets the target created or mounted outside (bind mounts)",
  async () => {
    const seen = await race(fx.fsId, BUDGET_MS);
    expect(seen.published, JSON.stringify(seen)).toBeGreaterThan(0);
    expect(seen.InvalidArgument ?? 0, JSON.stringify(seen)).toBeGreaterThan(0);
  },
  90_000,
);

it(
  "the same holds for efs-fuse mounts (access point)",
  async () => {
    const ap = await fx.efs.send(
      new CreateAccessPointCommand({ FileSystemId: fx.fsId, ClientToken: "race", PosixUser: { Uid: 1000, Gid: 1000 }, RootDirectory: { Path: "/race", CreationInfo: { OwnerUid: 1000, OwnerGid: 1000, Permissions: "755" } } }),
    );
    const volumeId = `${fx.fsId}::${ap.AccessPointId}`;
    const seen = await race(volumeId, FUSE_BUDGET_MS);
    expect(seen.InvalidArgument ?? 0, JSON.stringify(seen)).toBeGreaterThan(0);
    const swaps = await swapper!.stop();
    swapper = undefined;
    expect(swaps).toBeGreaterThan(0);
    // With the attacker gone the same target publishes: the refusals above were the race's doing.
    const targetPath = join(raceDir, "vol", "mount");
    await fx.driver.node.nodePublishVolume({ volumeId, targetPath, volumeCapability: mountCap(), readonly: false });
    expect(mountsBelow(fx.dir)).toEqual([targetPath]);
    await fx.driver.node.nodeUnpublishVolume({ volumeId, targetPath });
    expect(mountsBelow(fx.dir)).toEqual([]);
  },
  90_000,
);
