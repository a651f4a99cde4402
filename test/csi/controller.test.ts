/**
 * The controller service against Cistern's real EFS service through the real SDK: dynamic
 * provisioning, GID uniqueness, idempotency, deletion of access points and their directories, and
 * every deletion safety rule with a sentinel outside the volume that must survive.
 */
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateAccessPointCommand, DescribeAccessPointsCommand, TagResourceCommand } from "@aws-sdk/client-efs";
import { DELETE_ROOT_DIR_TAG, isCsiError, parseVolumeHandle, type CreateVolumeRequest } from "../../src/csi/index.js";
import { ACCOUNT, SECOND_FS, mountCap, startCsiFixture, type CsiFixture } from "./support/fixture.js";

let fx: CsiFixture;

beforeAll(async () => {
  fx = await startCsiFixture();
});
afterAll(async () => {
  await fx?.cleanup();
});

function request(name: string, params: Record<string, string> = {}): CreateVolumeRequest {
  return {
    name,
    capacityRange: { requiredBytes: 5 * 2 ** 30 },
    volumeCapabilities: [mountCap()],
    parameters: { provisioningMode: "efs-ap", fileSystemId: fx.fsId, ...params },
  };
}

async function describeAp(apId: string) {
  const res = await fx.efs.send(new DescribeAccessPointsCommand({ AccessPointId: apId }));
  return res.AccessPoints![0];
}

async function apExists(apId: string): Promise<boolean> {
  try {
    await describeAp(apId);
    return true;
  } catch (e) {
    if ((e as Error).name === "AccessPointNotFound") return false;
    throw e;
  }
}

async function create(name: string, params: Record<string, string> = {}) {
  const res = await fx.driver.controller.createVolume(request(name, params));
  const h = parseVolumeHandle(res.volume.volumeId);
  return { volumeId: res.volume.volumeId, apId: h.accessPointId!, res, ap: await describeAp(h.accessPointId!) };
}

async function failure(p: Promise<unknown>) {
  const e = await p.then(() => undefined, (err: unknown) => err);
  if (!e) throw new Error("expected a failure");
  return e as Error & { code: string };
}

/** A sentinel file outside every volume; tests check it is never read, written or deleted. */
function sentinel(): { dir: string; file: string; check(): void } {
  const dir = join(fx.dir, `outside-${Math.random().toString(16).slice(2)}`);
  mkdirSync(dir);
  const file = join(dir, "sentinel.txt");
  writeFileSync(file, "keep me");
  return { dir, file, check: () => expect(readFileSync(file, "utf8")).toBe("keep me") };
}

