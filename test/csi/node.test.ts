/**
 * The node service with real mounts (we are root): the four static handle forms, access point
 * identity through efs-fuse, read-only by request and by file system policy, idempotency, restart,
 * volume stats, and hostile handles / subpaths / options that must be refused or contained, with a
 * sentinel outside the volume that must never be read, written or deleted.
 */
import { chownSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateAccessPointCommand } from "@aws-sdk/client-efs";
import { isCsiError, type NodePublishVolumeRequest } from "../../src/csi/index.js";
import { isFuseAvailable } from "../../src/csi/efs-fuse/index.js";
import { readMountInfo } from "../../src/lib/safe-path/index.js";
import { ACCOUNT, mountCap, startCsiFixture, type CsiFixture } from "./support/fixture.js";

let fx: CsiFixture;
let sentinelDir: string;

beforeAll(async () => {
  // These tests need FUSE: fail loudly rather than skip when the machine cannot do it.
  expect(isFuseAvailable()).toBe(true);
  fx = await startCsiFixture();
  sentinelDir = join(fx.dir, "host-secret");
  mkdirSync(sentinelDir);
  writeFileSync(join(sentinelDir, "secret.txt"), "host secret");
  const root = fx.fsDir();
  mkdirSync(join(root, "static", "app"), { recursive: true });
  writeFileSync(join(root, "top.txt"), "fs root");
  writeFileSync(join(root, "static", "app", "which.txt"), "static/app");
  mkdirSync(join(root, "ap-root", "nested"), { recursive: true, mode: 0o777 });
  writeFileSync(join(root, "ap-root", "which.txt"), "ap-root");
  writeFileSync(join(root, "ap-root", "nested", "which.txt"), "ap-root/nested");
  chownSync(join(root, "ap-root"), 4242, 4343);
  // Planted by a tenant: links that lead out of the file system.
  symlinkSync(sentinelDir, join(root, "escape"));
  symlinkSync(sentinelDir, join(root, "ap-root", "escape"));
});

afterAll(async () => {
  if (sentinelDir) expect(readFileSync(join(sentinelDir, "secret.txt"), "utf8")).toBe("host secret");
  if (sentinelDir) expect(readdirSync(sentinelDir)).toEqual(["secret.txt"]);
  await fx?.cleanup();
});

function publishReq(volumeId: string, targetPath: string, over: Partial<NodePublishVolumeRequest> = {}): NodePublishVolumeRequest {
  return { volumeId, targetPath, volumeCapability: mountCap(), readonly: false, ...over };
}

function mountAt(target: string) {
  return readMountInfo().find((m) => m.mountPoint === target);
}

async function failure(p: Promise<unknown>) {
  const e = await p.then(() => undefined, (err: unknown) => err);
  if (!e) throw new Error("expected a failure");
  return e as Error & { code: string };
}

async function accessPoint(token: string, path: string, uid: number, gid: number): Promise<string> {
  const res = await fx.efs.send(
    new CreateAccessPointCommand({ FileSystemId: fx.fsId, ClientToken: token, PosixUser: { Uid: uid, Gid: gid }, RootDirectory: { Path: path, CreationInfo: { OwnerUid: uid, OwnerGid: gid, Permissions: "755" } } }),
  );
  return res.AccessPointId!;
}

async function withPublished<T>(volumeId: string, over: Partial<NodePublishVolumeRequest>, fn: (target: string) => Promise<T> | T): Promise<T> {
  const target = fx.target("vol");
  await fx.driver.node.nodePublishVolume(publishReq(volumeId, target, over));
  try {
    return await fn(target);
  } finally {
    await fx.driver.node.nodeUnpublishVolume({ volumeId, targetPath: target });
    expect(mountAt(target)).toBeUndefined();
    expect(existsSync(target)).toBe(false);
  }
}

