import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isRuntimeError } from "./errors.js";
import { resolveUser } from "./user-lookup.js";

const rootfs = fs.mkdtempSync(path.join(os.tmpdir(), "user-lookup-"));
fs.mkdirSync(path.join(rootfs, "etc"));
fs.writeFileSync(path.join(rootfs, "etc/passwd"), "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1001::/home/app:/bin/sh\n");
fs.writeFileSync(path.join(rootfs, "etc/group"), "root:x:0:\napp:x:1001:\nstaff:x:50:app,other\nwheel:x:10:root\n");
const linked = fs.mkdtempSync(path.join(os.tmpdir(), "user-lookup-link-"));
fs.mkdirSync(path.join(linked, "etc"));
fs.symlinkSync("/etc/passwd", path.join(linked, "etc/passwd"));
afterAll(() => {
  fs.rmSync(rootfs, { recursive: true });
  fs.rmSync(linked, { recursive: true });
});

describe("resolveUser", () => {
  it.each([
    ["", {}, { uid: 0, gid: 0, additionalGids: [10] }],
    ["app", {}, { uid: 1000, gid: 1001, additionalGids: [50] }],
    ["app:staff", {}, { uid: 1000, gid: 50, additionalGids: [] }],
    ["1000", {}, { uid: 1000, gid: 1001, additionalGids: [50] }],
    ["4242:77", {}, { uid: 4242, gid: 77, additionalGids: [] }],
    ["app", { runAsUser: 5 }, { uid: 5, gid: 0, additionalGids: [] }],
    ["app", { runAsUser: 5, runAsGroup: 6, fsGroup: 7, supplementalGroups: [9, 8] }, { uid: 5, gid: 6, additionalGids: [7, 8, 9] }],
  ])("image user %j with %j", (user, sc, want) => {
    expect(resolveUser(rootfs, user, sc)).toEqual(want);
  });

  it("refuses unknown names and root with runAsNonRoot", () => {
    for (const [user, sc] of [["ghost", {}], ["app:ghosts", {}], ["", { runAsNonRoot: true }]] as const) {
      let err: unknown;
      try {
        resolveUser(rootfs, user, sc);
      } catch (e) {
        err = e;
      }
      expect(isRuntimeError(err, "InvalidSpec")).toBe(true);
    }
  });

  it("treats a symlinked /etc/passwd in an image as absent (never reads the host's)", () => {
    let err: unknown;
    try {
      resolveUser(linked, "root", {});
    } catch (e) {
      err = e;
    }
    expect(isRuntimeError(err, "InvalidSpec")).toBe(true);
  });
});
