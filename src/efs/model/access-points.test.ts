import { describe, it, expect, afterEach } from "vitest";
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

function withFs(limits = {}) {
  f = openModelFixture(limits);
  const fs = f.model.fileSystems.create({ creationToken: "fs" });
  f.settle();
  return fs.id;
}

describe("access points", () => {
  it("answers a retried identical create with the same access point and a changed one with AccessPointAlreadyExists", () => {
    const fsId = withFs();
    const input = {
      clientToken: "pvc-1",
      fileSystemId: fsId,
      posixUser: { uid: 1000, gid: 1000, secondaryGids: [] },
      rootDirectory: { path: "/dyn/pvc-1", creationInfo: { ownerUid: 1000, ownerGid: 1000, permissions: "700" } },
      tags: [{ Key: "a", Value: "1" }, { Key: "b", Value: "2" }],
    };
    const first = f.model.accessPoints.create(input);
    expect(first.created).toBe(true);
    expect(first.accessPoint.id).toMatch(/^fsap-[0-9a-f]{17}$/);
    const again = f.model.accessPoints.create({ ...input, tags: [...input.tags].reverse() });
    expect(again).toEqual({ accessPoint: first.accessPoint, created: false });
    const e = err(() => f.model.accessPoints.create({ ...input, rootDirectory: { path: "/other" } }));
    expect([e.code, e.status, e.extra]).toEqual(["AccessPointAlreadyExists", 409, { AccessPointId: first.accessPoint.id }]);
    // Tokens are account-wide: the same token on another file system is the same conflict.
    const other = f.model.fileSystems.create({ creationToken: "fs2" });
    f.settle();
    expect(err(() => f.model.accessPoints.create({ ...input, fileSystemId: other.id })).code).toBe("AccessPointAlreadyExists");
  });

  it("stops at the per-file-system limit with AWS's message, and a delete frees a slot", () => {
    const fsId = withFs({ accessPointsPerFileSystem: 3 });
    const ids = [0, 1, 2].map((i) => f.model.accessPoints.create({ clientToken: `t${i}`, fileSystemId: fsId }).accessPoint.id);
    const e = err(() => f.model.accessPoints.create({ clientToken: "t3", fileSystemId: fsId }));
    expect([e.code, e.status]).toEqual(["AccessPointLimitExceeded", 403]);
    expect(e.message).toBe(`You have reached the maximum number of access points (3) for your file system ${fsId}. Delete an access point and add a new one.`);
    f.model.accessPoints.delete(ids[1]);
    expect(f.model.accessPoints.create({ clientToken: "t3", fileSystemId: fsId }).created).toBe(true);
  });

  it("validates root paths, permissions and IDs as the API model does", () => {
    const fsId = withFs();
    const bad = (path: string) => err(() => f.model.accessPoints.create({ clientToken: `p${path.length}${path}`.slice(0, 60), fileSystemId: fsId, rootDirectory: { path } })).code;
    expect(bad("/a/../b")).toBe("ValidationException");
    expect(bad("/a/./b")).toBe("ValidationException");
    expect(bad("/.hidden")).toBe("ValidationException");
    expect(bad("/a/b/c/d/e")).toBe("ValidationException");
    expect(bad("relative")).toBe("ValidationException");
    expect(bad("/a//b")).toBe("ValidationException");
    expect(bad("/a/b/")).toBe("ValidationException");
    expect(bad("/x" + "y".repeat(99))).toBe("ValidationException");
    expect(bad("/a;rm")).toBe("ValidationException");
    expect(f.model.accessPoints.create({ clientToken: "ok4", fileSystemId: fsId, rootDirectory: { path: "/a/b/c/d" } }).created).toBe(true);
    const perm = (permissions: string) => err(() => f.model.accessPoints.create({ clientToken: `perm${permissions}`, fileSystemId: fsId, rootDirectory: { path: "/p", creationInfo: { ownerUid: 1, ownerGid: 1, permissions } } })).code;
    expect(perm("77")).toBe("ValidationException");
    expect(perm("77777")).toBe("ValidationException");
    expect(perm("789")).toBe("ValidationException");
    const uid = (n: number) => err(() => f.model.accessPoints.create({ clientToken: `uid${n}`, fileSystemId: fsId, posixUser: { uid: n, gid: 0, secondaryGids: [] } })).code;
    expect(uid(-1)).toBe("ValidationException");
    expect(uid(4294967296)).toBe("ValidationException");
    expect(uid(1.5)).toBe("ValidationException");
    expect(err(() => f.model.accessPoints.create({ clientToken: "sg", fileSystemId: fsId, posixUser: { uid: 1, gid: 1, secondaryGids: Array(17).fill(1) } })).code).toBe("BadRequest");
    expect(err(() => f.model.accessPoints.get("fsap-XYZ")).code).toBe("ValidationException");
    expect(err(() => f.model.accessPoints.get("fsap-0123456789abcdef0")).code).toBe("AccessPointNotFound");
    expect(err(() => f.model.accessPoints.create({ clientToken: "nofs", fileSystemId: "fs-0123456789abcdef0" })).code).toBe("FileSystemNotFound");
  });

  it("refuses access points on a file system still creating", () => {
    f = openModelFixture();
    const fs = f.model.fileSystems.create({ creationToken: "slow" });
    expect(err(() => f.model.accessPoints.create({ clientToken: "early", fileSystemId: fs.id })).code).toBe("IncorrectFileSystemLifeCycleState");
  });

  it("pages per file system and account-wide, and rejects both filters together", () => {
    const fsId = withFs();
    const ids = Array.from({ length: 5 }, (_, i) => f.model.accessPoints.create({ clientToken: `pg${i}`, fileSystemId: fsId }).accessPoint.id);
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = f.model.accessPoints.describe({ fileSystemId: fsId, maxResults: 2, nextToken: token });
      seen.push(...page.items.map((a) => a.id));
      token = page.next;
    } while (token);
    expect(seen).toEqual(ids);
    expect(f.model.accessPoints.describe({}).items.map((a) => a.id)).toEqual(ids);
    expect(err(() => f.model.accessPoints.describe({ fileSystemId: fsId, accessPointId: ids[0] })).code).toBe("BadRequest");
  });

  it("tags merge, untag ignores absent keys, and the tag limit holds", () => {
    const fsId = withFs({ tagsPerResource: 3 });
    const ap = f.model.accessPoints.create({ clientToken: "tg", fileSystemId: fsId, tags: [{ Key: "Name", Value: "x" }] }).accessPoint;
    f.model.tags.tag(ap.id, [{ Key: "Name", Value: "y" }, { Key: "k", Value: "" }]);
    expect(f.model.tags.list(ap.id, undefined, undefined).items).toEqual([{ Key: "Name", Value: "y" }, { Key: "k", Value: "" }]);
    expect(err(() => f.model.tags.tag(ap.id, [{ Key: "m", Value: "1" }, { Key: "n", Value: "2" }])).code).toBe("BadRequest");
    expect(err(() => f.model.tags.tag(fsId, [{ Key: "aws:reserved", Value: "1" }])).code).toBe("ValidationException");
    f.model.tags.untag(ap.id, ["k", "absent"]);
    expect(f.model.accessPoints.get(ap.id).tags).toEqual([{ Key: "Name", Value: "y" }]);
    const page1 = f.model.tags.list(fsId, undefined, 1);
    expect(page1.items).toEqual([]);
    expect(err(() => f.model.tags.list("fs-0123456789abcdef0", undefined, undefined)).code).toBe("FileSystemNotFound");
  });
});