describe("static handles", () => {
  it("fs-ID mounts the file system root (bind mount, no policy)", async () => {
    await withPublished(fx.fsId, {}, (t) => {
      expect(readFileSync(join(t, "top.txt"), "utf8")).toBe("fs root");
      expect(mountAt(t)?.fsType).not.toMatch(/fuse/);
      writeFileSync(join(t, "written-through-bind"), "w");
    });
    expect(existsSync(join(fx.fsDir(), "written-through-bind"))).toBe(true);
  });

  it("fs-ID:SUBPATH mounts that directory", async () => {
    await withPublished(`${fx.fsId}:/static/app`, {}, (t) => expect(readFileSync(join(t, "which.txt"), "utf8")).toBe("static/app"));
    await withPublished(`efs:${fx.fsId}:static/app`, {}, (t) => expect(readFileSync(join(t, "which.txt"), "utf8")).toBe("static/app"));
  });

  it("fs-ID::fsap-ID mounts the access point root through efs-fuse with its identity", async () => {
    const ap = await accessPoint("node-ap-1", "/ap-root", 4242, 4343);
    await withPublished(`${fx.fsId}::${ap}`, {}, (t) => {
      expect(mountAt(t)?.fsType).toBe("fuse.efs");
      expect(readFileSync(join(t, "which.txt"), "utf8")).toBe("ap-root");
      writeFileSync(join(t, "made-by-pod"), "x");
    });
    const st = statSync(join(fx.fsDir(), "ap-root", "made-by-pod"));
    expect([st.uid, st.gid]).toEqual([4242, 4343]);
  });

  it("fs-ID:SUBPATH:fsap-ID mounts the subpath below the access point root", async () => {
    const ap = await accessPoint("node-ap-2", "/ap-root", 4242, 4343);
    await withPublished(`efs:${fx.fsId}:/nested:${ap}`, {}, (t) => expect(readFileSync(join(t, "which.txt"), "utf8")).toBe("ap-root/nested"));
  });

  it("creates a missing access point root from CreationInfo at first publish", async () => {
    const ap = await accessPoint("node-ap-lazy", "/lazy/root", 5000, 5001);
    await withPublished(`${fx.fsId}::${ap}`, {}, (t) => writeFileSync(join(t, "f"), "x"));
    const st = statSync(join(fx.fsDir(), "lazy", "root"));
    expect([st.uid, st.gid, st.mode & 0o777]).toEqual([5000, 5001, 0o755]);
  });
});

describe("read-only", () => {
  it("honours readonly in the request and reader-only access modes", async () => {
    for (const over of [{ readonly: true }, { volumeCapability: mountCap("MULTI_NODE_READER_ONLY") }] as Partial<NodePublishVolumeRequest>[]) {
      await withPublished(`${fx.fsId}:/static`, over, (t) => {
        expect(readFileSync(join(t, "app", "which.txt"), "utf8")).toBe("static/app");
        expect(() => writeFileSync(join(t, "nope"), "x")).toThrow(/EROFS|read-only/);
      });
    }
  });

  it("mounts read-only for a principal the file system policy gives no ClientWrite (iam mount)", async () => {
    const reader = `arn:aws:iam::${ACCOUNT}:role/reader`;
    const writer = `arn:aws:iam::${ACCOUNT}:role/writer`;
    await fx.putPolicy({
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Principal: { AWS: [reader, writer] }, Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientRootAccess"], Resource: "*" },
        { Effect: "Allow", Principal: { AWS: writer }, Action: "elasticfilesystem:ClientWrite", Resource: "*" },
      ],
    });
    try {
      const iam = (principalArn?: string): Partial<NodePublishVolumeRequest> => ({ volumeCapability: mountCap("MULTI_NODE_MULTI_WRITER", ["iam", "tls"]), principalArn });
      await withPublished(`${fx.fsId}:/static`, iam(reader), (t) => {
        expect(readFileSync(join(t, "app", "which.txt"), "utf8")).toBe("static/app");
        expect(() => writeFileSync(join(t, "by-reader"), "x")).toThrow(/EROFS|read-only/);
      });
      await withPublished(`${fx.fsId}:/static`, iam(writer), (t) => writeFileSync(join(t, "by-writer"), "x"));
      expect(existsSync(join(fx.fsDir(), "static", "by-writer"))).toBe(true);
      // Without the iam option the client is anonymous, whom this policy does not let mount at all.
      const denied = await failure(fx.driver.node.nodePublishVolume(publishReq(`${fx.fsId}:/static`, fx.target("anon"), { principalArn: writer })));
      expect(isCsiError(denied, "PermissionDenied")).toBe(true);
      const noRole = await failure(fx.driver.node.nodePublishVolume(publishReq(`${fx.fsId}:/static`, fx.target("norole"), iam(undefined))));
      expect(isCsiError(noRole, "InvalidArgument") && noRole.message).toMatch(/eks.amazonaws.com\/role-arn/);
    } finally {
      await fx.efs.send(new (await import("@aws-sdk/client-efs")).DeleteFileSystemPolicyCommand({ FileSystemId: fx.fsId }));
    }
  });
});

