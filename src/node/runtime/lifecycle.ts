/**
 * Creating and destroying one container (or sandbox) on disk and in the kernel. launch() leaves nothing behind when
 * it fails; destroy() is idempotent and refuses to delete the container directory while anything is still mounted
 * in it (removeTreeBeneath never crosses a mount), so a failed unmount can never turn into deleting volume data.
 * A process killed inside launch() (after the record is written, before the shim has started) leaves a container
 * that is created but will never start; isLaunching() tells such a leftover apart from a launch still under way in
 * this process (see status.ts: `abandoned`).
 */
import * as fs from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { failpointAsync } from "../../lib/failpoints.js";
import { removeTreeBeneath } from "../../lib/safe-path/index.js";
import { podHostname, type MountSpec } from "./container-spec.js";
import type { ContainerRecord } from "./container-store.js";
import type { RuntimeContext } from "./context.js";
import type { ImageInfo } from "./image-types.js";
import { buildOciSpec, baseMounts, type OciMount, type OciSpecInput, type PodFiles } from "./oci-spec.js";
import { mountOverlay, unmountOverlay } from "./overlay.js";
import { removePodMounts } from "./pod-files.js";
import { checkRootfs } from "./rootfs-check.js";
import { readShimState, shimAlive, startShim } from "./shim.js";
import { bindVolumes, unbindVolumes } from "./volume-mounts.js";

/** What a container gets from its pod: the pod files and the namespaces to join (released by close()). */
export interface PodContext {
  podFiles: PodFiles;
  joinNamespaces: OciSpecInput["joinNamespaces"];
  close(): void;
}

export interface LaunchInput {
  record: ContainerRecord;
  image: ImageInfo;
  mounts: MountSpec[];
  /**
   * The pod context, asked for once the container's directory, volumes and root filesystem are ready — so a
   * container's preparation overlaps its pod sandbox's start, and only its config waits for the sandbox. Gets the
   * container's directory (a sandbox writes the pod files there).
   */
  pod: (dir: string) => Promise<PodContext>;
  readonlyRootfs: boolean;
  resources?: OciSpecInput["resources"];
}

function withVolumes(base: OciMount[], volumes: OciMount[]): OciMount[] {
  const taken = new Set(volumes.map((v) => v.destination));
  return [...base.filter((m) => !taken.has(m.destination)), ...volumes];
}

/**
 * Container directories this process is launching (every Runtime object of the process: several may share one
 * rootDir, as a restarted agent's does in tests). Only the shim writes state.json, and it does so first thing, so a
 * recorded container without one is either in here or left by a process that died before starting its shim.
 */
const launching = new Set<string>();

export function isLaunching(containerDir: string): boolean {
  return launching.has(containerDir);
}

/** Create the container's directory, mounts and bundle and start it through a shim. Returns the host pid. */
export async function launch(ctx: RuntimeContext, input: LaunchInput): Promise<number> {
  const { record } = input;
  checkRootfs(input.image.rootfs);
  const key = ctx.store.path(record.id);
  launching.add(key);
  try {
    return await createAndStart(ctx, input);
  } finally {
    launching.delete(key);
  }
}

async function createAndStart(ctx: RuntimeContext, input: LaunchInput): Promise<number> {
  const { record } = input;
  const dir = await ctx.store.create(record.id);
  try {
    ctx.store.write(record);
    const volumes = await bindVolumes(dir, input.mounts);
    await mountOverlay(input.image.rootfs, dir);
    const pod = await input.pod(dir);
    try {
      const spec = buildOciSpec({
        id: record.id,
        hostname: podHostname(record.pod),
        process: record.process,
        readonlyRootfs: input.readonlyRootfs,
        joinNamespaces: pod.joinNamespaces,
        mounts: withVolumes(baseMounts(pod.podFiles), volumes),
        resources: input.resources,
      });
      fs.writeFileSync(ctx.store.path(record.id, "bundle", "config.json"), JSON.stringify(spec, null, 2), { mode: 0o600 });
      // The container exists (record, mounts, bundle) but nothing runs it yet: the crash window between the CRI's
      // CreateContainer and StartContainer. The sandbox has its own failpoint (runtime.sandbox.create).
      if (record.kind === "container") await failpointAsync("node.runtime.afterCreate");
      return await startShim({ shimPath: ctx.shimPath, runcPath: ctx.runc.binary, runcRoot: ctx.runc.root, id: record.id, containerDir: dir });
    } finally {
      pod.close();
    }
  } catch (e) {
    await destroy(ctx, record.id).catch((err: unknown) => ctx.log.error("cleanup after failed start failed", { id: record.id, err }));
    throw e;
  }
}

async function waitForShim(ctx: RuntimeContext, id: string, dir: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const st = readShimState(dir);
    if (!st || st.status === "exited" || st.status === "failed" || !shimAlive(st.shimPid, id)) return;
    await sleep(25);
  }
}

/** Kill (SIGKILL) if running, wait for the shim to record the exit, delete from runc, unmount everything, remove. */
export async function destroy(ctx: RuntimeContext, id: string): Promise<void> {
  const dir = ctx.store.path(id);
  if (!fs.existsSync(dir)) return;
  const st = readShimState(dir);
  if (st && (st.status === "running" || st.status === "created")) {
    await ctx.runc.kill(id, "SIGKILL");
    await waitForShim(ctx, id, dir, 10_000);
  }
  await ctx.runc.delete(id);
  const after = readShimState(dir);
  if (after?.shimPid && shimAlive(after.shimPid, id)) {
    ctx.log.warn("shim still alive after its container was deleted; killing it", { id, shimPid: after.shimPid });
    process.kill(after.shimPid, "SIGKILL");
    await waitForShim(ctx, id, dir, 2_000);
  }
  await unmountOverlay(dir);
  await unbindVolumes(dir);
  await removePodMounts(dir);
  await removeTreeBeneath(ctx.store.dir, id);
}
