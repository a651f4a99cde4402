/**
 * The runtime object the node agent holds. All state is on disk under rootDir (see container-store.ts and
 * image-store.ts) or in the shims, so a new Runtime over the same rootDir — after the agent was killed — sees and
 * controls every container the old one started.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { createLogger, type Logger } from "../../lib/log.js";
import { DEFAULT_BUSYBOX } from "./busybox-image.js";
import { containerProcess } from "./container-process.js";
import { podHostname, validateContainerSpec, validatePodRef, type ContainerSpec, type PodRef } from "./container-spec.js";
import { ContainerStore, newContainerId, sandboxIdFor, type ContainerRecord } from "./container-store.js";
import type { RuntimeContext } from "./context.js";
import { RuntimeError } from "./errors.js";
import { startExec, type ExecOptions, type ExecProcess } from "./exec.js";
import { ImageStore } from "./image-store.js";
import type { ImageInfo, ProgressFn } from "./image-types.js";
import { Images } from "./images.js";
import { destroy, isLaunching, launch } from "./lifecycle.js";
import { readLogStream, type LogOptions } from "./logs.js";
import { capabilitiesOf, capabilitySet } from "./oci-spec.js";
import { checkOverlayPath } from "./overlay.js";
import { Runc, signalName } from "./runc.js";
import { knownVulnerabilities, parseRuncVersion, type RuncVersion, type Vulnerability } from "./runc-version.js";
import { ensureSandbox, openSandboxNamespaces } from "./sandbox.js";
import { defaultShimPath } from "./shim.js";
import { computeStatus, type ContainerStatus } from "./status.js";
import { resolveUser } from "./user-lookup.js";

export interface RuntimeOptions {
  /** Where images, containers and runc state live (created if missing; must not contain , : \ or spaces). */
  rootDir: string;
  runcPath?: string;
  /** cistern-shim binary; default <package>/dist/native/cistern-shim. */
  shimPath?: string;
  /** Static busybox used to build the busybox image; default /usr/bin/busybox. */
  busyboxPath?: string;
  log?: Logger;
}

function findRunc(explicit?: string): string {
  const candidates = explicit ? [explicit] : ["/usr/sbin/runc", "/usr/bin/runc", "/usr/local/sbin/runc", "/usr/local/bin/runc"];
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found) throw new RuntimeError("RuncFailed", `runc not found (looked at ${candidates.join(", ")}); install the runc package`);
  return found;
}

export class Runtime {
  /** Warnings found at start (vulnerable runc...), also logged. */
  readonly warnings: string[] = [];

  private constructor(
    private readonly ctx: RuntimeContext,
    readonly rootDir: string,
    private readonly version: RuncVersion,
  ) {}

  static async create(opts: RuntimeOptions): Promise<Runtime> {
    const log = opts.log ?? createLogger("runtime");
    if (!path.isAbsolute(opts.rootDir)) throw new RuntimeError("InvalidSpec", "rootDir must be absolute");
    fs.mkdirSync(opts.rootDir, { recursive: true, mode: 0o700 });
    // Mount sources and targets are compared with the mount table: work on the symlink-free path.
    const rootDir = fs.realpathSync(opts.rootDir);
    checkOverlayPath(rootDir);
    const runcRoot = path.join(rootDir, "runc");
    fs.mkdirSync(runcRoot, { recursive: true, mode: 0o700 });
    const runc = new Runc(findRunc(opts.runcPath), runcRoot);
    const imageStore = new ImageStore(rootDir);
    await imageStore.sweepStaging();
    const ctx: RuntimeContext = {
      store: new ContainerStore(rootDir),
      images: new Images(imageStore, opts.busyboxPath ?? DEFAULT_BUSYBOX, log),
      runc,
      shimPath: opts.shimPath ?? process.env.CISTERN_SHIM ?? defaultShimPath(),
      log,
    };
    const rt = new Runtime(ctx, rootDir, parseRuncVersion(await runc.version()));
    rt.warnVulnerabilities();
    await rt.removeUnrecorded();
    await rt.deleteRuncOrphans();
    return rt;
  }

  private warnVulnerabilities(): void {
    const vulns = knownVulnerabilities(this.version);
    if (vulns.length === 0) return;
    const msg =
      `runc ${this.version.version} (${this.version.commit || "unknown build"}) is VULNERABLE to ${vulns.map((v) => v.id).join(", ")}; ` +
      `upgrade runc (fixed in ${[...new Set(vulns.flatMap((v) => v.fixedIn))].join(" / ")} or newer)`;
    this.warnings.push(msg);
    this.ctx.log.warn(msg, { mitigations: vulns.filter((v) => v.mitigatedByRuntime).map((v) => `${v.id}: ${v.mitigatedByRuntime}`) });
  }