describe("idempotency and restart", () => {
  it("publishing twice and unpublishing twice succeed; another volume at the same target is AlreadyExists", async () => {
    const target = fx.target("twice");
    const req = publishReq(`${fx.fsId}:/static`, target);
    await fx.driver.node.nodePublishVolume(req);
    await fx.driver.node.nodePublishVolume(req);
    expect(readMountInfo().filter((m) => m.mountPoint === target)).toHaveLength(1);
    const other = await failure(fx.driver.node.nodePublishVolume(publishReq(`${fx.fsId}:/static/app`, target)));
    expect(isCsiError(other, "AlreadyExists")).toBe(true);
    await fx.driver.node.nodeUnpublishVolume({ volumeId: req.volumeId, targetPath: target });
    await fx.driver.node.nodeUnpublishVolume({ volumeId: req.volumeId, targetPath: target });
    expect(mountAt(target)).toBeUndefined();
    expect(existsSync(target)).toBe(false);
  });

  it("unpublishes after a driver restart and releases the EFS mount", async () => {
    const ap = await accessPoint("node-ap-restart", "/ap-root", 4242, 4343);
    const volumeId = `${fx.fsId}::${ap}`;
    const target = fx.target("restart");
    await fx.driver.node.nodePublishVolume(publishReq(volumeId, target));
    expect(fx.svc.model.mounts.list({ nodeId: "node-1" }).some((m) => m.apId === ap)).toBe(true);
    fx.restartDriver();
    await fx.driver.node.nodePublishVolume(publishReq(volumeId, target));
    await fx.driver.node.nodeUnpublishVolume({ volumeId, targetPath: target });
    expect(mountAt(target)).toBeUndefined();
    expect(fx.svc.model.mounts.list({ nodeId: "node-1" }).some((m) => m.apId === ap)).toBe(false);
  });
});

describe("volume stats", () => {
  it("reports used bytes and inodes of the volume and the real disk's capacity", async () => {
    const dir = join(fx.fsDir(), "stats");
    mkdirSync(join(dir, "d"), { recursive: true });
    writeFileSync(join(dir, "d", "big"), Buffer.alloc(256 * 1024, 1));
    symlinkSync(sentinelDir, join(dir, "link-out"));
    await withPublished(`${fx.fsId}:/stats`, {}, async (t) => {
      const s = await fx.driver.node.nodeGetVolumeStats({ volumeId: `${fx.fsId}:/stats`, volumePath: t });
      const bytes = s.usage.find((u) => u.unit === "BYTES")!;
      const inodes = s.usage.find((u) => u.unit === "INODES")!;
      expect(bytes.used).toBeGreaterThanOrEqual(256 * 1024);
      expect(bytes.used).toBeLessThan(2 * 1024 * 1024);
      expect(inodes.used).toBe(4);
      expect(bytes.total).toBeGreaterThan(0);
      expect(bytes.total).toBeLessThan(2 ** 60);
      expect(bytes.available).toBeLessThanOrEqual(bytes.total);
      expect(s.volumeCondition).toEqual({ abnormal: false, message: "volume is mounted and answering" });
      expect(isCsiError(await failure(fx.driver.node.nodeGetVolumeStats({ volumeId: "fs-00000000", volumePath: t })), "NotFound")).toBe(true);
    });
  });

  it("answers node info and capabilities", async () => {
    expect(await fx.driver.node.nodeGetInfo()).toEqual({ nodeId: "node-1", maxVolumesPerNode: 0 });
    const caps = (await fx.driver.node.nodeGetCapabilities()).capabilities.map((c) => c.rpc.type);
    expect(caps).toContain("GET_VOLUME_STATS");
    expect(caps).not.toContain("STAGE_UNSTAGE_VOLUME");
  });
});

