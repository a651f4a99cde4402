/**
 * Image resolution: a reference is looked up among imported images first (refs.json); any busybox reference then
 * resolves to the built-in busybox image, built on first use. Nothing is ever pulled from a registry: a reference
 * that is neither is RuntimeError("ImageNotFound"), which the agent reports as ErrImagePull / ImagePullBackOff.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Logger } from "../../lib/log.js";
import { removeTreeBeneath } from "../../lib/safe-path/index.js";
import { buildBusyboxRootfs, busyboxImageId } from "./busybox-image.js";
import { RuntimeError } from "./errors.js";
import { importTarball } from "./image-import.js";
import { isBusyboxRef, parseImageRef } from "./image-ref.js";
import { ImageStore } from "./image-store.js";
import type { ImageInfo, ProgressFn } from "./image-types.js";

export class Images {
  private readonly inflight = new Map<string, Promise<ImageInfo>>();

  constructor(
    readonly store: ImageStore,
    private readonly busyboxPath: string,
    private readonly log: Logger,
  ) {}

  /** The local image for `ref`, building busybox if needed. Concurrent calls share one build. */
  async ensure(ref: string, onProgress?: ProgressFn): Promise<ImageInfo> {
    const r = parseImageRef(ref);
    const tagged = this.store.lookup(r.canonical);
    const info = tagged ? this.store.get(tagged) : undefined;
    if (info) return info;
    if (!isBusyboxRef(r)) {
      throw new RuntimeError("ImageNotFound", `image ${JSON.stringify(ref)} (${r.canonical}) is not present on this node; this runtime does not pull — import it, or use busybox`);
    }
    const id = busyboxImageId(this.busyboxPath);
    const existing = this.store.get(id);
    if (existing) return existing;
    let p = this.inflight.get(id);
    if (!p) {
      this.log.info("building the busybox image (first use)", { id });
      p = this.store
        .install(id, ["docker.io/library/busybox:latest"], (rootfs) => buildBusyboxRootfs(rootfs, this.busyboxPath, onProgress), { builtin: "busybox" })
        .finally(() => this.inflight.delete(id));
      this.inflight.set(id, p);
    }
    const built = await p;
    onProgress?.({ phase: "done", message: `image ${built.id} ready` });
    return built;
  }

  /** The image for `ref` if it is present (never builds). */
  find(ref: string): ImageInfo | undefined {
    const r = parseImageRef(ref);
    const tagged = this.store.lookup(r.canonical);
    if (tagged) return this.store.get(tagged);
    return isBusyboxRef(r) ? this.store.get(busyboxImageId(this.busyboxPath)) : undefined;
  }

  /** Import a docker-save or OCI-layout tarball and tag it as `name`. Importing the same image again is cheap. */
  async import(name: string, tarball: string, onProgress?: ProgressFn): Promise<ImageInfo> {
    const r = parseImageRef(name);
    const staging = this.store.createStaging();
    let result: Awaited<ReturnType<typeof importTarball>>;
    try {
      const scratch = path.join(staging, "scratch");
      fs.mkdirSync(scratch, { mode: 0o700 });
      result = await importTarball(tarball, path.join(staging, "rootfs"), scratch, onProgress, this.log);
      await removeTreeBeneath(staging, "scratch");
    } catch (e) {
      await this.store.discard(staging);
      throw e;
    }
    const info = await this.store.commit(staging, result.id, [], result.config);
    await this.store.tag(r.canonical, info.id);
    onProgress?.({ phase: "done", message: `image ${info.id} tagged ${r.canonical}` });
    return this.store.get(info.id) ?? info;
  }
}
