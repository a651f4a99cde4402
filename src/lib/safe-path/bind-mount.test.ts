import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { configureSpawner, type Spawner } from "../spawner/index.js";
import { buildSpawnerForTests } from "../spawner/test-support.js";
import { bindMountFd, unmount } from "./bind-mount.js";
import { SafePathError } from "./errors.js";
import { childPath } from "./fd-path.js";
import { isMountPoint, mountsAtOrBelow } from "./mountinfo.js";
import { openBeneath } from "./open-beneath.js";
import { SENTINEL, makeFixture, startSwapper, type Fixture } from "./test-fixture.js";

let fx: Fixture;
let target: string;
beforeEach(() => {
  fx = makeFixture("bind-mount-");
  target = path.join(fx.base, "target");
  fs.mkdirSync(target);
  fs.mkdirSync(path.join(fx.root, "data"));
  fs.writeFileSync(path.join(fx.root, "data/marker"), "inside");
  fs.writeFileSync(path.join(fx.root, "file"), "a file");
});
afterEach(async () => {
  await unmount(target);
  expect(mountsAtOrBelow(fs.realpathSync(fx.base))).toEqual([]);
  fx.assertOutsideUntouched();
  fx.cleanup();
});

/** The fd must stay open until the mount is done: close only after awaiting. */
async function mountBeneath(rel: string, at: string, readOnly: boolean): Promise<void> {
  const h = openBeneath(fx.root, rel, { pathOnly: true });
  try {
    await bindMountFd(h.fd, at, { readOnly });
  } finally {
    h.close();
  }
}

// Every case runs with the mount calls made by the spawner's helper (mount(2)) and by mount(8) directly.
for (const mode of ["helper", "direct"] as const) {
  describe(`bindMountFd (${mode})`, () => {
    let spawner: Spawner;
    beforeAll(() => {
      spawner = configureSpawner({ helperPath: mode === "helper" ? buildSpawnerForTests() : undefined });
    });
    afterAll(() => {
      expect(mode === "helper" ? spawner.stats.directCalls : spawner.stats.helperCalls).toBe(0);
      expect(mode === "helper" ? spawner.stats.helperCalls : spawner.stats.directCalls).toBeGreaterThan(0);
      configureSpawner({});
    });

    it("mounts the opened directory read-only and unmounts it", async () => {
      await mountBeneath("data", target, true);
      expect(isMountPoint(target)).toBe(true);
      expect(fs.readFileSync(path.join(target, "marker"), "utf8")).toBe("inside");
      expect(() => fs.writeFileSync(path.join(target, "new"), "x")).toThrow(/EROFS/);
      expect(() => fs.writeFileSync(path.join(target, "marker"), "x")).toThrow(/EROFS/);
      await unmount(target);
      expect(isMountPoint(target)).toBe(false);
      await unmount(target); // repeat is harmless
    });

    it("mounts read-write when asked, and a file onto a file", async () => {
      await mountBeneath("data", target, false);
      fs.writeFileSync(path.join(target, "written"), "w");
      expect(fs.readFileSync(path.join(fx.root, "data/written"), "utf8")).toBe("w");
      await unmount(target);
      const fileTarget = path.join(fx.base, "file-target");
      fs.writeFileSync(fileTarget, "");
      await mountBeneath("file", fileTarget, true);
      try {
        expect(fs.readFileSync(fileTarget, "utf8")).toBe("a file");
      } finally {
        await unmount(fileTarget);
      }
    });

    it("refuses a target that is a symlink", async () => {
      const linkTarget = path.join(fx.base, "link-target");
      fs.symlinkSync(fx.outside, linkTarget);
      const h = openBeneath(fx.root, "data", { pathOnly: true });
      try {
        await expect(bindMountFd(h.fd, linkTarget)).rejects.toMatchObject({ code: "SymlinkRefused" });
      } finally {
        h.close();
      }
    });

    it("subPath attack: a planted symlink is refused before anything is mounted", () => {
      fs.symlinkSync("/", path.join(fx.root, "data/evil"));
      fs.symlinkSync("../../outside", path.join(fx.root, "data/evil2"));
      for (const sub of ["data/evil", "data/evil2", "data/evil/etc", "data/evil2/dir"]) {
        let err: unknown;
        try {
          openBeneath(fx.root, sub, { pathOnly: true }).close();
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(SafePathError);
        expect((err as SafePathError).code).toBe("SymlinkRefused");
      }
      expect(isMountPoint(target)).toBe(false);
    });

    it("symlink-swap race: the mounted object is never the outside directory", async () => {
      fs.writeFileSync(path.join(fx.outside, "dir", "marker"), SENTINEL); // what an escaped mount would show
      const swapper = await startSwapper(fx.root, "vol", path.join(fx.outside, "dir"));
      fs.writeFileSync(childPath(swapper.realFd, "marker"), "inside");
      let mounted = 0;
      let refused = 0;
      try {
        for (let i = 0; i < 300 || (mounted === 0 && i < 3000); i++) {
          let h;
          try {
            h = openBeneath(fx.root, "vol", { pathOnly: true, directory: true });
          } catch (e) {
            if (!(e instanceof SafePathError)) throw e;
            refused++;
            continue;
          }
          try {
            await bindMountFd(h.fd, target, { readOnly: true });
          } finally {
            h.close();
          }
          mounted++;
          expect(fs.readFileSync(path.join(target, "marker"), "utf8")).toBe("inside");
          await unmount(target);
        }
      } finally {
        await swapper.stop();
      }
      fs.unlinkSync(path.join(fx.outside, "dir", "marker"));
      expect(mounted).toBeGreaterThan(0);
      expect(refused).toBeGreaterThan(0);
    });
  });
}