describe("CreateVolume", () => {
  it("provisions 100 volumes concurrently as 100 access points with distinct GIDs", async () => {
    const made = await Promise.all(Array.from({ length: 100 }, (_, i) => create(`pvc-burst-${i}`, { basePath: "/burst" })));
    const aps = new Set(made.map((m) => m.apId));
    const gids = made.map((m) => m.ap.PosixUser!.Gid);
    expect(aps.size).toBe(100);
    expect(new Set(gids).size).toBe(100);
    for (const m of made) {
      expect(m.ap.PosixUser!.Uid).toBe(m.ap.PosixUser!.Gid);
      expect(m.ap.PosixUser!.Gid).toBeGreaterThanOrEqual(50000);
      expect(m.ap.RootDirectory).toEqual({ Path: `/burst/${m.ap.ClientToken}`, CreationInfo: { OwnerUid: m.ap.PosixUser!.Uid, OwnerGid: m.ap.PosixUser!.Gid, Permissions: "700" } });
      expect(m.volumeId).toBe(`efs:${fx.fsId}::${m.apId}`);
      expect(m.res.volume.capacityBytes).toBe(5 * 2 ** 30);
    }
    expect(made[0].ap.Tags).toEqual(expect.arrayContaining([{ Key: "efs.csi.aws.com/cluster", Value: "true" }, { Key: DELETE_ROOT_DIR_TAG, Value: "true" }]));
  });

  it("is idempotent by name, also when called twice at once", async () => {
    const [a, b] = await Promise.all([create("pvc-twice", { subPathPattern: "twice" }), create("pvc-twice", { subPathPattern: "twice" })]);
    const c = await create("pvc-twice", { subPathPattern: "twice" });
    expect(a.volumeId).toBe(b.volumeId);
    expect(c.volumeId).toBe(a.volumeId);
  });

  it("keeps GIDs distinct across a driver restart", async () => {
    const before = await create("pvc-before-restart", { gidRangeStart: "7000", gidRangeEnd: "7010" });
    fx.restartDriver();
    const after = await create("pvc-after-restart", { gidRangeStart: "7000", gidRangeEnd: "7010" });
    expect(before.ap.PosixUser!.Gid).toBe(7000);
    expect(after.ap.PosixUser!.Gid).toBe(7001);
  });

  it("fails with ResourceExhausted when the GID range is full, and uses fixed uid/gid as given", async () => {
    await create("pvc-full-1", { gidRangeStart: "8000", gidRangeEnd: "8001" });
    await create("pvc-full-2", { gidRangeStart: "8000", gidRangeEnd: "8001" });
    const e = await failure(fx.driver.controller.createVolume(request("pvc-full-3", { gidRangeStart: "8000", gidRangeEnd: "8001" })));
    expect(isCsiError(e, "ResourceExhausted")).toBe(true);
    expect(e.message).toMatch(/Failed to locate a free GID for given file system/);
    const fixed = await create("pvc-fixed", { uid: "1234", gid: "4321", directoryPerms: "750" });
    expect(fixed.ap.PosixUser).toMatchObject({ Uid: 1234, Gid: 4321 });
    expect(fixed.ap.RootDirectory!.CreationInfo!.Permissions).toBe("750");
  });

  it("answers bad parameters and a missing file system with InvalidArgument naming the problem", async () => {
    const e1 = await failure(fx.driver.controller.createVolume(request("pvc-x", { fileSystemId: "fs-0000000000000dead" })));
    expect(isCsiError(e1, "InvalidArgument") && e1.message).toBe("File System does not exist: fs-0000000000000dead");
    const e2 = await failure(fx.driver.controller.createVolume(request("pvc-x", { subPathPattern: "${.PVC.annotations}" })));
    expect(isCsiError(e2, "InvalidArgument") && e2.message).toMatch(/contains invalid elements/);
    const e3 = await failure(fx.driver.controller.createVolume({ ...request("pvc-x"), volumeCapabilities: [{ block: {}, accessMode: { mode: "SINGLE_NODE_WRITER" } }] }));
    expect(isCsiError(e3, "InvalidArgument") && e3.message).toMatch(/block/);
    const e4 = await failure(fx.driver.controller.createVolume({ ...request("pvc-x"), name: "" }));
    expect(isCsiError(e4, "InvalidArgument") && e4.message).toBe("Volume name not provided");
  });

  it("refuses hostile basePaths, subPathPatterns and claim metadata without creating anything", async () => {
    const s = sentinel();
    const count = async () => (await fx.efs.send(new DescribeAccessPointsCommand({ FileSystemId: fx.fsId, MaxResults: 1000 }))).AccessPoints!.length;
    const before = await count();
    const meta = { "csi.storage.k8s.io/pvc/name": "data", "csi.storage.k8s.io/pvc/namespace": "ns", "csi.storage.k8s.io/pv/name": "pvc-hostile" };
    const hostile: Record<string, string>[] = [
      { basePath: "../../outside" },
      { basePath: "/a/../../.." },
      { basePath: `/${"x".repeat(300)}` },
      { basePath: "/a\u0000b" },
      { ...meta, subPathPattern: "../${.PVC.name}", ensureUniqueDirectory: "false" },
      { ...meta, subPathPattern: "${.PVC.annotations}" },
      { ...meta, subPathPattern: "${.PVC.name}/../../..", ensureUniqueDirectory: "false" },
      { ...meta, subPathPattern: "$(reboot)" },
      { ...meta, "csi.storage.k8s.io/pvc/name": "../../etc", subPathPattern: "${.PVC.name}" },
      { basePath: "/", subPathPattern: "", ensureUniqueDirectory: "false" },
    ];
    for (const params of hostile) {
      const e = await failure(fx.driver.controller.createVolume(request("pvc-hostile", params)));
      expect(isCsiError(e, "InvalidArgument"), JSON.stringify(params)).toBe(true);
    }
    expect(await count()).toBe(before);
    s.check();
  });

  it("reuseAccessPoint adopts the access point of the same claim (same namespace) and only that", async () => {
    const meta = (ns: string, pv: string) => ({ reuseAccessPoint: "true", "csi.storage.k8s.io/pvc/name": "shared", "csi.storage.k8s.io/pvc/namespace": ns, "csi.storage.k8s.io/pv/name": pv, basePath: "/reuse" });
    const first = await create("pvc-reuse-1", meta("team-a", "pvc-reuse-1"));
    const again = await create("pvc-reuse-2", meta("team-a", "pvc-reuse-2"));
    const other = await create("pvc-reuse-3", meta("team-b", "pvc-reuse-3"));
    expect(again.apId).toBe(first.apId);
    expect(other.apId).not.toBe(first.apId);
    // The same claim under a class with another base path may not adopt it.
    const e = await failure(fx.driver.controller.createVolume(request("pvc-reuse-4", { ...meta("team-a", "pvc-reuse-4"), basePath: "/elsewhere" })));
    expect(isCsiError(e, "AlreadyExists") && e.message).toMatch(/not below the storage class's base path/);
  });
});

describe("DeleteVolume", () => {
  it("removes the access point and its directory", async () => {
    const v = await create("pvc-del-1", { basePath: "/del" });
    const root = join(fx.fsDir(), "del", "pvc-del-1");
    mkdirSync(join(root, "sub"), { recursive: true });
    writeFileSync(join(root, "sub", "data.txt"), "bye");
    await fx.driver.controller.deleteVolume({ volumeId: v.volumeId });
    expect(await apExists(v.apId)).toBe(false);
    expect(existsSync(root)).toBe(false);
    expect(existsSync(join(fx.fsDir(), "del"))).toBe(true);
    await fx.driver.controller.deleteVolume({ volumeId: v.volumeId });
  });

  it("keeps the directory when the class says deleteAccessPointRootDir: false", async () => {
    const v = await create("pvc-keep", { basePath: "/keep", deleteAccessPointRootDir: "false" });
    const root = join(fx.fsDir(), "keep", "pvc-keep");
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, "data.txt"), "stay");
    await fx.driver.controller.deleteVolume({ volumeId: v.volumeId });
    expect(await apExists(v.apId)).toBe(false);
    expect(readFileSync(join(root, "data.txt"), "utf8")).toBe("stay");
  });

  it("succeeds for unknown, unparsable and static handles without deleting anything", async () => {
    for (const id of ["garbage", `${fx.fsId}::fsap-0000000000000beef`, `${fx.fsId}:/static`, "fs-zz::fsap-1"]) {
      await expect(fx.driver.controller.deleteVolume({ volumeId: id })).resolves.toEqual({});
    }
    expect(isCsiError(await failure(fx.driver.controller.deleteVolume({ volumeId: "" })), "InvalidArgument")).toBe(true);
  });

  it("refuses an access point of another file system than the handle names (CVE fix), deleting nothing", async () => {
    const other = await fx.efs.send(
      new CreateAccessPointCommand({ FileSystemId: SECOND_FS, ClientToken: "foreign-ap", RootDirectory: { Path: "/victim" }, PosixUser: { Uid: 1, Gid: 1 } }),
    );
    const victim = join(fx.fsDir(), "victim");
    mkdirSync(victim);
    writeFileSync(join(victim, "precious"), "x");
    const e = await failure(fx.driver.controller.deleteVolume({ volumeId: `${fx.fsId}::${other.AccessPointId}` }));
    expect(isCsiError(e, "FailedPrecondition")).toBe(true);
    expect(e.message).toMatch(/belongs to file system/);
    expect(existsSync(join(victim, "precious"))).toBe(true);
    expect(await apExists(other.AccessPointId!)).toBe(true);
  });

  it("never follows a symlink planted on the way to the access point root", async () => {
    const s = sentinel();
    const v = await create("pvc-link", { basePath: "/linked" });
    // A tenant with root access replaced the base directory by a link to the host.
    symlinkSync(s.dir, join(fx.fsDir(), "linked"));
    writeFileSync(join(s.dir, "pvc-link"), "looks like the volume");
    await fx.driver.controller.deleteVolume({ volumeId: v.volumeId });
    expect(await apExists(v.apId)).toBe(false);
    s.check();
    expect(readFileSync(join(s.dir, "pvc-link"), "utf8")).toBe("looks like the volume");
  });

  it("removes a symlink at the access point root as a link, never its target", async () => {
    const s = sentinel();
    const v = await create("pvc-rootlink", { basePath: "/rootlink" });
    mkdirSync(join(fx.fsDir(), "rootlink"));
    symlinkSync(s.dir, join(fx.fsDir(), "rootlink", "pvc-rootlink"));
    await fx.driver.controller.deleteVolume({ volumeId: v.volumeId });
    s.check();
    expect(existsSync(join(fx.fsDir(), "rootlink", "pvc-rootlink"))).toBe(false);
  });

  it("keeps a directory another access point still uses, and never deletes the file system root", async () => {
    const a = await create("pvc-same-a", { basePath: "/same", subPathPattern: "dir", ensureUniqueDirectory: "false" });
    const b = await create("pvc-same-b", { basePath: "/same", subPathPattern: "dir", ensureUniqueDirectory: "false" });
    expect(a.ap.RootDirectory!.Path).toBe(b.ap.RootDirectory!.Path);
    mkdirSync(join(fx.fsDir(), "same", "dir"), { recursive: true });
    writeFileSync(join(fx.fsDir(), "same", "dir", "b-data"), "b");
    await fx.driver.controller.deleteVolume({ volumeId: a.volumeId });
    expect(readFileSync(join(fx.fsDir(), "same", "dir", "b-data"), "utf8")).toBe("b");
    await fx.driver.controller.deleteVolume({ volumeId: b.volumeId });
    expect(existsSync(join(fx.fsDir(), "same", "dir"))).toBe(false);

    // An access point at "/" made by hand, tagged for deletion: the file system's data stays.
    writeFileSync(join(fx.fsDir(), "top-level-file"), "t");
    const rootAp = await fx.efs.send(
      new CreateAccessPointCommand({ FileSystemId: fx.fsId, ClientToken: "root-ap", RootDirectory: { Path: "/" }, Tags: [{ Key: DELETE_ROOT_DIR_TAG, Value: "true" }] }),
    );
    await fx.driver.controller.deleteVolume({ volumeId: `${fx.fsId}::${rootAp.AccessPointId}` });
    expect(await apExists(rootAp.AccessPointId!)).toBe(false);
    expect(readFileSync(join(fx.fsDir(), "top-level-file"), "utf8")).toBe("t");
  });

  it("needs ClientRootAccess under a file system policy: refused for anonymous, done for the allowed controller role", async () => {
    const role = `arn:aws:iam::${ACCOUNT}:role/efs-csi-controller`;
    const v = await fx.driver.controller.createVolume({ ...request("pvc-policy"), parameters: { provisioningMode: "efs-ap", fileSystemId: SECOND_FS } });
    const root = join(fx.fsDir(SECOND_FS), "pvc-policy");
    mkdirSync(root);
    await fx.putPolicy(
      {
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Principal: { AWS: "*" }, Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"], Resource: "*" },
          { Effect: "Allow", Principal: { AWS: role }, Action: "elasticfilesystem:ClientRootAccess", Resource: "*" },
        ],
      },
      SECOND_FS,
    );
    const e = await failure(fx.driver.controller.deleteVolume({ volumeId: v.volume.volumeId }));
    expect(isCsiError(e, "PermissionDenied") && e.message).toMatch(/ClientRootAccess/);
    expect(existsSync(root)).toBe(true);
    const allowed = fx.restartDriver({ controllerPrincipalArn: role });
    await allowed.controller.deleteVolume({ volumeId: v.volume.volumeId });
    expect(existsSync(root)).toBe(false);
  });

  it("reads the keep-or-delete decision from the access point's tag", async () => {
    const v = await create("pvc-tag", { basePath: "/tagged" });
    await fx.efs.send(new TagResourceCommand({ ResourceId: v.apId, Tags: [{ Key: DELETE_ROOT_DIR_TAG, Value: "false" }] }));
    mkdirSync(join(fx.fsDir(), "tagged", "pvc-tag"), { recursive: true });
    await fx.driver.controller.deleteVolume({ volumeId: v.volumeId });
    expect(existsSync(join(fx.fsDir(), "tagged", "pvc-tag"))).toBe(true);
  });
});

