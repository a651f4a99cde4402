import { describe, expect, it } from "vitest";
import { isRuntimeError } from "./errors.js";
import { isBusyboxRef, parseImageRef } from "./image-ref.js";

describe("parseImageRef", () => {
  it.each([
    ["busybox", "docker.io/library/busybox:latest"],
    ["busybox:1.36", "docker.io/library/busybox:1.36"],
    ["docker.io/library/busybox:latest", "docker.io/library/busybox:latest"],
    ["index.docker.io/library/busybox", "docker.io/library/busybox:latest"],
    ["library/busybox", "docker.io/library/busybox:latest"],
    ["team/app:v1", "docker.io/team/app:v1"],
    ["localhost/app", "localhost/app:latest"],
    ["registry.local:5000/a/b:1.0", "registry.local:5000/a/b:1.0"],
    [`busybox@sha256:${"a".repeat(64)}`, `docker.io/library/busybox@sha256:${"a".repeat(64)}`],
  ])("%s -> %s", (ref, canonical) => {
    expect(parseImageRef(ref).canonical).toBe(canonical);
  });

  it("every busybox spelling is the built-in busybox; others are not", () => {
    for (const r of ["busybox", "busybox:1.36", "docker.io/library/busybox:latest", `busybox@sha256:${"b".repeat(64)}`]) {
      expect(isBusyboxRef(parseImageRef(r))).toBe(true);
    }
    for (const r of ["nginx", "quay.io/library/busybox", "team/busybox"]) expect(isBusyboxRef(parseImageRef(r))).toBe(false);
  });

  it.each([["Busybox"], [""], ["busybox:"], ["a b"], ["busybox@sha256:12"], ["../etc"], ["busybox:-x"]])("refuses %j", (ref) => {
    let err: unknown;
    try {
      parseImageRef(ref);
    } catch (e) {
      err = e;
    }
    expect(isRuntimeError(err, "InvalidImageName")).toBe(true);
  });
});
