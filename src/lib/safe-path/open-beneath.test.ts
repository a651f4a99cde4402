import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SafePathError } from "./errors.js";
import { childPath } from "./fd-path.js";
import { lstatBeneath, mkdirBeneath, openBeneath, openParentBeneath, resolveBeneath, withBeneath } from "./open-beneath.js";
import { SENTINEL, makeFixture, type Fixture } from "./test-fixture.js";

let fx: Fixture;
beforeEach(() => {
  fx = makeFixture();
  const r = fx.root;
  fs.mkdirSync(path.join(r, "dir/deeper"), { recursive: true });
  fs.writeFileSync(path.join(r, "dir/file"), "inside");
  fs.symlinkSync(fx.outside, path.join(r, "abs-link")); // absolute link to outside
  fs.symlinkSync("../outside", path.join(r, "rel-link")); // relative link that climbs out
  fs.symlinkSync(path.join(fx.outside, "secret"), path.join(r, "dir/file-link"));
  fs.symlinkSync(path.join(fx.outside, "new-file"), path.join(r, "dangling")); // points at a name that does not exist yet
  fs.symlinkSync("deeper", path.join(r, "dir/inner-link")); // even a link that stays inside is refused
});
afterEach(() => {
  fx.assertOutsideUntouched();
  fx.cleanup();
});

function refusal(fn: () => unknown): string {
  try {
    const r = fn();
    if (r && typeof r === "object" && "close" in r) (r as { close(): void }).close();
  } catch (e) {
    if (e instanceof SafePathError) return e.code;
    throw e;
  }
  return "opened";
}

describe("openBeneath", () => {
  it("opens files and directories beneath the root and reports where they are", () => {
    withBeneath(fx.root, "dir/file", {}, (h) => {
      expect(fs.readFileSync(h.fd, "utf8")).toBe("inside");
      expect(h.stat.isFile()).toBe(true);
      expect(h.realPath).toBe(path.join(fs.realpathSync(fx.root), "dir/file"));
      expect(h.created).toBe(false);
    });
    withBeneath(fx.root, "dir", { directory: true }, (h) => {
      expect(fs.readdirSync(h.procPath).sort()).toEqual(["deeper", "file", "file-link", "inner-link"]);
    });
    withBeneath(fx.root, "", { directory: true }, (h) => expect(h.realPath).toBe(fs.realpathSync(fx.root)));
  });

  it.each([
    ["abs-link/secret"],
    ["abs-link"],
    ["rel-link/secret"],
    ["rel-link/dir/secret"],
    ["dir/file-link"],
    ["dir/inner-link"],
    ["dangling"],
  ])("refuses the planted symlink in %j", (rel) => {
    expect(refusal(() => openBeneath(fx.root, rel))).toBe("SymlinkRefused");
    expect(refusal(() => openBeneath(fx.root, rel, { pathOnly: true }))).toBe("SymlinkRefused");
    expect(refusal(() => openBeneath(fx.root, rel, { directory: true }))).toBe("SymlinkRefused");
  });

  it("never creates through a link, dangling or not", () => {
    const own = { mode: 0o644, uid: 0, gid: 0 };
    expect(refusal(() => openBeneath(fx.root, "dangling", { flags: fs.constants.O_WRONLY, create: own }))).toBe("SymlinkRefused");
    expect(refusal(() => openBeneath(fx.root, "abs-link/new", { flags: fs.constants.O_WRONLY, create: own }))).toBe("SymlinkRefused");
    expect(refusal(() => openBeneath(fx.root, "dangling", { directory: true, create: own }))).toBe("SymlinkRefused");
    expect(refusal(() => openBeneath(fx.root, "dir/file-link", { flags: fs.constants.O_WRONLY | fs.constants.O_TRUNC }))).toBe("SymlinkRefused");
    expect(fs.existsSync(path.join(fx.outside, "new-file"))).toBe(false);
  });

  it("refuses invalid paths before touching the disk", () => {
    for (const p of ["/etc/passwd", "../outside/secret", "dir/../../outside/secret", "dir//file", "dir/\0"]) {
      expect(refusal(() => openBeneath(fx.root, p))).toBe("InvalidPath");
    }
  });

  it("reports missing, non-directory and wrong-type components", () => {
    expect(refusal(() => openBeneath(fx.root, "nope"))).toBe("NotFound");
    expect(refusal(() => openBeneath(fx.root, "nope/x"))).toBe("NotFound");
    expect(refusal(() => openBeneath(fx.root, "dir/file/x"))).toBe("NotDirectory");
    expect(refusal(() => openBeneath(fx.root, "dir/file", { directory: true }))).toBe("WrongType");
  });

  it("does not hang on a fifo and refuses it unless pathOnly", () => {
    execFileSync("mkfifo", [path.join(fx.root, "dir/fifo")]);
    expect(refusal(() => openBeneath(fx.root, "dir/fifo"))).toBe("WrongType");
    withBeneath(fx.root, "dir/fifo", { pathOnly: true }, (h) => expect(h.stat.isFIFO()).toBe(true));
  });

  it("creates files with exactly the requested mode and owner, once", () => {
    const own = { mode: 0o640, uid: 1234, gid: 5678 };
    const h = openBeneath(fx.root, "dir/new", { flags: fs.constants.O_WRONLY, create: own });
    fs.writeSync(h.fd, "hello");
    h.close();
    expect(h.created).toBe(true);
    const st = fs.statSync(path.join(fx.root, "dir/new"));
    expect([st.mode & 0o7777, st.uid, st.gid]).toEqual([0o640, 1234, 5678]);
    const again = openBeneath(fx.root, "dir/new", { create: { mode: 0o600, uid: 1, gid: 1 } });
    expect(again.created).toBe(false);
    expect(fs.readFileSync(again.fd, "utf8")).toBe("hello");
    again.close();
    expect(fs.statSync(path.join(fx.root, "dir/new")).uid).toBe(1234);
  });

  it("creates a final directory with owner and mode", () => {
    const h = openBeneath(fx.root, "dir/newdir", { directory: true, create: { mode: 0o2750, uid: 42, gid: 43 } });
    h.close();
    const st = fs.statSync(path.join(fx.root, "dir/newdir"));
    expect([st.isDirectory(), st.mode & 0o7777, st.uid, st.gid]).toEqual([true, 0o2750, 42, 43]);
  });
});

