/**
 * Symlink-swap races: an attacker thread flips <root>/vol between a real directory and a symlink to the outside
 * while we open, create, mkdir and delete through it thousands of times. The sentinels outside must never be read,
 * written, created next to or deleted; and a naive path join, run against the same attacker, must be fooled (which
 * proves the race is real and the safe walk is what holds).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SafePathError } from "./errors.js";
import { childPath } from "./fd-path.js";
import { mkdirBeneath, openBeneath } from "./open-beneath.js";
import { removeTreeBeneath } from "./remove-tree.js";
import { SENTINEL, makeFixture, startSwapper, type Fixture, type Swapper } from "./test-fixture.js";

const ATTEMPTS = 3000;
let fx: Fixture;
let swapper: Swapper;
let realFd: number;

beforeEach(async () => {
  fx = makeFixture("race-");
  swapper = await startSwapper(fx.root, "vol", path.join(fx.outside, "dir"));
  realFd = swapper.realFd;
  fs.writeFileSync(childPath(realFd, "secret"), "inside");
});
afterEach(async () => {
  const swaps = await swapper.stop();
  expect(swaps).toBeGreaterThan(0);
  fx.assertOutsideUntouched();
  fx.cleanup();
});

/** Run `attempt` until at least ATTEMPTS tries and both outcomes were seen (bounded). */
function race(attempt: () => "ok" | "refused"): { ok: number; refused: number } {
  const seen = { ok: 0, refused: 0 };
  for (let i = 0; i < ATTEMPTS * 20 && (i < ATTEMPTS || seen.ok === 0 || seen.refused === 0); i++) {
    try {
      seen[attempt()]++;
    } catch (e) {
      if (!(e instanceof SafePathError)) throw e;
      seen.refused++;
    }
  }
  return seen;
}

describe("symlink-swap races", () => {
  it("a naive path join is fooled by the attacker (control)", () => {
    let leaked = 0;
    for (let i = 0; i < ATTEMPTS * 20 && leaked === 0; i++) {
      try {
        if (fs.readFileSync(path.join(fx.root, "vol/secret"), "utf8") === SENTINEL) leaked++;
      } catch {
        // the name was mid-swap
      }
    }
    expect(leaked).toBeGreaterThan(0);
  });

  it("openBeneath never reads a sentinel", () => {
    const sentinelIno = fs.statSync(path.join(fx.outside, "dir/secret")).ino;
    const seen = race(() => {
      const h = openBeneath(fx.root, "vol/secret");
      try {
        expect(h.stat.ino).not.toBe(sentinelIno);
        expect(fs.readFileSync(h.fd, "utf8")).toBe("inside");
      } finally {
        h.close();
      }
      return "ok";
    });
    expect(seen.ok).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(0);
  });

  it("openBeneath with create never writes or creates outside", () => {
    const seen = race(() => {
      const h = openBeneath(fx.root, "vol/secret", {
        flags: fs.constants.O_WRONLY | fs.constants.O_TRUNC,
        create: { mode: 0o644, uid: 0, gid: 0 },
      });
      try {
        fs.writeSync(h.fd, "inside");
      } finally {
        h.close();
      }
      const n = openBeneath(fx.root, "vol/created", { flags: fs.constants.O_WRONLY, create: { mode: 0o600, uid: 0, gid: 0 } });
      n.close();
      fs.unlinkSync(childPath(realFd, "created"));
      return "ok";
    });
    expect(seen.ok).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(0);
  });

  it("mkdirBeneath never creates a directory outside", () => {
    const realIno = fs.fstatSync(realFd).ino;
    const rootReal = fs.realpathSync(fx.root);
    const vol = path.join(fx.root, "vol");
    let i = 0;
    const seen = race(() => {
      i++;
      try {
        const h = mkdirBeneath(fx.root, `vol/made${i}/deeper`, { mode: 0o755, uid: 0, gid: 0 });
        h.close();
        expect(h.realPath.startsWith(rootReal + "/")).toBe(true);
        return "ok";
      } finally {
        // mkdir -p may legitimately create "vol" itself while the attacker has it renamed away. Once that
        // directory is non-empty no rename of the attacker can move or replace it (the state is stable), so the
        // test removes it to let the race go on; an empty one is replaced by the attacker's next rename anyway.
        let fd: number | undefined;
        try {
          fd = fs.openSync(vol, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY | fs.constants.O_NOFOLLOW);
          if (fs.fstatSync(fd).ino !== realIno && fs.readdirSync(childPath(fd, "")).length > 0) fs.rmSync(vol, { recursive: true });
        } catch {
          // vol is the link or missing right now: nothing is stuck
        } finally {
          if (fd !== undefined) fs.closeSync(fd);
        }
      }
    });
    expect(seen.ok).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(0);
  });

  it("removeTreeBeneath never deletes outside", async () => {
    let ok = 0;
    let refused = 0;
    for (let i = 0; i < ATTEMPTS || ok === 0 || refused === 0; i++) {
      if (i > ATTEMPTS * 20) break;
      if (!fs.existsSync(childPath(realFd, "sub"))) {
        fs.mkdirSync(childPath(realFd, "sub/deep"), { recursive: true });
        fs.writeFileSync(childPath(realFd, "sub/deep/secret"), "inside");
      }
      try {
        if (await removeTreeBeneath(fx.root, "vol/sub")) ok++;
      } catch (e) {
        if (!(e instanceof SafePathError)) throw e;
        refused++;
      }
      expect(fs.readFileSync(path.join(fx.outside, "dir/sub/secret"), "utf8")).toBe(SENTINEL);
    }
    expect(ok).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  });
});
