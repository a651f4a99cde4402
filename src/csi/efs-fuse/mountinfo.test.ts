import { describe, expect, it } from "vitest";
import { efsFuseMountsAt, parseMountinfo } from "./mountinfo.js";

const SAMPLE = [
  "22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw",
  "42 22 0:39 / /tmp/a\\040b/mnt rw,nosuid,nodev,relatime shared:5 - fuse.efs efs:fs-12345678 rw,user_id=0,group_id=0,allow_other",
  "43 42 0:40 / /tmp/a\\040b/mnt rw,relatime - fuse.efs efs:fs-2 rw",
  "44 22 0:41 / /tmp/other rw - tmpfs tmpfs rw",
  "",
].join("\n");

describe("parseMountinfo", () => {
  it("parses fields past optional tags and unescapes octal", () => {
    const e = parseMountinfo(SAMPLE);
    expect(e).toHaveLength(4);
    expect(e[1]).toEqual({ id: 42, mountPoint: "/tmp/a b/mnt", options: "rw,nosuid,nodev,relatime", fsType: "fuse.efs", source: "efs:fs-12345678" });
    expect(e[2].options).toBe("rw,relatime");
  });

  it("finds stacked efs mounts on one mount point only", () => {
    const entries = parseMountinfo(SAMPLE);
    expect(efsFuseMountsAt("/tmp/a b/mnt", entries).map((m) => m.id)).toEqual([42, 43]);
    expect(efsFuseMountsAt("/tmp/other", entries)).toEqual([]);
  });
});
