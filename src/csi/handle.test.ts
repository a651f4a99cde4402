import { describe, expect, it } from "vitest";
import { formatVolumeHandle, mountPathOf, parseVolumeHandle } from "./handle.js";
import { isCsiError } from "./spec.js";

const FS = "fs-0123456789abcdef0";
const AP = "fsap-0123456789abcdef0";

function refused(id: string): string {
  try {
    parseVolumeHandle(id);
  } catch (e) {
    expect(isCsiError(e, "InvalidArgument")).toBe(true);
    return (e as Error).message;
  }
  throw new Error(`${JSON.stringify(id)} was accepted`);
}

describe("parseVolumeHandle", () => {
  it("accepts the four upstream forms, with and without the efs: prefix", () => {
    for (const prefix of ["", "efs:"]) {
      expect(parseVolumeHandle(`${prefix}${FS}`)).toEqual({ fileSystemId: FS, subPath: [] });
      expect(parseVolumeHandle(`${prefix}${FS}:/data/app`)).toEqual({ fileSystemId: FS, subPath: ["data", "app"] });
      expect(parseVolumeHandle(`${prefix}${FS}::${AP}`)).toEqual({ fileSystemId: FS, subPath: [], accessPointId: AP });
      expect(parseVolumeHandle(`${prefix}${FS}:sub/dir:${AP}`)).toEqual({ fileSystemId: FS, subPath: ["sub", "dir"], accessPointId: AP });
    }
  });

  it("accepts the guide's short IDs and empty trailing fields", () => {
    expect(parseVolumeHandle("fs-12345678")).toEqual({ fileSystemId: "fs-12345678", subPath: [] });
    expect(parseVolumeHandle("fs-12345678::")).toEqual({ fileSystemId: "fs-12345678", subPath: [] });
    expect(parseVolumeHandle("fs-12345678:/:")).toEqual({ fileSystemId: "fs-12345678", subPath: [] });
  });

  it("refuses IDs that do not match the strict patterns (option injection through the handle)", () => {
    expect(refused(`${FS}::${AP},awscredsuri=/v2/evil`)).toMatch(/not an access point ID/);
    expect(refused(`fs-0123456789ABCDEF0`)).toMatch(/not a file system ID/);
    expect(refused(`fs-1234567`)).toMatch(/not a file system ID/);
    expect(refused(`fs-${"a".repeat(41)}`)).toMatch(/not a file system ID/);
    expect(refused(`${FS},tls`)).toMatch(/not a file system ID/);
    expect(refused(`${FS}::fsap-xyz`)).toMatch(/not an access point ID/);
    expect(refused(`${FS}::${AP} `)).toMatch(/not an access point ID/);
    expect(refused(`efs-${FS}`)).toMatch(/not a file system ID/);
    expect(refused("")).toMatch(/not provided/);
  });

  it("refuses more than three fields and S3 Files handles", () => {
    expect(refused(`${FS}:a:${AP}:extra`)).toMatch(/improperly formatted/);
    expect(refused(`efs:${FS}:a:b:c`)).toMatch(/improperly formatted/);
    expect(refused(`s3files:${FS}`)).toMatch(/S3 Files/);
  });

  it("refuses hostile subpaths: .., ., empty components, NUL, control characters, over-long names", () => {
    expect(refused(`${FS}:../etc`)).toMatch(/not a plain path/);
    expect(refused(`${FS}:/a/../../b`)).toMatch(/not a plain path/);
    expect(refused(`${FS}:a/./b`)).toMatch(/not a plain path/);
    expect(refused(`${FS}:a//b`)).toMatch(/not a plain path/);
    expect(refused(`${FS}:a\u0000b`)).toMatch(/control characters/);
    expect(refused(`${FS}:a\nb`)).toMatch(/control characters/);
    expect(refused(`${FS}:${"x".repeat(256)}`)).toMatch(/not a plain path/);
    expect(refused(`${FS}:${"y".repeat(5000)}`)).toMatch(/longer than/);
  });

  it("formats dynamic handles as upstream v3 does and round-trips them", () => {
    const id = formatVolumeHandle(FS, AP);
    expect(id).toBe(`efs:${FS}::${AP}`);
    expect(parseVolumeHandle(id)).toEqual({ fileSystemId: FS, subPath: [], accessPointId: AP });
    expect(mountPathOf(parseVolumeHandle(`${FS}:/x/y/`))).toBe("/x/y");
    expect(mountPathOf(parseVolumeHandle(FS))).toBe("/");
  });
});
