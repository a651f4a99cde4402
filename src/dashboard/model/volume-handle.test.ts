import { describe, it, expect } from "vitest";
import { parseEfsHandle } from "./volume-handle.js";

describe("parseEfsHandle", () => {
  it("reads the four handle forms the EFS CSI driver accepts", () => {
    expect(parseEfsHandle("fs-12345678")).toEqual({ fileSystemId: "fs-12345678", subPath: "/" });
    expect(parseEfsHandle("fs-12345678:/a/b")).toEqual({ fileSystemId: "fs-12345678", subPath: "/a/b" });
    expect(parseEfsHandle("efs:fs-12345678::fsap-0123456789abcdef0")).toEqual({ fileSystemId: "fs-12345678", accessPointId: "fsap-0123456789abcdef0", subPath: "/" });
    expect(parseEfsHandle("fs-12345678:/x:fsap-0123456789abcdef0")).toMatchObject({ accessPointId: "fsap-0123456789abcdef0", subPath: "/x" });
  });

  it("refuses what the driver refuses", () => {
    for (const h of ["", "fs-1", "fs-12345678:a:b:c", "fs-12345678::ap-1", "fs-12345678:/../etc", "FS-12345678"]) expect(parseEfsHandle(h)).toBeUndefined();
  });
});
