import { describe, expect, it } from "vitest";
import { isDynamicElf } from "./busybox-image.js";
import * as fs from "node:fs";
import { isRuntimeError } from "./errors.js";
import { containedLinkTarget, normalizeEntryName } from "./layer-apply.js";

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return isRuntimeError(e) ? e.code : "other";
  }
  return undefined;
}

describe("layer entry names", () => {
  it.each([
    ["./etc/passwd", "etc/passwd"],
    ["etc/", "etc"],
    ["./", ""],
    [".", ""],
  ])("%j -> %j", (raw, want) => expect(normalizeEntryName(raw)).toBe(want));

  it.each([["/etc/passwd"], ["../x"], ["a/../../x"], ["a//b"], ["a/./b"]])("refuses %j", (raw) => {
    expect(code(() => normalizeEntryName(raw))).toBe("ImageRefused");
  });
});

describe("symlink targets", () => {
  it.each([
    ["lib", "/usr/lib", "usr/lib"],
    ["usr/bin/python", "/usr/bin/python3", "python3"],
    ["etc/localtime", "/usr/share/zoneinfo/UTC", "../usr/share/zoneinfo/UTC"],
    ["a/b/root", "/", "../.."],
    ["top", "/", "."],
    ["a/b/c", "../../x", "../../x"],
    ["a/link", "sibling", "sibling"],
  ])("%s -> %s is stored as %s", (at, target, want) => expect(containedLinkTarget(at, target)).toBe(want));

  it.each([["x", "../etc"], ["a/b", "../../../etc"], ["a/b", "c/../../../.."]])("refuses %s -> %s", (at, target) => {
    expect(code(() => containedLinkTarget(at, target))).toBe("ImageRefused");
  });
});

describe("busybox binary check", () => {
  it("tells a static binary from a dynamic one", () => {
    expect(isDynamicElf(fs.readFileSync("/usr/bin/busybox"))).toBe(false);
    expect(isDynamicElf(fs.readFileSync(process.execPath))).toBe(true);
    expect(isDynamicElf(Buffer.from("#!/bin/sh\n"))).toBe(false);
  });
});
