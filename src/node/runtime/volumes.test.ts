import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isMountPoint } from "../../lib/safe-path/index.js";
import { isRuntimeError } from "./errors.js";
import { makeTestRuntime, podSpec, readAll, type TestRuntime } from "./test-support.js";

let t: TestRuntime;
let vol: string;
beforeAll(async () => {
  t = await makeTestRuntime("runtime-volumes-");
  vol = path.join(t.base, "volume");
  fs.mkdirSync(vol);
  fs.writeFileSync(path.join(vol, "data.txt"), "precious");
});
afterAll(async () => {
  await t?.cleanup();
  // nothing in the host's volume directory was deleted by container removal (it is gone only with the test dir)
});

async function run(spec: Parameters<TestRuntime["rt"]["runContainer"]>[0]) {
  const id = await t.rt.runContainer(spec);
  const status = await t.rt.waitContainer(id);
  return { id, status, log: await readAll(await t.rt.readLogs(id)) };
}

describe("volume mounts", () => {
  it("a read-only bind mount cannot be written, and removing the container leaves the volume intact", async () => {
    const { id, status, log } = await run(
      podSpec({
        command: ["sh", "-c", "cat /data/data.txt; echo; echo x > /data/data.txt; echo rc=$?; touch /data/new; echo rc=$?"],
        mounts: [{ containerPath: "/data", hostPath: vol, readOnly: true }],
      }),
    );
    expect(status.exitCode).toBe(0);
    // stdout and stderr interleave in the log by arrival; check each stream on its own
    expect(await readAll(await t.rt.readLogs(id, { stream: "stdout" }))).toBe("precious\nrc=1\nrc=1\n");
    expect(log.match(/Read-only file system/g)).toHaveLength(2);
    expect(fs.readFileSync(path.join(vol, "data.txt"), "utf8")).toBe("precious");
    expect(fs.existsSync(path.join(vol, "new"))).toBe(false);
    await t.rt.removeContainer(id);
    expect(fs.readFileSync(path.join(vol, "data.txt"), "utf8")).toBe("precious");
  });

  it("a read-write mount writes through to the host; a missing subPath is created safely", async () => {
    const { status } = await run(
      podSpec({
        command: ["sh", "-c", "echo hello > /work/out.txt && echo sub > /sub/file"],
        mounts: [
          { containerPath: "/work", hostPath: vol },
          { containerPath: "/sub", hostPath: vol, subPath: "made/by/subpath" },
        ],
      }),
    );
    expect(status.exitCode).toBe(0);
    expect(fs.readFileSync(path.join(vol, "out.txt"), "utf8")).toBe("hello\n");
    expect(fs.readFileSync(path.join(vol, "made/by/subpath/file"), "utf8")).toBe("sub\n");
  });

  it("mounts a single file through subPath", async () => {
    const { log } = await run(podSpec({ command: ["cat", "/etc/config"], mounts: [{ containerPath: "/etc/config", hostPath: vol, subPath: "data.txt", readOnly: true }] }));
    expect(log).toBe("precious\n");
  });

  // The kubelet e2e "subPath" suite: a container plants a symlink in a writable volume, another mounts it via subPath.
  it.each([["/"], ["/bin"], ["/bin/sh"], ["/bin/notanexistingpath"], ["../"], ["../../../../../../etc"]])(
    "subPath attack: a planted symlink to %j is refused by the safe-path layer",
    async (target) => {
      const plant = await run(podSpec({ command: ["sh", "-c", `rm -rf /vol/evil; ln -s '${target}' /vol/evil && echo planted`], mounts: [{ containerPath: "/vol", hostPath: vol }] }));
      expect(plant.log).toBe("planted\n");
      for (const subPath of ["evil", "evil/etc"]) {
        const err = await t.rt.runContainer(podSpec({ command: ["ls", "/x"], mounts: [{ containerPath: "/x", hostPath: vol, subPath }] })).catch((e: unknown) => e);
        expect(isRuntimeError(err, "SubPathRefused")).toBe(true);
        expect((err as { kubeReason: string }).kubeReason).toBe("CreateContainerConfigError");
        expect((err as Error).message).toMatch(/subPath/);
      }
      expect(fs.readlinkSync(path.join(vol, "evil"))).toBe(target); // refused, not "fixed": the volume is untouched
    },
  );

  it("refuses a volume host path that contains a symlink", async () => {
    const link = path.join(t.base, "vol-link");
    fs.symlinkSync(vol, link);
    const err = await t.rt.runContainer(podSpec({ command: ["true"], mounts: [{ containerPath: "/x", hostPath: link }] })).catch((e: unknown) => e);
    expect(isRuntimeError(err, "InvalidSpec")).toBe(true);
    expect(isMountPoint(link)).toBe(false);
  });
});
