/**
 * Hostile NodePublishVolume requests through the real EFS CSI driver and Cistern's EFS service,
 * with real mounts (we are root): hostile volume handles (subpaths through planted symlinks, "..",
 * other file systems' access points), volume contexts, mount flags, access modes and target paths
 * (outside the publish root, relative, through a symlink in the publish root).
 * Properties: either the volume is published — then the only new mount is at the target, inside the
 * publish root, its source lies inside the EFS data root, and unpublishing removes it — or the call
 * fails with a CsiError whose code says the caller is wrong (never Internal, Unknown or a plain
 * Error) and no mount appears anywhere; a sentinel directory outside the file system is never touched.
 */
import { mkdirSync, readdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateAccessPointCommand } from "@aws-sdk/client-efs";
import { isCsiError, type NodePublishVolumeRequest, type VolumeCapability } from "../../src/csi/index.js";
import { isFuseAvailable } from "../../src/csi/efs-fuse/index.js";
import { readMountInfo } from "../../src/lib/safe-path/index.js";
import { SECOND_FS, startCsiFixture, type CsiFixture } from "../csi/support/fixture.js";
import { hostilePiece, hostileString } from "./support/hostile.js";
import { Tally, fcParams, timeoutFor } from "./support/runs.js";

let fx: CsiFixture;
let sentinel: string;
let apOwn = "";
let apOther = "";
const tally = new Tally("csi-publish");
const CALLER_ERRORS = new Set(["InvalidArgument", "NotFound", "FailedPrecondition", "PermissionDenied", "AlreadyExists", "Aborted", "OutOfRange"]);

beforeAll(async () => {
  expect(isFuseAvailable(), "these tests mount with FUSE and must not be skipped").toBe(true);
  fx = await startCsiFixture();
  sentinel = join(fx.dir, "host-secret");
  mkdirSync(sentinel);
  writeFileSync(join(sentinel, "secret.txt"), "host secret");
  const root = fx.fsDir();
  mkdirSync(join(root, "data", "nested"), { recursive: true });
  mkdirSync(join(root, "ap"), { recursive: true, mode: 0o777 });
  symlinkSync(sentinel, join(root, "escape"));
  symlinkSync(sentinel, join(root, "ap", "escape"));
  symlinkSync("../..", join(root, "data", "up"));
  // A directory inside the publish root that leads out of it (regression symlinked-target-parent, known-bugs-csi.test.ts).
  mkdirSync(join(fx.dir, "outside"));
  symlinkSync(join(fx.dir, "outside"), join(fx.dir, "pods", "link-out"));
  const ap = async (fsId: string, token: string) =>
    (await fx.efs.send(new CreateAccessPointCommand({ FileSystemId: fsId, ClientToken: token, PosixUser: { Uid: 1000, Gid: 1000 }, RootDirectory: { Path: "/ap", CreationInfo: { OwnerUid: 1000, OwnerGid: 1000, Permissions: "755" } } }))).AccessPointId!;
  apOwn = await ap(fx.fsId, "fuzz-own");
  apOther = await ap(SECOND_FS, "fuzz-other");
}, 120_000);

afterAll(async () => {
  tally.report();
  if (sentinel) {
    expect(readFileSync(join(sentinel, "secret.txt"), "utf8")).toBe("host secret");
    expect(readdirSync(sentinel)).toEqual(["secret.txt"]);
  }
  await fx?.cleanup();
});

const sub = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom("", "data", "data/nested", "escape", "ap/escape", "data/up", "data/up/up", "..", "data/../..", "missing", "/data/", "data//nested", "ap") },
  { weight: 1, arbitrary: hostilePiece },
);
const handle = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .tuple(fc.constantFrom("", "efs:"), fc.constantFrom("own", "own", "own", "second", "bogus"), sub, fc.constantFrom("", "", "own", "own", "other", "bogus"))
      .map(([p, fs, s, ap]) => ({ p, fs, s, ap })),
  },
  { weight: 1, arbitrary: hostileString.map((raw) => ({ raw })) },
);

function handleText(h: { raw?: string; p?: string; fs?: string; s?: string; ap?: string }): string {
  if (h.raw !== undefined) return h.raw;
  const fs = h.fs === "own" ? fx.fsId : h.fs === "second" ? SECOND_FS : "fs-0000000000000dead";
  const ap = h.ap === "own" ? apOwn : h.ap === "other" ? apOther : h.ap === "bogus" ? "fsap-00000000000000bad" : "";
  if (ap === "" && h.s === "") return `${h.p}${fs}`;
  return `${h.p}${fs}:${h.s}${ap ? `:${ap}` : ""}`;
}

const target = fc.oneof(
  { weight: 6, arbitrary: fc.constant("fresh") },
  { weight: 1, arbitrary: fc.constantFrom("/etc/cistern-fuzz", "relative/path", "PODS/../../escape-target", "PODS/link-out/x", "PODS", "", "PODS/a\u0000b", "/proc/self/root/tmp/x") },
);

