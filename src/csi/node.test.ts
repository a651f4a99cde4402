/**
 * The node service's handling of the target directory, with a scripted mounter that makes real
 * mounts (we are root): a mount that lands on the target is recorded; one that lands elsewhere
 * (what a parent swapped for a symlink between our open and the mounter's mount(2) would cause) is
 * removed and the publish refused; unpublishing through a link never calls the mounter.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, renameSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "../lib/log.js";
import { readMountInfo } from "../lib/safe-path/index.js";
import { KeyedMutex } from "./keyed-mutex.js";
import { CsiMetrics } from "./metrics.js";
import type { NodeMounter, PublishSpec } from "./mounter.js";
import { createNodeService } from "./node.js";
import { PublishState, type PublishRecord } from "./publish-state.js";
import { csiError, isCsiError, type NodeService, type VolumeCapability } from "./spec.js";
import { VolumeStatsCache } from "./volume-stats.js";

const cap: VolumeCapability = { mount: {}, accessMode: { mode: "MULTI_NODE_MULTI_WRITER" } };
const FS = "fs-0123456789abcdef0";

let base: string;
let root: string;
let served: string;
let outside: string;

/** Bind-mounts `served` where `redirect` says (default: the target itself), like a mounter whose mount(2) re-resolved the path. */
class ScriptedMounter implements NodeMounter {
  readonly name = "scripted";
  redirect?: (target: string) => string;
  /** Fail after mounting, as a mounter whose own check or cleanup went wrong would. */
  failWith?: Error;
  published: string[] = [];
  unpublished: string[] = [];

  async publish(spec: PublishSpec): Promise<PublishRecord> {
    const at = this.redirect ? this.redirect(spec.targetPath) : spec.targetPath;
    execFileSync("mount", ["--bind", served, at]);
    this.published.push(at);
    if (this.failWith) throw this.failWith;
    return { volumeId: spec.volumeId, targetPath: spec.targetPath, servedBy: "bind", fileSystemId: spec.fileSystemId, hostPath: served, readOnly: false, publishedAt: "now" };
  }

  async unpublish(rec: PublishRecord): Promise<void> {
    this.unpublished.push(rec.targetPath);
    if (readMountInfo().some((m) => m.mountPoint === rec.targetPath)) execFileSync("umount", [rec.targetPath]);
  }

  async reportIo(): Promise<undefined> {
    return undefined;
  }

  async unmountUnknown(targetPath: string): Promise<void> {
    execFileSync("umount", [targetPath]);
  }
}

let mounter: ScriptedMounter;
let node: NodeService;

beforeEach(() => {
  base = realpathSync(mkdtempSync(join(tmpdir(), "csi-node-")));
  root = join(base, "pods");
  served = join(base, "efs", FS);
  outside = join(base, "outside");
  for (const d of [root, served, join(outside, "mount")]) mkdirSync(d, { recursive: true });
  mounter = new ScriptedMounter();
  node = createNodeService({
    nodeId: "n1",
    mounter,
    state: new PublishState(join(base, "state")),
    locks: new KeyedMutex(),
    stats: new VolumeStatsCache(),
    publishRoot: root,
    dataRoot: join(base, "efs"),
    metrics: new CsiMetrics(),
    log: createLogger("csi-node-test"),
  });
});

afterEach(() => {
  for (const m of readMountInfo().filter((x) => x.mountPoint.startsWith(base + "/")).reverse()) execFileSync("umount", ["-l", m.mountPoint]);
  rmSync(base, { recursive: true, force: true });
});

function mountsBelow(dir: string): string[] {
  return readMountInfo()
    .map((m) => m.mountPoint)
    .filter((p) => p === dir || p.startsWith(dir + "/"));
}

async function failure(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error("expected a failure");
    },
    (e: unknown) => e,
  );
}

