/**
 * The `cistern node` and `cistern image` commands, run as processes: `image import` adds a docker-save tarball
 * to a node's images and `image list` shows it; `cistern node --kubeconfig --name` registers a Node, runs a pod
 * with the imported image, and on SIGTERM stops cleanly (no container or mount left).
 */
import { execFile, spawn } from "node:child_process";
import * as fs from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Node } from "../../src/api/index.js";
import { readMountInfo } from "../../src/lib/safe-path/index.js";
import { R, eventually, podObj, podWhen, startNodeFixture, type NodeFixture } from "./support/fixture.js";

const run = promisify(execFile);
const here = fileURLToPath(new URL(".", import.meta.url));
const repoRoot = resolve(here, "../..");
const cli = join(here, "support", "cli-main.mts");
let fx: NodeFixture;

beforeAll(async () => {
  fx = await startNodeFixture();
}, 120_000);

afterAll(async () => {
  await fx?.cleanup();
}, 120_000);

/** A docker-save tarball whose one layer holds a static busybox, entrypoint `busybox echo …`. */
async function dockerSaveTarball(dir: string): Promise<string> {
  const layerDir = join(dir, "layer-root");
  fs.mkdirSync(join(layerDir, "bin"), { recursive: true });
  fs.copyFileSync("/usr/bin/busybox", join(layerDir, "bin", "busybox"));
  fs.chmodSync(join(layerDir, "bin", "busybox"), 0o755);
  const img = join(dir, "img");
  fs.mkdirSync(join(img, "layer"), { recursive: true });
  await run("tar", ["-cf", join(img, "layer", "layer.tar"), "-C", layerDir, "."]);
  fs.writeFileSync(
    join(img, "config.json"),
    JSON.stringify({ architecture: "amd64", os: "linux", config: { Entrypoint: ["/bin/busybox", "echo", "hello from an imported image"], Env: ["PATH=/bin"], WorkingDir: "/" }, rootfs: { type: "layers", diff_ids: [] } }),
  );
  fs.writeFileSync(join(img, "manifest.json"), JSON.stringify([{ Config: "config.json", RepoTags: ["example.com/hello:1.0"], Layers: ["layer/layer.tar"] }]));
  const out = join(dir, "hello.tar");
  await run("tar", ["-cf", out, "-C", img, "manifest.json", "config.json", "layer"]);
  return out;
}

describe("cistern image", () => {
  it("imports a docker-save tarball into a node and lists it", async () => {
    const tarball = await dockerSaveTarball(fs.mkdtempSync(join(fx.dir, "img-")));
    const rootDir = join(fx.dir, "data", "nodes", "cli-node");
    const imported = await run(process.execPath, ["--import", "tsx", cli, "image", "import", "example.com/hello:1.0", tarball, "--root-dir", rootDir], { cwd: repoRoot });
    expect(imported.stdout).toMatch(/^imported .*example\.com\/hello:1\.0.* into node cli-node$/m);
    expect(fs.existsSync(join(rootDir, "runtime"))).toBe(true);
    // Without --root-dir, every node under the data dir.
    const list = await run(process.execPath, ["--import", "tsx", cli, "image", "list", "--data-dir", join(fx.dir, "data")], { cwd: repoRoot });
    expect(list.stdout.split("\n")[0]).toMatch(/^NODE\s+NAME\s+ID\s+CREATED$/);
    expect(list.stdout).toMatch(/cli-node\s+example\.com\/hello:1\.0\s+sha256-/);
  }, 120_000);
});

describe("cistern node", () => {
  it("joins the cluster, runs a pod with the imported image, and stops cleanly on SIGTERM", async () => {
    const { log: _log, ...csi } = fx.csiConfig();
    const env = {
      ...process.env,
      AWS_ACCESS_KEY_ID: csi.efs.credentials?.accessKeyId ?? "",
      AWS_SECRET_ACCESS_KEY: csi.efs.credentials?.secretAccessKey ?? "",
      AWS_REGION: "us-east-1",
      AWS_ENDPOINT_URL_EFS: fx.efs.url,
    };
    const p = spawn(process.execPath, ["--import", "tsx", cli, "node", "--kubeconfig", fx.kubeconfig, "--name", "cli-node", "--data-dir", join(fx.dir, "data"), "--port", "0", "--node-label", "tier=test"], { cwd: repoRoot, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    p.stdout.on("data", (d: Buffer) => (out += d.toString()));
    p.stderr.on("data", (d: Buffer) => (err = (err + d.toString()).slice(-20_000)));
    const exited = new Promise<number | null>((r) => p.on("exit", (code) => r(code)));
    try {
      await eventually(() => (out.includes("is running") ? true : p.exitCode !== null ? Promise.reject(new Error(err)) : undefined), "cistern node running", 60_000);
      const node = await fx.client.resource<Node>(R.node).get(undefined, "cli-node");
      expect(node.metadata.labels?.tier).toBe("test");
      await fx.pods.create(podObj("imported", "cli-node", { restartPolicy: "Never", containers: [{ name: "app", image: "example.com/hello:1.0" }] }));
      await podWhen(fx, "imported", (x) => x.status?.phase === "Succeeded", "Succeeded");
      expect(await fx.pods.getSubresourceText("default", "imported", "log", { query: { container: "app" } })).toBe("hello from an imported image\n");
    } finally {
      p.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
    expect(readMountInfo().filter((m) => m.mountPoint.startsWith(join(fx.dir, "data", "nodes") + "/"))).toEqual([]);
  }, 120_000);
});