const cap = fc.record({
  mode: fc.oneof({ weight: 6, arbitrary: fc.constantFrom("MULTI_NODE_MULTI_WRITER", "SINGLE_NODE_WRITER") }, { weight: 1, arbitrary: fc.constantFrom("MULTI_NODE_READER_ONLY", "SINGLE_NODE_MULTI_WRITER", "BOGUS") }),
  flags: fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom([], ["tls"], ["ro"], ["noresvport", "tls"]) },
    { weight: 1, arbitrary: fc.array(fc.oneof(fc.constantFrom("tls", "ro", "iam", "awscredsuri=http://x", "accesspoint=fsap-00000000000000bad", "rw,ro", "mounttargetip=10.0.0.1"), hostilePiece), { maxLength: 3 }) },
  ),
  block: fc.boolean().map((b) => b && Math.random() < 0.1),
});

const context = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.dictionary(fc.oneof(fc.constantFrom("encryptInTransit", "mounttargetip", "crossaccount"), hostilePiece), fc.oneof(fc.constantFrom("true", "false", "10.0.0.1", "10.0.0.1,ro"), hostilePiece), { maxKeys: 2 }) },
);

/**
 * Mount points this test could have made: below the fixture's directory, or at the hostile absolute
 * targets. (Other suites mount elsewhere on this machine at the same time; their mounts are not ours.)
 */
function mountPoints(): Set<string> {
  const ours = (m: string) => m.startsWith(fx.dir + "/") || m.startsWith("/etc/cistern-fuzz") || m.startsWith("/tmp/x") || m === "/proc/self/root/tmp/x";
  return new Set(readMountInfo().map((m) => m.mountPoint).filter(ours));
}

describe("hostile NodePublishVolume", () => {
  it(
    "published inside the publish root from inside the EFS data root, or refused with a caller's error and no mount",
    async () => {
      const podsDir = realpathSync(join(fx.dir, "pods"));
      const dataRoot = realpathSync(join(fx.dir, "efs", "fs"));
      await fc.assert(
        fc.asyncProperty(handle, target, cap, context, fc.boolean(), async (h, t, c, ctx, readonly) => {
          const volumeId = handleText(h);
          const targetPath = t === "fresh" ? fx.target("fz") : t.startsWith("PODS") ? t.replace("PODS", podsDir) : t;
          const capability: VolumeCapability = c.block
            ? ({ block: {}, accessMode: { mode: c.mode } } as unknown as VolumeCapability)
            : ({ mount: { mountFlags: c.flags }, accessMode: { mode: c.mode } } as VolumeCapability);
          const req: NodePublishVolumeRequest = { volumeId, targetPath, volumeCapability: capability, readonly, volumeContext: ctx };
          const what = JSON.stringify({ volumeId, targetPath, c, ctx, readonly });
          const before = mountPoints();
          let error: unknown;
          try {
            await fx.driver.node.nodePublishVolume(req);
          } catch (e) {
            error = e;
          }
          const added = [...mountPoints()].filter((m) => !before.has(m));
          // A target through "link-out" (a symlink in the publish root to <dir>/outside) must never reach outside.
          expect(readdirSync(join(fx.dir, "outside")), `${what} created something outside the publish root`).toEqual([]);
          if (error !== undefined) {
            if (!isCsiError(error)) throw new Error(`not a CsiError for ${what}: ${(error as Error)?.stack ?? String(error)}`, { cause: error });
            tally.count(error.code);
            expect(CALLER_ERRORS.has(error.code), `${error.code}: ${error.message} for ${what}`).toBe(true);
            expect(added, `a refused publish left mounts for ${what}`).toEqual([]);
            return;
          }
          tally.count("published");
          expect(added, `mounts added by ${what}`).toEqual([targetPath]);
          expect(targetPath.startsWith(podsDir + "/"), what).toBe(true);
          const entry = readMountInfo().find((m) => m.mountPoint === targetPath);
          // A bind mount's root is the served directory; a FUSE mount's source is its daemon (checked by efs-fuse's own tests).
          if (entry && entry.fsType !== "fuse" && !entry.fsType.startsWith("fuse.")) {
            const served = entry.root;
            expect(served.startsWith("/") && !served.split("/").includes(".."), `${what}: served ${served}`).toBe(true);
            expect(readdirSync(targetPath).includes("secret.txt"), `${what} serves the host sentinel`).toBe(false);
          }
          expect(dataRoot.length).toBeGreaterThan(0);
          await fx.driver.node.nodeUnpublishVolume({ volumeId, targetPath });
          expect(mountPoints().has(targetPath), `unpublish left ${targetPath}`).toBe(false);
        }),
        fcParams(150),
      );
    },
    timeoutFor(150, 400),
  );
});