describe("a controller without local access to EFS's disk (no efsDataRoot)", () => {
  it("provisions through the API, refuses directory deletion and publishing with FailedPrecondition, leaks no mount", async () => {
    const { createEfsCsiDriver } = await import("../../src/csi/index.js");
    const remote = createEfsCsiDriver({ ...fx.driverConfig(), efsDataRoot: undefined, stateDir: join(fx.dir, "remote-state") });
    try {
      const v = await remote.controller.createVolume(request("pvc-remote", { basePath: "/remote" }));
      const e = await failure(remote.controller.deleteVolume({ volumeId: v.volume.volumeId }));
      expect(isCsiError(e, "FailedPrecondition") && e.message).toMatch(/efsDataRoot is not configured/);
      const p = await failure(remote.node.nodePublishVolume({ volumeId: fx.fsId, targetPath: fx.target("remote"), volumeCapability: mountCap(), readonly: false }));
      expect(isCsiError(p, "FailedPrecondition")).toBe(true);
      expect(fx.svc.model.mounts.list({ fileSystemId: fx.fsId })).toHaveLength(0);
      await remote.controller.createVolume(request("pvc-remote-2", { basePath: "/remote", deleteAccessPointRootDir: "false" })).then((k) => remote.controller.deleteVolume({ volumeId: k.volume.volumeId }));
    } finally {
      remote.close();
    }
  });
});

