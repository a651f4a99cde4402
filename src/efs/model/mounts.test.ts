import { describe, it, expect, afterEach } from "vitest";
import { mkdirSync, statSync, symlinkSync, writeFileSync, chmodSync } from "node:fs";
import { join } from "node:path";
import { openModelFixture, type ModelFixture } from "../testing/model-fixture.js";
import { EfsError } from "../errors.js";

let f: ModelFixture;
afterEach(() => f?.cleanup());

function err(fn: () => unknown): EfsError {
  try {
    fn();
  } catch (e) {
    if (e instanceof EfsError) return e;
    throw e;
  }
  throw new Error("expected an EfsError");
}

function setup() {
  f = openModelFixture();
  const fsId = f.model.fileSystems.create({ creationToken: "m" }).id;
  f.settle();
  return { fsId, root: f.layout.fileSystemDir(fsId) };
}

describe("mounts", () => {
  it("creates the access point root lazily with CreationInfo, intermediates root:root 0755", () => {
    const { fsId, root } = setup();
    const ap = f.model.accessPoints.create({
      clientToken: "lazy",
      fileSystemId: fsId,
      posixUser: { uid: 50000, gid: 50001, secondaryGids: [] },
      rootDirectory: { path: "/dyn/team/pvc-1", creationInfo: { ownerUid: 50000, ownerGid: 50001, permissions: "750" } },
    }).accessPoint;
    const m = f.model.mounts.mount({ fileSystemId: fsId, accessPointId: ap.id, secureTransport: true, nodeId: "node-1" });
    expect(m).toMatchObject({ hostPath: join(root, "dyn/team/pvc-1"), readOnly: false, rootSquash: false, posixUser: { uid: 50000, gid: 50001 } });
    const leaf = statSync(join(root, "dyn/team/pvc-1"));
    expect([leaf.uid, leaf.gid, leaf.mode & 0o7777]).toEqual([50000, 50001, 0o750]);
    const mid = statSync(join(root, "dyn/team"));
    expect([mid.uid, mid.gid, mid.mode & 0o7777]).toEqual([0, 0, 0o755]);
    expect(f.model.mounts.connections().get(fsId)).toBe(1);
  });

  it("never changes an existing root directory, and refuses a root without search permission for the user", () => {
    const { fsId, root } = setup();
    mkdirSync(join(root, "existing"));
    chmodSync(join(root, "existing"), 0o701);
    const ap = f.model.accessPoints.create({
      clientToken: "exist",
      fileSystemId: fsId,
      posixUser: { uid: 7, gid: 7, secondaryGids: [] },
      rootDirectory: { path: "/existing", creationInfo: { ownerUid: 7, ownerGid: 7, permissions: "700" } },
    }).accessPoint;
    f.model.mounts.mount({ fileSystemId: fsId, accessPointId: ap.id, secureTransport: true });
    expect(statSync(join(root, "existing")).mode & 0o7777).toBe(0o701);
    chmodSync(join(root, "existing"), 0o700); // owner root, uid 7 is "other" with no x
    const e = err(() => f.model.mounts.mount({ fileSystemId: fsId, accessPointId: ap.id, secureTransport: true }));
    expect([e.code, e.status]).toEqual(["MountFailed", 409]);
    expect(e.message).toMatch(/search \(x\) permission/);
  });

  it("fails clearly when the root is missing and there is no CreationInfo", () => {
    const { fsId } = setup();
    const ap = f.model.accessPoints.create({ clientToken: "bare", fileSystemId: fsId, rootDirectory: { path: "/not/there" } }).accessPoint;
    const e = err(() => f.model.mounts.mount({ fileSystemId: fsId, accessPointId: ap.id, secureTransport: true }));
    expect(e.code).toBe("MountFailed");
    expect(e.message).toContain("does not exist and the access point has no CreationInfo");
    expect(f.model.mounts.connections().get(fsId)).toBeUndefined();
  });

  it("refuses a planted symlink used as Path or inside the access point root, and '..' in Path", () => {
    const { fsId, root } = setup();
    mkdirSync(join(root, "tenant"));
    symlinkSync("/etc", join(root, "tenant/escape"));
    symlinkSync(".", join(root, "tenant/self"));
    writeFileSync(join(root, "tenant/file"), "x");
    expect(err(() => f.model.mounts.mount({ fileSystemId: fsId, path: "/tenant/escape", secureTransport: true })).message).toMatch(/symbolic link/);
    expect(err(() => f.model.mounts.mount({ fileSystemId: fsId, path: "/tenant/self/escape", secureTransport: true })).code).toBe("MountFailed");
    expect(err(() => f.model.mounts.mount({ fileSystemId: fsId, path: "/tenant/file", secureTransport: true })).message).toMatch(/not a directory/);
    expect(err(() => f.model.mounts.mount({ fileSystemId: fsId, path: "/tenant/../..", secureTransport: true })).code).toBe("BadRequest");
    expect(err(() => f.model.mounts.mount({ fileSystemId: fsId, path: "tenant", secureTransport: true })).code).toBe("BadRequest");
    expect(err(() => f.model.mounts.mount({ fileSystemId: fsId, path: "/missing", secureTransport: true })).message).toMatch(/does not exist/);
    const ap = f.model.accessPoints.create({ clientToken: "sym", fileSystemId: fsId, rootDirectory: { path: "/tenant/escape/sub", creationInfo: { ownerUid: 0, ownerGid: 0, permissions: "755" } } }).accessPoint;
    expect(err(() => f.model.mounts.mount({ fileSystemId: fsId, accessPointId: ap.id, secureTransport: true })).message).toMatch(/symbolic link/);
    const inside = f.model.mounts.mount({ fileSystemId: fsId, path: "/tenant", secureTransport: true });
    expect(inside.hostPath).toBe(join(root, "tenant"));
  });

  it("resolves Path below the access point root", () => {
    const { fsId, root } = setup();
    mkdirSync(join(root, "ap/sub/deeper"), { recursive: true });
    const ap = f.model.accessPoints.create({ clientToken: "sub", fileSystemId: fsId, rootDirectory: { path: "/ap" } }).accessPoint;
    expect(f.model.mounts.mount({ fileSystemId: fsId, accessPointId: ap.id, path: "/sub/deeper", secureTransport: true }).hostPath).toBe(join(root, "ap/sub/deeper"));
    const other = f.model.fileSystems.create({ creationToken: "other" }).id;
    f.settle();
    expect(err(() => f.model.mounts.mount({ fileSystemId: other, accessPointId: ap.id, secureTransport: true })).message).toMatch(/belongs to file system/);
  });

  it("applies the file system policy: denied, read-only, root-squashed", () => {
    const { fsId } = setup();
    const role = "arn:aws:iam::123456789012:role/app";
    f.model.policies.put(
      fsId,
      JSON.stringify({
        Statement: [
          { Effect: "Allow", Principal: { AWS: "*" }, Action: "elasticfilesystem:ClientMount", Condition: { Bool: { "aws:SecureTransport": "true" } } },
          { Effect: "Allow", Principal: { AWS: role }, Action: ["elasticfilesystem:ClientWrite"] },
        ],
      }),
    );
    const denied = err(() => f.model.mounts.mount({ fileSystemId: fsId, secureTransport: false }));
    expect([denied.code, denied.status]).toEqual(["AccessDeniedException", 403]);
    expect(f.model.mounts.mount({ fileSystemId: fsId, secureTransport: true })).toMatchObject({ readOnly: true, rootSquash: true });
    expect(f.model.mounts.mount({ fileSystemId: fsId, secureTransport: true, principalArn: role })).toMatchObject({ readOnly: false, rootSquash: true });
    expect(f.model.mounts.mount({ fileSystemId: fsId, secureTransport: true, principalArn: role, readOnly: true })).toMatchObject({ readOnly: true });
    f.model.policies.delete(fsId);
    expect(f.model.mounts.mount({ fileSystemId: fsId, secureTransport: false })).toMatchObject({ readOnly: false, rootSquash: false });
  });

  it("keeps mounts across a reopen and releases them once", () => {
    const { fsId } = setup();
    const m = f.model.mounts.mount({ fileSystemId: fsId, secureTransport: true, nodeId: "n1" });
    f = f.reopen();
    expect(f.model.mounts.get(m.id)).toEqual(m);
    expect(f.model.mounts.list({ nodeId: "n1" }).map((x) => x.id)).toEqual([m.id]);
    f.model.mounts.release(m.id);
    expect(err(() => f.model.mounts.release(m.id)).code).toBe("MountNotFound");
  });

  it("refuses a lockout policy unless the check is bypassed", () => {
    const { fsId } = setup();
    const lockout = JSON.stringify({ Statement: { Effect: "Deny", Principal: "*", Action: "elasticfilesystem:*" } });
    expect(err(() => f.model.policies.put(fsId, lockout)).code).toBe("InvalidPolicyException");
    expect(f.model.policies.put(fsId, lockout, true).text).toBe(lockout);
    expect(err(() => f.model.mounts.mount({ fileSystemId: fsId, secureTransport: true })).code).toBe("AccessDeniedException");
  });
});