describe("mkdirBeneath", () => {
  it("creates the missing chain with owner and mode and leaves existing components alone", () => {
    const before = fs.statSync(path.join(fx.root, "dir"));
    const h = mkdirBeneath(fx.root, "dir/a/b/c", { mode: 0o711, uid: 7, gid: 8 });
    h.close();
    for (const rel of ["dir/a", "dir/a/b", "dir/a/b/c"]) {
      const st = fs.statSync(path.join(fx.root, rel));
      expect([st.mode & 0o7777, st.uid, st.gid]).toEqual([0o711, 7, 8]);
    }
    const after = fs.statSync(path.join(fx.root, "dir"));
    expect([after.mode, after.uid]).toEqual([before.mode, before.uid]);
    expect(mkdirBeneath(fx.root, "dir/a/b/c", { mode: 0o700, uid: 0, gid: 0 }).created).toBe(false);
  });

  it("refuses to create through a link anywhere in the chain", () => {
    const own = { mode: 0o755, uid: 0, gid: 0 };
    expect(refusal(() => mkdirBeneath(fx.root, "abs-link/x/y", own))).toBe("SymlinkRefused");
    expect(refusal(() => mkdirBeneath(fx.root, "rel-link/dir/z", own))).toBe("SymlinkRefused");
    expect(refusal(() => mkdirBeneath(fx.root, "dangling", own))).toBe("SymlinkRefused");
    expect(refusal(() => mkdirBeneath(fx.root, "dir/file/x", own))).toBe("NotDirectory");
  });
});

describe("helpers", () => {
  it("resolveBeneath and lstatBeneath never follow the final link", () => {
    expect(resolveBeneath(fx.root, "dir/deeper").path).toBe(path.join(fs.realpathSync(fx.root), "dir/deeper"));
    expect(refusal(() => resolveBeneath(fx.root, "dir/inner-link"))).toBe("SymlinkRefused");
    expect(lstatBeneath(fx.root, "abs-link")?.isSymbolicLink()).toBe(true);
    expect(lstatBeneath(fx.root, "missing")).toBeUndefined();
    expect(lstatBeneath(fx.root, "missing/x")).toBeUndefined();
    expect(refusal(() => lstatBeneath(fx.root, "abs-link/secret"))).toBe("SymlinkRefused");
  });

  it("openParentBeneath gives a directory fd and a name to act on", () => {
    const { parent, name } = openParentBeneath(fx.root, "dir/file-link");
    try {
      expect(name).toBe("file-link");
      fs.unlinkSync(childPath(parent.fd, name)); // removes the link, not its target
    } finally {
      parent.close();
    }
    expect(fs.existsSync(path.join(fx.root, "dir/file-link"))).toBe(false);
    expect(fs.readFileSync(path.join(fx.outside, "secret"), "utf8")).toBe(SENTINEL);
    expect(refusal(() => openParentBeneath(fx.root, ""))).toBe("IsRoot");
  });
});