  /**
   * Container directories without a record were left by a crash between their mkdir and the record's write: nothing
   * is mounted in them yet and nothing lists them, so they would stay for good.
   */
  private async removeUnrecorded(): Promise<void> {
    for (const id of this.ctx.store.ids()) {
      if (this.ctx.store.tryRead(id) || isLaunching(this.ctx.store.path(id))) continue;
      this.ctx.log.warn("removing a container directory without a record", { id });
      await destroy(this.ctx, id);
    }
  }

  /** runc containers under our root without a container directory were left by a crash mid-create. */
  private async deleteRuncOrphans(): Promise<void> {
    const known = new Set(this.ctx.store.ids());
    for (const c of await this.ctx.runc.list()) {
      if (known.has(c.id)) continue;
      this.ctx.log.warn("deleting runc container without a record", { id: c.id });
      await this.ctx.runc.kill(c.id, "SIGKILL");
      await this.ctx.runc.delete(c.id);
    }
  }

  /** The runc in use and its known vulnerabilities. */
  async runcVersion(): Promise<RuncVersion & { vulnerabilities: Vulnerability[] }> {
    return { ...this.version, vulnerabilities: knownVulnerabilities(this.version) };
  }

  /** The local image for `ref`; builds busybox on first use (onProgress reports it). ImageNotFound otherwise. */
  ensureImage(ref: string, onProgress?: ProgressFn): Promise<ImageInfo> {
    return this.ctx.images.ensure(ref, onProgress);
  }

  /** Import a docker-save or OCI-layout tarball under `name`. ImageRefused for malformed or unsafe archives. */
  importImage(name: string, tarballPath: string, onProgress?: ProgressFn): Promise<ImageInfo> {
    return this.ctx.images.import(name, tarballPath, onProgress);
  }

  listImages(): ImageInfo[] {
    return this.ctx.images.store.list();
  }

  /**
   * Make sure the pod's sandbox runs (creating it, or re-creating it if it died), without starting any container.
   * runContainer does the same on its own; calling this first lets the sandbox start while the pod's volumes are
   * still being mounted. Concurrent calls for one pod create one sandbox. Errors: InvalidSpec, ImageNotFound,
   * RuncFailed.
   */
  async ensurePodSandbox(pod: PodRef): Promise<{ id: string; pid: number }> {
    validatePodRef(pod);
    const sb = await ensureSandbox(this.ctx, { uid: pod.uid, name: pod.name, namespace: pod.namespace });
    return { id: sb.id, pid: sb.pid };
  }

  /**
   * Create and start a container in its pod's sandbox (created on first use). Returns the container id once the
   * process runs. Errors: InvalidSpec / SubPathRefused (nothing was created), ImageNotFound, ImageRefused, RuncFailed.
   */
  async runContainer(spec: ContainerSpec): Promise<string> {
    validateContainerSpec(spec);
    const image = await this.ctx.images.ensure(spec.image);
    const sc = spec.securityContext ?? {};
    const hostname = podHostname(spec.pod);
    const user = resolveUser(image.rootfs, image.config.user, sc);
    const basics = containerProcess(image.config, spec, hostname);
    const record: ContainerRecord = {
      id: newContainerId(),
      kind: "container",
      pod: spec.pod,
      name: spec.name,
      attempt: spec.attempt ?? 0,
      image: spec.image,
      imageId: image.id,
      labels: { ...(spec.labels ?? {}) },
      createdAt: new Date().toISOString(),
      sandboxId: sandboxIdFor(spec.pod.uid),
      process: {
        terminal: false,
        user: { uid: user.uid, gid: user.gid, ...(user.additionalGids.length ? { additionalGids: user.additionalGids } : {}) },
        ...basics,
        capabilities: capabilitiesOf(capabilitySet(sc)),
        noNewPrivileges: sc.allowPrivilegeEscalation === false,
      },
    };
    // The container's directory, volumes and root filesystem are made while the sandbox may still be starting.
    const sandbox = ensureSandbox(this.ctx, spec.pod);
    sandbox.catch(() => undefined); // handled now; its failure is reported where it is awaited
    try {
      await launch(this.ctx, {
        record,
        image,
        mounts: spec.mounts ?? [],
        pod: async () => {
          const sb = await sandbox;
          const ns = openSandboxNamespaces(this.ctx, sb);
          return { podFiles: sb.files, joinNamespaces: ns.join, close: ns.close };
        },
        readonlyRootfs: !!sc.readOnlyRootFilesystem,
        resources: spec.resources,
      });
    } catch (e) {
      // Nothing of this call may still be at work once it has failed (a removal of the pod could race with it).
      await sandbox.catch(() => undefined);
      throw e;
    }
    this.ctx.log.info("container started", { id: record.id, pod: `${spec.pod.namespace}/${spec.pod.name}`, container: spec.name });
    return record.id;
  }