describe("NodePublishVolume with a mounter that mounts by path", () => {
  it("records a mount that landed on the target and removes it on unpublish", async () => {
    const targetPath = join(root, "pod", "mount");
    await node.nodePublishVolume({ volumeId: FS, targetPath, volumeCapability: cap, readonly: false });
    expect(mountsBelow(base)).toEqual([targetPath]);
    await node.nodeUnpublishVolume({ volumeId: FS, targetPath });
    expect(mountsBelow(base)).toEqual([]);
    expect(existsSync(targetPath)).toBe(false);
  });

  it("removes a mount that landed outside the publish root and refuses with InvalidArgument", async () => {
    const targetPath = join(root, "pod", "mount");
    mounter.redirect = () => join(outside, "mount");
    const e = await failure(node.nodePublishVolume({ volumeId: FS, targetPath, volumeCapability: cap, readonly: false }));
    expect(isCsiError(e, "InvalidArgument"), String(e)).toBe(true);
    expect(mounter.published).toEqual([join(outside, "mount")]);
    expect(mounter.unpublished).toEqual([targetPath]); // the EFS side is released too
    expect(mountsBelow(base)).toEqual([]);
    expect(existsSync(targetPath)).toBe(false);
    expect(readdirSync(outside)).toEqual(["mount"]);
    // Nothing was recorded: the target can be published normally afterwards.
    mounter.redirect = undefined;
    await node.nodePublishVolume({ volumeId: FS, targetPath, volumeCapability: cap, readonly: false });
    expect(mountsBelow(base)).toEqual([targetPath]);
  });

  it("refuses a mount that landed on another directory inside the root", async () => {
    const targetPath = join(root, "pod", "mount");
    const elsewhere = join(root, "other", "mount");
    mkdirSync(elsewhere, { recursive: true });
    mounter.redirect = () => elsewhere;
    const e = await failure(node.nodePublishVolume({ volumeId: FS, targetPath, volumeCapability: cap, readonly: false }));
    expect(isCsiError(e, "InvalidArgument"), String(e)).toBe(true);
    expect(mountsBelow(join(root, "pod"))).toEqual([]);
    // A new mount inside the root cannot be told from another target's publish, so it is left to the mounter's cleanup.
    expect(mounter.unpublished).toEqual([targetPath]);
  });
});

describe("NodePublishVolume with a mounter that fails", () => {
  it("removes a mount it left outside the publish root after a local failure", async () => {
    const targetPath = join(root, "pod", "mount");
    mounter.redirect = () => join(outside, "mount");
    mounter.failWith = new Error("bind mount is not the opened object");
    const e = await failure(node.nodePublishVolume({ volumeId: FS, targetPath, volumeCapability: cap, readonly: false }));
    expect(e).toBe(mounter.failWith); // no rename happened: the failure stays the mounter's
    expect(mountsBelow(base)).toEqual([]);
    expect(existsSync(targetPath)).toBe(false);
  });

  it("calls it the caller's doing when the path was renamed meanwhile, and removes the half-done mount on the target", async () => {
    const targetPath = join(root, "pod", "mount");
    mounter.redirect = () => {
      renameSync(join(root, "pod"), join(root, "pod-moved"));
      return join(root, "pod-moved", "mount");
    };
    mounter.failWith = csiError("Internal", "no mount appeared");
    const e = await failure(node.nodePublishVolume({ volumeId: FS, targetPath, volumeCapability: cap, readonly: false }));
    expect(isCsiError(e, "InvalidArgument"), String(e)).toBe(true);
    expect(mountsBelow(base)).toEqual([]);
    expect(mounter.published).toEqual([join(root, "pod-moved", "mount")]);
  });

  it("leaves mounts elsewhere alone when EFS refused (another node may be publishing the same file system)", async () => {
    const targetPath = join(root, "pod", "mount");
    mounter.redirect = () => join(outside, "mount"); // stands in for another node's mount made meanwhile
    mounter.failWith = csiError("PermissionDenied", "ClientMount is not allowed");
    const e = await failure(node.nodePublishVolume({ volumeId: FS, targetPath, volumeCapability: cap, readonly: false }));
    expect(isCsiError(e, "PermissionDenied"), String(e)).toBe(true);
    expect(mountsBelow(base)).toEqual([join(outside, "mount")]);
  });
});

describe("NodeUnpublishVolume through a link", () => {
  it("is refused without calling the mounter, and the mount outside stays", async () => {
    const targetPath = join(root, "pod", "mount");
    await node.nodePublishVolume({ volumeId: FS, targetPath, volumeCapability: cap, readonly: false });
    // The pod directory is replaced by a link to a directory outside that has a mount of its own.
    execFileSync("mount", ["-t", "tmpfs", "tmpfs", join(outside, "mount")]);
    const podDir = join(root, "pod");
    execFileSync("umount", [targetPath]);
    rmSync(podDir, { recursive: true });
    symlinkSync(outside, podDir);
    const e = await failure(node.nodeUnpublishVolume({ volumeId: FS, targetPath }));
    expect(isCsiError(e, "InvalidArgument"), String(e)).toBe(true);
    expect(mounter.unpublished).toEqual([]);
    expect(mountsBelow(outside)).toEqual([join(outside, "mount")]);
  });
});