describe("other controller RPCs", () => {
  it("validates capabilities of existing volumes and answers NotFound for missing ones", async () => {
    const v = await create("pvc-validate");
    const ok = await fx.driver.controller.validateVolumeCapabilities({ volumeId: v.volumeId, volumeCapabilities: [mountCap("MULTI_NODE_READER_ONLY")] });
    expect(ok.confirmed?.volumeCapabilities).toHaveLength(1);
    const block = await fx.driver.controller.validateVolumeCapabilities({ volumeId: v.volumeId, volumeCapabilities: [{ block: {}, accessMode: { mode: "SINGLE_NODE_WRITER" } }] });
    expect(block.confirmed).toBeUndefined();
    expect(block.message).toMatch(/block/);
    for (const id of ["nonsense", `${fx.fsId}::fsap-0000000000000beef`, "fs-0000000000000dead"]) {
      expect(isCsiError(await failure(fx.driver.controller.validateVolumeCapabilities({ volumeId: id, volumeCapabilities: [mountCap()] })), "NotFound")).toBe(true);
    }
  });

  it("reports CREATE_DELETE_VOLUME only, Unimplemented for the rest, identity, and metrics", async () => {
    expect(await fx.driver.controller.controllerGetCapabilities()).toEqual({ capabilities: [{ rpc: { type: "CREATE_DELETE_VOLUME" } }] });
    expect(isCsiError(await failure(fx.driver.controller.createSnapshot({})), "Unimplemented")).toBe(true);
    expect(isCsiError(await failure(fx.driver.controller.controllerExpandVolume({})), "Unimplemented")).toBe(true);
    expect((await fx.driver.identity.getPluginInfo()).name).toBe("efs.csi.aws.com");
    expect(await fx.driver.identity.getPluginCapabilities()).toEqual({ capabilities: [{ service: { type: "CONTROLLER_SERVICE" } }] });
    expect(await fx.driver.identity.probe()).toEqual({ ready: true });
    const text = await fx.driver.metrics.text();
    expect(text).toMatch(/efs_csi_operations_total\{op="ControllerGetCapabilities",code="OK"\} 1/);
    expect(text).toMatch(/efs_csi_operations_total\{op="CreateSnapshot",code="Unimplemented"\} 1/);
    expect(text).toMatch(/efs_csi_operation_duration_seconds_count\{op="Probe"\} 1/);
  });
});