describe("hostile input is refused or contained", () => {
  async function refused(volumeId: string, over: Partial<NodePublishVolumeRequest> = {}): Promise<Error & { code: string }> {
    const target = fx.target("hostile");
    const e = await failure(fx.driver.node.nodePublishVolume(publishReq(volumeId, target, over)));
    expect(mountAt(target)).toBeUndefined();
    expect(existsSync(target)).toBe(false);
    return e;
  }

  it("refuses handles with .., absolute escapes and injected options", async () => {
    for (const id of [`${fx.fsId}:../..`, `${fx.fsId}:/static/../../..`, `${fx.fsId}::fsap-0123456789abcdef0,rw`, `${fx.fsId}:a\u0000b`, `${fx.fsId},ro`]) {
      expect(isCsiError(await refused(id), "InvalidArgument"), id).toBe(true);
    }
  });

  it("refuses a subpath that is a planted symlink, or missing, without reading the target", async () => {
    const e1 = await refused(`${fx.fsId}:/escape`);
    expect(isCsiError(e1, "FailedPrecondition") && e1.message).toMatch(/symbolic link/);
    const ap = await accessPoint("node-ap-hostile", "/ap-root", 4242, 4343);
    const e2 = await refused(`${fx.fsId}:/escape:${ap}`);
    expect(isCsiError(e2, "FailedPrecondition")).toBe(true);
    const e3 = await refused(`${fx.fsId}:/does/not/exist`);
    expect(isCsiError(e3, "FailedPrecondition") && e3.message).toMatch(/does not exist/);
  });

  it("serves a symlink inside a volume as a link (resolved in the pod's own view), never followed by the file server", async () => {
    await withPublished(`${fx.fsId}::${await accessPoint("node-ap-link", "/ap-root", 4242, 4343)}`, {}, (t) => {
      expect(lstatSync(join(t, "escape")).isSymbolicLink()).toBe(true);
    });
  });

  it("refuses mount option injection, unknown volume attributes, and conflicting access points", async () => {
    const ap = await accessPoint("node-ap-opts", "/ap-root", 4242, 4343);
    expect(isCsiError(await refused(fx.fsId, { volumeCapability: mountCap("MULTI_NODE_MULTI_WRITER", ["tls,exec=/bin/sh"]) }), "InvalidArgument")).toBe(true);
    expect(isCsiError(await refused(fx.fsId, { volumeCapability: mountCap("MULTI_NODE_MULTI_WRITER", ["cafile=/etc/shadow"]) }), "InvalidArgument")).toBe(true);
    expect(isCsiError(await refused(fx.fsId, { volumeContext: { path: "/etc" } }), "InvalidArgument")).toBe(true);
    const conflict = await refused(`${fx.fsId}::${ap}`, { volumeCapability: mountCap("MULTI_NODE_MULTI_WRITER", ["accesspoint=fsap-0000000000000beef"]) });
    expect(isCsiError(conflict, "InvalidArgument") && conflict.message).toMatch(/conflicting access point IDs/);
    const tls = await refused(fx.fsId, { volumeContext: { encryptInTransit: "false" }, volumeCapability: mountCap("MULTI_NODE_MULTI_WRITER", ["tls"]) });
    expect(isCsiError(tls, "InvalidArgument")).toBe(true);
  });

  it("refuses target paths outside the publish root or not normalised", async () => {
    for (const targetPath of [join(sentinelDir, "mnt"), `${fx.dir}/pods/../host-secret`, "relative/path", "/"]) {
      const e = await failure(fx.driver.node.nodePublishVolume(publishReq(fx.fsId, targetPath)));
      expect(isCsiError(e, "InvalidArgument"), targetPath).toBe(true);
    }
    expect(mountAt(join(sentinelDir, "mnt"))).toBeUndefined();
  });
});
