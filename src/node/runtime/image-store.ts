/**
 * On-disk image store under <rootDir>/images:
 *   <id>/rootfs/       the flattened, read-only lower directory for containers
 *   <id>/image.json    ImageInfo minus the rootfs path
 *   refs.json          canonical reference -> image id (imported images; busybox resolves by repository)
 * Images are built in a staging directory and renamed into place, so a crash never leaves a half image under its
 * id; a concurrent build of the same id loses the rename and discards its copy.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { removeTreeBeneath } from "../../lib/safe-path/index.js";
import { checkRootfs } from "./rootfs-check.js";
import type { ImageConfig, ImageInfo } from "./image-types.js";

const ID = /^[a-z0-9][a-z0-9-]{0,127}$/;

export class ImageStore {
  readonly dir: string;
  private refsLock: Promise<unknown> = Promise.resolve();

  constructor(rootDir: string) {
    this.dir = path.join(rootDir, "images");
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
  }

  private refsPath(): string {
    return path.join(this.dir, "refs.json");
  }

  private readRefs(): Record<string, string> {
    try {
      return JSON.parse(fs.readFileSync(this.refsPath(), "utf8")) as Record<string, string>;
    } catch {
      return {};
    }
  }

  /** The image with this id, or undefined. */
  get(id: string): ImageInfo | undefined {
    if (!ID.test(id)) return undefined;
    try {
      const rec = JSON.parse(fs.readFileSync(path.join(this.dir, id, "image.json"), "utf8")) as Omit<ImageInfo, "rootfs">;
      return { ...rec, rootfs: path.join(this.dir, id, "rootfs") };
    } catch {
      return undefined;
    }
  }

  /** The image id a canonical reference was tagged with, if any. */
  lookup(canonical: string): string | undefined {
    return this.readRefs()[canonical];
  }

  list(): ImageInfo[] {
    return fs
      .readdirSync(this.dir)
      .filter((n) => ID.test(n))
      .map((n) => this.get(n))
      .filter((i): i is ImageInfo => !!i);
  }

  /** Point `canonical` at image `id` (replacing an earlier tag) and record the name on the image. */
  async tag(canonical: string, id: string): Promise<void> {
    const next = this.refsLock.then(() => {
      const refs = this.readRefs();
      refs[canonical] = id;
      const tmp = `${this.refsPath()}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(refs, null, 2));
      fs.renameSync(tmp, this.refsPath());
      const info = this.get(id);
      if (info && !info.names.includes(canonical)) this.writeRecord(path.join(this.dir, id), { ...info, names: [...info.names, canonical] });
    });
    this.refsLock = next.catch(() => undefined);
    await next;
  }

  private writeRecord(imageDir: string, info: Omit<ImageInfo, "rootfs"> & { rootfs?: string }): void {
    const { rootfs: _rootfs, ...rec } = info;
    const tmp = path.join(imageDir, "image.json.tmp");
    fs.writeFileSync(tmp, JSON.stringify(rec, null, 2));
    fs.renameSync(tmp, path.join(imageDir, "image.json"));
  }

  /** A fresh staging directory (with an empty rootfs/) for building an image; commit() or discard() it. */
  createStaging(): string {
    const staging = path.join(this.dir, `.staging-${crypto.randomBytes(6).toString("hex")}`);
    fs.mkdirSync(path.join(staging, "rootfs"), { recursive: true, mode: 0o755 });
    fs.chmodSync(staging, 0o700);
    return staging;
  }

  async discard(staging: string): Promise<void> {
    if (fs.existsSync(staging)) await removeTreeBeneath(this.dir, path.basename(staging));
  }

  /**
   * Install a built staging directory as image `id` (after checkRootfs). If the id already exists (a concurrent or
   * earlier build), the staged copy is discarded and the existing image returned. The staging dir is always gone after.
   */
  async commit(staging: string, id: string, names: string[], config: ImageConfig, extra: Partial<Pick<ImageInfo, "builtin">> = {}): Promise<ImageInfo> {
    if (!ID.test(id)) throw new Error(`bad image id ${id}`);
    try {
      checkRootfs(path.join(staging, "rootfs"), true);
      if (!this.get(id)) {
        this.writeRecord(staging, { id, names, config, createdAt: new Date().toISOString(), ...extra });
        try {
          fs.renameSync(staging, path.join(this.dir, id));
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          if (code !== "ENOTEMPTY" && code !== "EEXIST") throw e;
        }
      }
    } finally {
      await this.discard(staging);
    }
    const info = this.get(id);
    if (!info) throw new Error(`image ${id} vanished after install`);
    return info;
  }

  /** Build an image under `id` unless it already exists: `build(rootfs)` fills a fresh rootfs and returns the config. */
  async install(
    id: string,
    names: string[],
    build: (rootfs: string) => Promise<ImageConfig>,
    extra: Partial<Pick<ImageInfo, "builtin">> = {},
  ): Promise<ImageInfo> {
    const existing = this.get(id);
    if (existing) return existing;
    const staging = this.createStaging();
    let config: ImageConfig;
    try {
      config = await build(path.join(staging, "rootfs"));
    } catch (e) {
      await this.discard(staging);
      throw e;
    }
    return this.commit(staging, id, names, config, extra);
  }

  /** Remove leftovers of builds interrupted by a crash. */
  async sweepStaging(): Promise<void> {
    for (const n of fs.readdirSync(this.dir)) if (n.startsWith(".staging-")) await removeTreeBeneath(this.dir, n);
  }
}
