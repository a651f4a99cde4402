// Identity enforcement through a real FUSE mount (runs as root, like CI): access point identity
// replaces every caller's, root squashing maps caller root to 65534.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { chmodSync, chownSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { mountEfsFuse, type EfsFuseMount } from "./index.js";
import { buildDaemon, codeOf, makeSandbox, runAs, type Sandbox } from "./testing.js";

const AP_UID = 1000;
const AP_GID = 1001;

beforeAll(async () => {
  expect(process.getuid?.()).toBe(0);
  await buildDaemon();
});

for (const passthrough of [true, false]) {
  describe(`access point mode (passthrough ${passthrough})`, () => {
    let box: Sandbox;
    let m: EfsFuseMount;
    beforeAll(async () => {
      box = makeSandbox("ap");
      chownSync(box.source, AP_UID, AP_GID);
      m = await mountEfsFuse({ source: box.source, target: box.target, uid: AP_UID, gid: AP_GID, groups: [2000], fsName: "efs:fs-0123456789abcdef0", statsFile: box.statsFile, passthrough });
    });
    afterAll(async () => {
      await m?.unmount();
      box?.cleanup();
    });

    it("gives files created by root and by uid 1234 to the access point user", async () => {
      writeFileSync(join(m.target, "by-root"), "root data");
      mkdirSync(join(m.target, "dir-by-root"));
      await runAs(1234, 1234, "touch", [join(m.target, "by-1234")]);
      await runAs(1234, 1234, "mkdir", [join(m.target, "dir-by-1234")]);
      for (const name of ["by-root", "dir-by-root", "by-1234", "dir-by-1234"]) {
        const st = statSync(join(box.source, name));
        expect([name, st.uid, st.gid]).toEqual([name, AP_UID, AP_GID]);
      }
      expect(readFileSync(join(box.source, "by-root"), "utf8")).toBe("root data");
      expect(readFileSync(join(m.target, "by-root"), "utf8")).toBe("root data");
    });

    it("denies root a file the access point user cannot read", () => {
      const secret = join(box.source, "secret");
      writeFileSync(secret, "not for the AP", { mode: 0o600 });
      chownSync(secret, 4321, 4321);
      expect(codeOf(() => readFileSync(join(m.target, "secret")))).toBe("EACCES");
      expect(codeOf(() => writeFileSync(join(m.target, "secret"), "x"))).toBe("EACCES");
      // The same file is readable on the host: the denial is the access point identity at work.
      expect(readFileSync(secret, "utf8")).toBe("not for the AP");
    });

    it("grants access through the access point's secondary group", () => {
      const shared = join(box.source, "group-2000");
      writeFileSync(shared, "team", { mode: 0o640 });
      chownSync(shared, 4321, 2000);
      expect(readFileSync(join(m.target, "group-2000"), "utf8")).toBe("team");
    });

    it("lets no caller change ownership to another user", () => {
      writeFileSync(join(m.target, "mine"), "");
      expect(codeOf(() => chownSync(join(m.target, "mine"), 0, 0))).toBe("EPERM");
    });
  });
}

describe("access point whose user cannot enter the root directory", () => {
  it("fails the mount, as EFS does", async () => {
    const box = makeSandbox("ap-denied");
    try {
      chownSync(box.source, 4321, 4321);
      chmodSync(box.source, 0o700);
      await expect(mountEfsFuse({ source: box.source, target: box.target, uid: AP_UID, gid: AP_GID, fsName: "efs:fs-0123456789abcdef0" }))
        .rejects.toThrow(/access point user 1000:1001 cannot enter .*Permission denied/);
    } finally {
      box.cleanup();
    }
  });
});

describe("plain mode with root squashing", () => {
  let box: Sandbox;
  let m: EfsFuseMount;
  beforeAll(async () => {
    box = makeSandbox("squash");
    m = await mountEfsFuse({ source: box.source, target: box.target, squashRoot: true, fsName: "efs:fs-00000000000000001", statsFile: box.statsFile });
  });
  afterEach(() => undefined);
  afterAll(async () => {
    await m?.unmount();
    box?.cleanup();
  });

  it("maps root's new files to 65534 and keeps other callers' identities", async () => {
    writeFileSync(join(m.target, "root-file"), "x");
    mkdirSync(join(m.target, "root-dir"));
    await runAs(1234, 1234, "touch", [join(m.target, "user-file")]);
    expect([statSync(join(box.source, "root-file")).uid, statSync(join(box.source, "root-file")).gid]).toEqual([65534, 65534]);
    expect(statSync(join(box.source, "root-dir")).uid).toBe(65534);
    expect([statSync(join(box.source, "user-file")).uid, statSync(join(box.source, "user-file")).gid]).toEqual([1234, 1234]);
  });

  it("takes root's privileges away: a root-only file is unreadable to squashed root", () => {
    writeFileSync(join(box.source, "root-only"), "r", { mode: 0o600 });
    expect(codeOf(() => readFileSync(join(m.target, "root-only")))).toBe("EACCES");
  });

  it("checks other users with their own identity", async () => {
    writeFileSync(join(box.source, "for-1234"), "hello 1234", { mode: 0o600 });
    chownSync(join(box.source, "for-1234"), 1234, 1234);
    expect(await runAs(1234, 1234, "cat", [join(m.target, "for-1234")])).toBe("hello 1234");
    await expect(runAs(4321, 4321, "cat", [join(m.target, "for-1234")])).rejects.toThrow(/Permission denied/);
  });
});

describe("plain mode without squashing", () => {
  let box: Sandbox;
  let m: EfsFuseMount;
  beforeAll(async () => {
    box = makeSandbox("plain");
    m = await mountEfsFuse({ source: box.source, target: box.target, fsName: "efs:fs-00000000000000002", statsFile: box.statsFile });
  });
  afterAll(async () => {
    await m?.unmount();
    box?.cleanup();
  });

  it("keeps root as root (ClientRootAccess)", () => {
    writeFileSync(join(m.target, "root-file"), "x");
    expect(statSync(join(box.source, "root-file")).uid).toBe(0);
    writeFileSync(join(box.source, "root-only"), "r", { mode: 0o600 });
    chownSync(join(box.source, "root-only"), 4321, 4321);
    expect(readFileSync(join(m.target, "root-only"), "utf8")).toBe("r");
  });

  it("refuses to create device nodes", async () => {
    await expect(runAs(0, 0, "mknod", [join(m.target, "null"), "c", "1", "3"])).rejects.toThrow(/Operation not permitted/);
  });
});