  /** Current status. ContainerNotFound for unknown ids. */
  async containerStatus(id: string): Promise<ContainerStatus> {
    return computeStatus(this.ctx, this.ctx.store.read(id));
  }

  /** Every container and sandbox this runtime's rootDir holds, whoever started them (adoption after a restart). */
  async listContainers(): Promise<ContainerStatus[]> {
    const out: ContainerStatus[] = [];
    for (const rec of this.ctx.store.list()) out.push(await computeStatus(this.ctx, rec));
    return out;
  }

  /** Send a signal to the container's first process. Not running: nothing happens. */
  async killContainer(id: string, signal: string | number = "SIGTERM"): Promise<void> {
    this.ctx.store.read(id);
    await this.ctx.runc.kill(id, signalName(signal));
  }

  /** Wait until the container has exited (or `timeoutMs` passed) and return its status. */
  async waitContainer(id: string, timeoutMs = 60_000): Promise<ContainerStatus> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = await this.containerStatus(id);
      if (s.state === "exited" || Date.now() >= deadline) return s;
      await sleep(50);
    }
  }

  /** SIGTERM, then SIGKILL after the grace period, as the kubelet stops a container. */
  async stopContainer(id: string, gracePeriodSeconds = 30): Promise<ContainerStatus> {
    await this.killContainer(id, "SIGTERM");
    const s = await this.waitContainer(id, gracePeriodSeconds * 1000);
    if (s.state === "exited") return s;
    await this.killContainer(id, "SIGKILL");
    return this.waitContainer(id, 10_000);
  }

  /** Stop (SIGKILL) if needed and remove every trace: runc state, mounts, directory. Unknown ids are fine. */
  async removeContainer(id: string): Promise<void> {
    this.ctx.store.checkId(id);
    await destroy(this.ctx, id);
  }

  /** Remove all of a pod's containers and its sandbox. */
  async removePodSandbox(podUid: string): Promise<void> {
    const sb = sandboxIdFor(podUid);
    for (const rec of this.ctx.store.list()) if (rec.kind === "container" && rec.pod.uid === podUid) await destroy(this.ctx, rec.id);
    await destroy(this.ctx, sb);
  }

  /** Run a process in a running container. NotRunning if it is not running. */
  async exec(id: string, opts: ExecOptions): Promise<ExecProcess> {
    const record = this.ctx.store.read(id);
    const s = await computeStatus(this.ctx, record);
    if (s.state !== "running") throw new RuntimeError("NotRunning", `container ${id} is not running`);
    return startExec({ record, containerDir: this.ctx.store.path(id), runcPath: this.ctx.runc.binary, runcRoot: this.ctx.runc.root, shimPath: this.ctx.shimPath }, opts);
  }

  /**
   * The container's log rendered as kubectl logs shows it. With `previous`, the log of the latest earlier attempt
   * of the same container in the same pod (ContainerNotFound if there is none).
   */
  async readLogs(id: string, opts: LogOptions = {}): Promise<Readable> {
    let rec = this.ctx.store.read(id);
    if (opts.previous) {
      const prev = this.ctx.store
        .list()
        .filter((r) => r.kind === "container" && r.pod.uid === rec.pod.uid && r.name === rec.name && r.attempt < rec.attempt)
        .sort((a, b) => b.attempt - a.attempt)[0];
      if (!prev) throw new RuntimeError("ContainerNotFound", `previous terminated container "${rec.name}" in pod "${rec.pod.name}" not found`);
      rec = prev;
    }
    const target = rec.id;
    return readLogStream(this.ctx.store.dir, `${target}/container.log`, opts, async () => (await this.containerStatus(target)).state === "exited");
  }
}

export function createRuntime(opts: RuntimeOptions): Promise<Runtime> {
  return Runtime.create(opts);
}
