/**
 * Pod sandboxes. Each pod gets one long-sleeping busybox container (like the kubelet's pause container) that owns
 * the pod's IPC and UTS namespaces (hostname = pod name) and the pod files (/etc/hosts, /etc/hostname,
 * /etc/resolv.conf, the /dev/shm tmpfs). The pod's containers join its namespaces; every container keeps its own
 * pid and mount namespaces. There is no network namespace: pods use the host network (no CNI here).
 * Namespaces are joined through fds we hold open (/proc/<agent>/fd/N), not /proc/<pid>/ns paths, so a sandbox pid
 * that is reused between our check and runc's open cannot redirect a container into another process's namespaces.
 */
import * as fs from "node:fs";
import { failpointAsync } from "../../lib/failpoints.js";
import { closeQuietlyFd } from "./fd-util.js";
import { podHostname, type PodRef } from "./container-spec.js";
import { sandboxIdFor, type ContainerRecord } from "./container-store.js";
import type { RuntimeContext } from "./context.js";
import { RuntimeError } from "./errors.js";
import { DEFAULT_PATH } from "./image-types.js";
import { destroy, launch } from "./lifecycle.js";
import { capabilitiesOf, type OciSpecInput, type PodFiles } from "./oci-spec.js";
import { podFilesOf, writePodFiles } from "./pod-files.js";
import { readShimState, shimAlive } from "./shim.js";
import { computeStatus } from "./status.js";

export interface SandboxHandle {
  id: string;
  pid: number;
  files: PodFiles;
}

const locks = new Map<string, Promise<unknown>>();

/** Serialise work per key (one sandbox creation per pod at a time) within this process. */
async function withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const prev = locks.get(key) ?? Promise.resolve();
  const next = prev.then(fn, fn);
  locks.set(key, next.catch(() => undefined));
  try {
    return await next;
  } finally {
    if (locks.get(key) === next) locks.delete(key);
  }
}

/** The pod's running sandbox, creating (or re-creating, if it died) it as needed. */
export async function ensureSandbox(ctx: RuntimeContext, pod: PodRef): Promise<SandboxHandle> {
  const id = sandboxIdFor(pod.uid);
  return withLock(`${ctx.store.dir}/${id}`, async () => {
    const existing = ctx.store.tryRead(id);
    if (existing) {
      const s = await computeStatus(ctx, existing);
      if (s.state === "running" && s.pid) return { id, pid: s.pid, files: podFilesOf(ctx.store.path(id)) };
      ctx.log.info("pod sandbox is not running; re-creating it", { pod: `${pod.namespace}/${pod.name}`, id });
      await destroy(ctx, id);
    }
    await failpointAsync("runtime.sandbox.create");
    const image = await ctx.images.ensure("busybox");
    const record: ContainerRecord = {
      id,
      kind: "sandbox",
      pod,
      name: "sandbox",
      attempt: 0,
      image: "busybox",
      imageId: image.id,
      labels: {},
      createdAt: new Date().toISOString(),
      process: {
        terminal: false,
        user: { uid: 0, gid: 0 },
        args: ["sleep", "2147483647"],
        env: [`PATH=${DEFAULT_PATH}`],
        cwd: "/",
        capabilities: capabilitiesOf([]),
        noNewPrivileges: true,
      },
    };
    const pid = await launch(ctx, {
      record,
      image,
      mounts: [],
      pod: async (dir) => ({ podFiles: await writePodFiles(dir, podHostname(pod)), joinNamespaces: [], close: () => undefined }),
      readonlyRootfs: true,
    });
    return { id, pid, files: podFilesOf(ctx.store.path(id)) };
  });
}

/**
 * Open the sandbox's IPC and UTS namespaces and confirm the pid still belongs to the sandbox. The caller passes the
 * returned paths to runc and calls close() once the container has started.
 */
export function openSandboxNamespaces(ctx: RuntimeContext, sb: SandboxHandle): { join: OciSpecInput["joinNamespaces"]; close(): void } {
  const fds: number[] = [];
  const close = () => fds.forEach(closeQuietlyFd);
  try {
    const join: OciSpecInput["joinNamespaces"] = [];
    for (const type of ["ipc", "uts"] as const) {
      const fd = fs.openSync(`/proc/${sb.pid}/ns/${type}`, "r");
      fds.push(fd);
      join.push({ type, path: `/proc/${process.pid}/fd/${fd}` });
    }
    const st = readShimState(ctx.store.path(sb.id));
    if (!st || st.status !== "running" || st.pid !== sb.pid || !shimAlive(st.shimPid, sb.id)) {
      throw new RuntimeError("RuncFailed", "the pod sandbox stopped while a container was being started");
    }
    return { join, close };
  } catch (e) {
    close();
    throw e;
  }
}
