/**
 * subPath symlink attacks (CVE-2017-1002101, CVE-2021-25741) against a real node: an init container plants links
 * in a volume — to /, to /etc, to .., to a host directory holding a sentinel — and the main container mounts them
 * with subPath. Each pod must fail to start (CreateContainerConfigError, a message naming subPath), and nothing
 * outside the volume may be read or written. A second pod keeps swapping a subPath between a directory and a link
 * while a pod mounts it: whatever the timing, the mount is either refused or lands inside the volume.
 */
import * as fs from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { boundClaim, deletePodAndWait, eventsFor, podObj, podWhen, running, startNodeFixture, type NodeFixture } from "./support/fixture.js";

let fx: NodeFixture;
let sentinel: string;

beforeAll(async () => {
  fx = await startNodeFixture();
  await fx.startAgent("node-s");
  sentinel = join(fx.dir, "host-secret");
  fs.mkdirSync(sentinel);
  fs.writeFileSync(join(sentinel, "secret.txt"), "host secret");
  fs.mkdirSync(join(fx.fsDir(), "attack"), { mode: 0o777 });
  await boundClaim(fx, "default", "attack", `${fx.fsId}:/attack`);
}, 120_000);

afterAll(async () => {
  if (sentinel) {
    expect(fs.readdirSync(sentinel)).toEqual(["secret.txt"]);
    expect(fs.readFileSync(join(sentinel, "secret.txt"), "utf8")).toBe("host secret");
  }
  await fx?.cleanup();
}, 120_000);

const VOLUMES = [
  { name: "efs", persistentVolumeClaim: { claimName: "attack" } },
  { name: "scratch", emptyDir: {} },
];

function attackPod(name: string, volume: "efs" | "scratch", linkTarget: string, subPath: string) {
  const link = subPath.split("/")[0];
  return podObj(name, "node-s", {
    volumes: VOLUMES,
    initContainers: [{ name: "plant", image: "busybox", command: ["sh", "-c", `rm -rf /v/${link}; ln -s ${linkTarget} /v/${link}`], volumeMounts: [{ name: volume, mountPath: "/v" }] }],
    containers: [{ name: "app", image: "busybox", command: ["sh", "-c", "ls /t; echo pwned > /t/pwned; sleep 3600"], volumeMounts: [{ name: volume, mountPath: "/t", subPath }] }],
  });
}

describe("planted symlinks used as subPath", () => {
  const cases: [string, "efs" | "scratch", () => string, string][] = [
    ["to-root", "efs", () => "/", "root"],
    ["to-etc", "scratch", () => "/etc", "etc"],
    ["to-etc-file", "efs", () => "/etc", "etcf/passwd"],
    ["to-parent", "efs", () => "..", "up"],
    ["to-grandparent", "scratch", () => "../..", "upup"],
    ["to-sentinel", "efs", () => sentinel, "secret"],
  ];
  for (const [name, volume, target, subPath] of cases) {
    it(`${name}: the pod never starts and nothing outside the volume is touched`, async () => {
      await fx.pods.create(attackPod(name, volume, target(), subPath));
      const p = await podWhen(fx, name, (x) => x.status?.containerStatuses?.[0]?.state?.waiting?.reason === "CreateContainerConfigError", "CreateContainerConfigError");
      expect(p.status?.phase).toBe("Pending");
      const waiting = p.status?.containerStatuses?.[0].state?.waiting;
      expect(waiting?.message).toMatch(/subPath/);
      expect(waiting?.message).toMatch(/symbolic link/);
      expect(p.status?.initContainerStatuses?.[0].state?.terminated?.exitCode).toBe(0);
      const failed = (await eventsFor(fx, name)).find((e) => e.reason === "Failed");
      expect(failed?.message).toMatch(/^Error: subPath/);
      expect(fs.existsSync("/pwned")).toBe(false);
      expect(fs.existsSync("/etc/pwned")).toBe(false);
      await deletePodAndWait(fx, name);
    }, 60_000);
  }

  it("a subPath swapped between a directory and a link is refused or stays inside the volume", async () => {
    await fx.pods.create(
      podObj("swapper", "node-s", {
        volumes: VOLUMES,
        containers: [
          {
            name: "app",
            image: "busybox",
            command: ["sh", "-c", `cd /v; while :; do rm -f race; mkdir race 2>/dev/null; rmdir race 2>/dev/null || exit 0; ln -s ${sentinel} race; done`],
            volumeMounts: [{ name: "efs", mountPath: "/v" }],
          },
        ],
      }),
    );
    await podWhen(fx, "swapper", running, "swapper running");
    await fx.pods.create(
      podObj("victim", "node-s", {
        volumes: VOLUMES,
        containers: [{ name: "app", image: "busybox", command: ["sh", "-c", "echo pwned > /t/pwned; sleep 3600"], volumeMounts: [{ name: "efs", mountPath: "/t", subPath: "race" }] }],
      }),
    );
    const p = await podWhen(
      fx,
      "victim",
      (x) => !!x.status?.containerStatuses?.[0]?.state?.running || x.status?.containerStatuses?.[0]?.state?.waiting?.reason === "CreateContainerConfigError",
      "started or refused",
    );
    const state = p.status?.containerStatuses?.[0].state;
    if (state?.waiting) expect(state.waiting.message).toMatch(/subPath "race"/);
    else {
      // It won the race against a directory: its writes are in the volume.
      await podWhen(fx, "victim", () => fs.existsSync(join(fx.fsDir(), "attack", "race", "pwned")), "marker inside the volume");
    }
    expect(fs.readdirSync(sentinel)).toEqual(["secret.txt"]);
    await Promise.all([deletePodAndWait(fx, "victim"), deletePodAndWait(fx, "swapper")]);
    expect(fs.readdirSync(sentinel)).toEqual(["secret.txt"]);
  }, 90_000);
});
