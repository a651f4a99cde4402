import { describe, expect, it } from "vitest";
import { containerArgs, containerCwd, mergeEnv } from "./container-process.js";
import { isRuntimeError } from "./errors.js";
import type { ImageConfig } from "./image-types.js";

const image: ImageConfig = { entrypoint: ["/entry"], cmd: ["--default"], env: ["A=1", "B=2"], workingDir: "/app", user: "" };

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return isRuntimeError(e) ? e.code : "other";
  }
  return undefined;
}

describe("Kubernetes command/args rules", () => {
  it.each([
    [{}, ["/entry", "--default"]],
    [{ args: ["x"] }, ["/entry", "x"]],
    [{ command: ["/bin/sh"] }, ["/bin/sh"]],
    [{ command: ["/bin/sh"], args: ["-c", "true"] }, ["/bin/sh", "-c", "true"]],
    [{ command: [], args: [] }, ["/entry", "--default"]],
  ])("%j -> %j", (spec, argv) => {
    expect(containerArgs(image, spec)).toEqual(argv);
  });

  it("refuses a container with nothing to run", () => {
    expect(code(() => containerArgs({ ...image, entrypoint: [], cmd: [] }, {}))).toBe("InvalidSpec");
  });
});

describe("environment", () => {
  it("starts with HOSTNAME, keeps image order, lets the container override in place, defaults PATH", () => {
    expect(mergeEnv(["A=1", "B=2"], [{ name: "B", value: "x=y" }, { name: "C", value: "" }], "web")).toEqual([
      "HOSTNAME=web",
      "A=1",
      "B=x=y",
      "C=",
      "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    ]);
    expect(mergeEnv(["PATH=/bin"], [], "h")).toEqual(["HOSTNAME=h", "PATH=/bin"]);
  });
});

describe("working directory", () => {
  it("prefers the container's, then the image's, then /", () => {
    expect(containerCwd(image, "/work/")).toBe("/work");
    expect(containerCwd(image, undefined)).toBe("/app");
    expect(containerCwd({ ...image, workingDir: "" }, undefined)).toBe("/");
  });

  it.each([["relative"], ["/a/../b"], ["/proc/self/fd/7"], ["/proc"]])("refuses %j", (wd) => {
    expect(code(() => containerCwd(image, wd))).toBe("InvalidSpec");
    expect(code(() => containerCwd({ ...image, workingDir: wd }, undefined))).toBe("InvalidSpec");
  });
});
