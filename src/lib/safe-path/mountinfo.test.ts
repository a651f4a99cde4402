import { describe, expect, it } from "vitest";
import { isMountPoint, isMountPointPath, mountsAtOrBelow, parseMountInfo, readMountInfo } from "./mountinfo.js";

const sample = [
  "22 27 0:21 / /proc rw,relatime - proc proc rw",
  "27 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw,discard",
  "90 27 254:0 /data/vol /var/lib/with\\040space ro,relatime master:3 shared:7 - ext4 /dev/vda rw",
].join("\n");

describe("mountinfo", () => {
  it("parses fields, optional propagation fields and octal escapes", () => {
    const t = parseMountInfo(sample);
    expect(t).toHaveLength(3);
    expect(t[1].propagation).toEqual(["shared:1"]);
    expect(t[2]).toMatchObject({
      id: 90,
      parentId: 27,
      root: "/data/vol",
      mountPoint: "/var/lib/with space",
      options: ["ro", "relatime"],
      propagation: ["master:3", "shared:7"],
      fsType: "ext4",
      source: "/dev/vda",
    });
  });

  it("answers mount-point questions against a table", () => {
    const t = parseMountInfo(sample);
    expect(isMountPointPath("/proc", t)).toBe(true);
    expect(isMountPointPath("/var/lib", t)).toBe(false);
    expect(mountsAtOrBelow("/var", t).map((m) => m.mountPoint)).toEqual(["/var/lib/with space"]);
  });

  it("reads the live table: / and /proc are mount points, /proc/self is not", () => {
    expect(readMountInfo().length).toBeGreaterThan(1);
    expect(isMountPoint("/")).toBe(true);
    expect(isMountPoint("/proc")).toBe(true);
    expect(isMountPoint("/proc/self/fd")).toBe(false);
    expect(isMountPoint("/definitely/not/here")).toBe(false);
  });
});
