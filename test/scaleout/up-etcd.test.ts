/**
 * `cistern up --store etcd://…` on a three-member etcd runs everything as usual: real kubectl
 * applies the dynamic-provisioning example, the external provisioner creates an access point and
 * the PV, the node runs the pod on it, and the objects live in etcd (read back straight from it).
 * An `up` killed with SIGKILL and started again on the same data dir and etcd finds everything
 * again, and its controllers resume their own Lease (stable identity: the same term, no transition).
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Lease, PersistentVolumeClaim, Pod } from "../../src/api/index.js";
import { createClient, loadKubeconfig, type KubeClient, type ResourceRef } from "../../src/client/index.js";
import { LEASE_RESOURCE } from "../../src/controllers/runtime/index.js";
import { openBackend } from "../../src/store/index.js";
import { startEtcdCluster, type EtcdTestCluster } from "../etcd/support.js";
import { REPO, startCli, type CliProcess } from "./support/cli-process.js";
import { eventually } from "./support/scaleout-cluster.js";

const run = promisify(execFile);
const KUBECTL = process.env.CISTERN_TEST_KUBECTL ?? "/usr/bin/kubectl";
const PVC: ResourceRef = { group: "", version: "v1", kind: "PersistentVolumeClaim", plural: "persistentvolumeclaims", namespaced: true };
const POD: ResourceRef = { group: "", version: "v1", kind: "Pod", plural: "pods", namespaced: true };

let dir: string;
let etcd: EtcdTestCluster;
let up: CliProcess | undefined;
let client: KubeClient | undefined;

const startUp = () =>
  startCli(["up", "--data-dir", join(dir, "data"), "--store", etcd.url, "--api-port", "0", "--efs-port", "0", "--file-system-id", "fs-12345678"], {
    name: "cistern up",
    ready: /Cistern is ready at (https:\/\/\S+?): source/,
    timeoutMs: 120_000,
  });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "cistern-up-etcd-"));
  etcd = await startEtcdCluster(3);
  up = await startUp();
}, 300_000);

afterAll(async () => {
  if (client) {
    await client.resource(POD).delete("default", "dynamic-writer", { gracePeriodSeconds: 0 }).catch(() => undefined);
    await eventually(async () => ((await client!.resource(POD).list("default")).items.length === 0 ? true : undefined), "pod gone", 60_000, 250).catch(() => undefined);
    client.close();
  }
  await up?.stop();
  await etcd?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 180_000);

function findFile(root: string, name: string): string | undefined {
  for (const entry of readdirSync(root)) {
    const p = join(root, entry);
    if (entry === name) return p;
    if (statSync(p).isDirectory()) {
      const found = findFile(p, name);
      if (found) return found;
    }
  }
  return undefined;
}

it("runs the controllers, EFS and the node as usual, with every object in etcd, and across a restart", async () => {
  const kubeconfig = join(dir, "data", "kubeconfig");
  const home = mkdtempSync(join(dir, "home-"));
  const kubectl = (args: string[]) => run(KUBECTL, args, { env: { PATH: process.env.PATH ?? "", HOME: home, KUBECONFIG: kubeconfig }, cwd: REPO, timeout: 60_000 });
  await kubectl(["apply", "-f", "examples/dynamic-provisioning/"]);
  client = createClient({ ...loadKubeconfig(kubeconfig), userAgent: "up-etcd-test" });
  const c = client;
  const claim = await eventually(async () => {
    const x = await c.resource<PersistentVolumeClaim>(PVC).get("default", "dynamic-claim");
    return x.status?.phase === "Bound" ? x : undefined;
  }, "the claim is provisioned and Bound", 120_000, 250);
  expect(claim.spec?.volumeName).toBe(`pvc-${claim.metadata.uid}`);
  await eventually(async () => ((await c.resource<Pod>(POD).get("default", "dynamic-writer")).status?.phase === "Running" ? true : undefined), "the pod runs", 120_000, 250);
  const written = await eventually(() => findFile(join(dir, "data", "efs", "fs", "fs-12345678"), "out.txt"), "the pod's file on the EFS disk", 60_000, 250);
  expect(readFileSync(written, "utf8")).toBe("written through an access point\n");

  // The objects are in etcd, under the store's prefix, with etcd's revisions as resourceVersions.
  const backend = await openBackend(etcd.url);
  try {
    const { kv } = await backend.get("/registry/core/persistentvolumeclaims/default/dynamic-claim");
    const stored = await c.resource<PersistentVolumeClaim>(PVC).get("default", "dynamic-claim");
    expect(kv?.modRevision).toBe(Number(stored.metadata.resourceVersion));
    expect((await backend.get(`/registry/core/persistentvolumes/${claim.spec?.volumeName}`)).kv).toBeDefined();
  } finally {
    await backend.close();
  }
  const lease = await c.resource<Lease>(LEASE_RESOURCE).get("kube-system", "cistern-controllers");
  expect(lease.spec?.holderIdentity).toMatch(/_up-[0-9a-f]{12}$/);

  // Crash and restart on the same data dir and etcd (a new port: a new client from the rewritten kubeconfig).
  await up!.kill9();
  up = await startUp();
  c.close();
  client = createClient({ ...loadKubeconfig(kubeconfig), userAgent: "up-etcd-test" });
  const c2 = client;
  const again = await c2.resource<PersistentVolumeClaim>(PVC).get("default", "dynamic-claim");
  expect(again.metadata.uid).toBe(claim.metadata.uid);
  expect(again.status?.phase).toBe("Bound");
  await eventually(async () => ((await c2.resource<Pod>(POD).get("default", "dynamic-writer")).status?.phase === "Running" ? true : undefined), "the pod runs after the restart", 120_000, 250);
  const resumed = await eventually(async () => {
    const l = await c2.resource<Lease>(LEASE_RESOURCE).get("kube-system", "cistern-controllers");
    return l.spec?.renewTime !== lease.spec?.renewTime ? l : undefined;
  }, "the controllers renew their Lease", 30_000, 250);
  expect(resumed.spec).toMatchObject({ holderIdentity: lease.spec?.holderIdentity, acquireTime: lease.spec?.acquireTime, leaseTransitions: lease.spec?.leaseTransitions });
}, 400_000);
