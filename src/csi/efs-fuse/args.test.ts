import { describe, expect, it } from "vitest";
import { buildEfsFuseArgs, checkPath, EfsFuseOptionError } from "./args.js";

const base = { source: "/data/efs/fs-1", target: "/var/lib/cistern/pods/p/vol", fsName: "efs:fs-0123456789abcdef0", statsFile: "/run/s.json" };

describe("buildEfsFuseArgs", () => {
  it("builds the plain-mode vector", () => {
    expect(buildEfsFuseArgs(base)).toEqual([
      "--source", "/data/efs/fs-1", "--target", "/var/lib/cistern/pods/p/vol",
      "--fsname", "efs:fs-0123456789abcdef0", "--stats", "/run/s.json", "--passthrough", "auto",
    ]);
  });

  it("adds access point identity, squashing and read-only", () => {
    const args = buildEfsFuseArgs({ ...base, uid: 1000, gid: 1001, groups: [5, 6], squashRoot: true, squashUid: 99, squashGid: 98, readOnly: true, passthrough: false });
    expect(args.join(" ")).toContain("--uid 1000 --gid 1001 --groups 5,6 --squash-root --squash-uid 99 --squash-gid 98 --ro");
    expect(args.slice(-2)).toEqual(["--passthrough", "off"]);
  });

  it("rejects ids that are not real identities", () => {
    for (const uid of [-1, 1.5, 0xffffffff, Number.NaN]) {
      expect(() => buildEfsFuseArgs({ ...base, uid, gid: 0 })).toThrow(EfsFuseOptionError);
    }
    expect(() => buildEfsFuseArgs({ ...base, uid: 1 })).toThrow(/uid and gid/);
    expect(() => buildEfsFuseArgs({ ...base, groups: [1] })).toThrow(/groups need/);
    expect(() => buildEfsFuseArgs({ ...base, uid: 1, gid: 1, groups: Array.from({ length: 33 }, (_, i) => i) })).toThrow(/at most/);
    expect(() => buildEfsFuseArgs({ ...base, squashUid: 5 })).toThrow(/squashRoot/);
  });

  it("rejects file system names that could inject mount options", () => {
    for (const fsName of ["efs,dev", "efs suid", "", "a=b", "x".repeat(129)]) {
      expect(() => buildEfsFuseArgs({ ...base, fsName })).toThrow(/fsName/);
    }
  });
});

describe("checkPath", () => {
  it("normalises absolute paths", () => {
    expect(checkPath("p", "/a//b/./c/")).toBe("/a/b/c");
    expect(checkPath("p", "/")).toBe("/");
  });

  it("rejects relative, climbing, and control-character paths", () => {
    for (const p of ["a/b", "-o", "/a/../etc", "/a\nb", "", "/a\u0000"]) {
      expect(() => checkPath("p", p)).toThrow(EfsFuseOptionError);
    }
  });
});
