import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { translateSubPath, validatePayloadPath, writePayload, type Payload } from "./atomic-writer.js";

const dirs: string[] = [];
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "atomic-"));
  dirs.push(d);
  return path.join(d, "vol");
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const file = (s: string, mode = 0o644) => ({ data: Buffer.from(s), mode });

describe("writePayload", () => {
  it("lays out version dir, ..data and user-visible links", () => {
    const dir = tmp();
    expect(writePayload(dir, new Map([["a.txt", file("A")], ["sub/b.txt", file("B", 0o400)]]))).toBe(true);
    expect(fs.readFileSync(path.join(dir, "a.txt"), "utf8")).toBe("A");
    expect(fs.readFileSync(path.join(dir, "sub", "b.txt"), "utf8")).toBe("B");
    expect(fs.readlinkSync(path.join(dir, "a.txt"))).toBe("..data/a.txt");
    expect(fs.readlinkSync(path.join(dir, "..data"))).toMatch(/^\.\.\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d\.\d{9}$/);
    expect(fs.statSync(path.join(dir, "sub", "b.txt")).mode & 0o777).toBe(0o400);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o777);
  });

  it("does nothing for an identical payload and swaps atomically for a new one, removing stale names", () => {
    const dir = tmp();
    writePayload(dir, new Map([["a", file("1")], ["old", file("x")]]));
    const v1 = fs.readlinkSync(path.join(dir, "..data"));
    expect(writePayload(dir, new Map([["a", file("1")], ["old", file("x")]]))).toBe(false);
    expect(fs.readlinkSync(path.join(dir, "..data"))).toBe(v1);
    expect(writePayload(dir, new Map([["a", file("2")]]))).toBe(true);
    expect(fs.readlinkSync(path.join(dir, "..data"))).not.toBe(v1);
    expect(fs.readFileSync(path.join(dir, "a"), "utf8")).toBe("2");
    expect(fs.readdirSync(dir).sort()).toEqual(["..data", fs.readlinkSync(path.join(dir, "..data")), "a"].sort());
  });

  it("applies the fsGroup: group ownership and group-readable files", () => {
    const dir = tmp();
    writePayload(dir, new Map([["k", file("v", 0o600)]]), { gid: 4321 });
    const st = fs.statSync(path.join(dir, "k"));
    expect([st.gid, st.mode & 0o777]).toEqual([4321, 0o640]);
  });

  it("refuses escaping or hidden payload paths before writing anything", () => {
    const dir = tmp();
    for (const bad of ["../x", "/abs", "a/../b", "..data", "..hidden", "a//b", ""]) {
      expect(() => writePayload(dir, new Map([[bad, file("x")]]) as Payload), bad).toThrow();
      expect(() => validatePayloadPath(bad)).toThrow();
    }
    expect(fs.existsSync(dir)).toBe(false);
  });

  it("translates a subPath through its own links only", () => {
    const dir = tmp();
    writePayload(dir, new Map([["conf/app.yaml", file("x")], ["top", file("y")]]));
    const v = fs.readlinkSync(path.join(dir, "..data"));
    expect(translateSubPath(dir, "top")).toBe(`${v}/top`);
    expect(translateSubPath(dir, "conf/app.yaml")).toBe(`${v}/conf/app.yaml`);
    expect(translateSubPath(dir, "missing")).toBe("missing");
    fs.symlinkSync("/etc", path.join(dir, "planted"));
    expect(translateSubPath(dir, "planted")).toBe("planted");
  });
});
