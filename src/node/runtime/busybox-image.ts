/**
 * The built-in "busybox" image: a rootfs made from the host's static busybox binary, with every applet as a
 * relative symlink to /bin/busybox, a minimal /etc/passwd and /etc/group, and the usual top-level directories.
 * Its id is derived from the binary's hash, so an upgraded busybox gets a fresh image and old containers keep theirs.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { childPath, mkdirBeneath, openBeneath, openParentBeneath, validateRelativePath } from "../../lib/safe-path/index.js";
import { defaultSpawner } from "../../lib/spawner/index.js";
import { RuntimeError } from "./errors.js";
import { DEFAULT_PATH, type ImageConfig, type ProgressFn } from "./image-types.js";

const BUILD_VERSION = "1";
const ROOT = { uid: 0, gid: 0 };

export const DEFAULT_BUSYBOX = "/usr/bin/busybox";

/** Ids by binary path, valid while the file's identity and times are unchanged (an upgrade replaces the file). */
const idCache = new Map<string, { stamp: string; id: string }>();

/** busybox-<sha256 of the binary, 16 hex>-v<build version>; hashed once per version of the file, not per call. */
export function busyboxImageId(busyboxPath: string): string {
  const unavailable = (e: unknown) => new RuntimeError("ImageNotFound", `busybox image unavailable: cannot read ${busyboxPath} (install busybox-static)`, { cause: e });
  let stamp: string;
  try {
    const st = fs.statSync(busyboxPath, { bigint: true });
    stamp = `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
  } catch (e) {
    throw unavailable(e);
  }
  const cached = idCache.get(busyboxPath);
  if (cached?.stamp === stamp) return cached.id;
  let hash: string;
  try {
    hash = crypto.createHash("sha256").update(fs.readFileSync(busyboxPath)).digest("hex");
  } catch (e) {
    throw unavailable(e);
  }
  const id = `busybox-${hash.slice(0, 16)}-v${BUILD_VERSION}`;
  idCache.set(busyboxPath, { stamp, id });
  return id;
}

const DIRS: [string, number][] = [
  ["bin", 0o755],
  ["sbin", 0o755],
  ["usr", 0o755],
  ["usr/bin", 0o755],
  ["usr/sbin", 0o755],
  ["etc", 0o755],
  ["tmp", 0o1777],
  ["var", 0o755],
  ["var/tmp", 0o1777],
  ["home", 0o755],
  ["root", 0o700],
  ["proc", 0o555],
  ["sys", 0o555],
  ["dev", 0o755],
  ["run", 0o755],
];

const PASSWD = "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n";
const GROUP = "root:x:0:\nnobody:x:65534:\n";

function writeFileBeneath(rootfs: string, rel: string, content: string | Buffer, mode: number): void {
  const h = openBeneath(rootfs, rel, { flags: fs.constants.O_WRONLY | fs.constants.O_TRUNC, create: { mode, ...ROOT } });
  try {
    fs.writeFileSync(h.fd, content);
  } finally {
    h.close();
  }
}

/** True if the ELF file has a program interpreter (is dynamically linked): it would not run inside the image. */
export function isDynamicElf(bin: Buffer): boolean {
  if (bin.length < 64 || bin.readUInt32BE(0) !== 0x7f454c46 || bin[4] !== 2) return false; // only ELF64 is checked
  const little = bin[5] === 1;
  const u16 = (o: number) => (little ? bin.readUInt16LE(o) : bin.readUInt16BE(o));
  const u32 = (o: number) => (little ? bin.readUInt32LE(o) : bin.readUInt32BE(o));
  const phoff = Number(little ? bin.readBigUInt64LE(0x20) : bin.readBigUInt64BE(0x20));
  const [phentsize, phnum] = [u16(0x36), u16(0x38)];
  for (let i = 0; i < phnum; i++) {
    const off = phoff + i * phentsize;
    if (off + 4 <= bin.length && u32(off) === 3 /* PT_INTERP */) return true;
  }
  return false;
}

/** Fill `rootfs` (an empty directory) with the busybox image. */
export async function buildBusyboxRootfs(rootfs: string, busyboxPath: string, onProgress?: ProgressFn): Promise<ImageConfig> {
  onProgress?.({ phase: "build", message: `building busybox image from ${busyboxPath}`, done: 0 });
  const binary = fs.readFileSync(busyboxPath);
  if (isDynamicElf(binary)) {
    throw new RuntimeError("ImageNotFound", `${busyboxPath} is dynamically linked and cannot run alone in a container: install busybox-static`);
  }
  for (const [d, mode] of DIRS) mkdirBeneath(rootfs, d, { mode, ...ROOT }).close();
  writeFileBeneath(rootfs, "bin/busybox", binary, 0o755);
  writeFileBeneath(rootfs, "etc/passwd", PASSWD, 0o644);
  writeFileBeneath(rootfs, "etc/group", GROUP, 0o644);

  const { stdout } = await defaultSpawner().run(busyboxPath, ["--list-full"]);
  const applets = stdout.split("\n").map((l) => l.trim()).filter((l) => l && l !== "bin/busybox");
  let done = 0;
  for (const applet of applets) {
    validateRelativePath(applet);
    const target = path.posix.relative(path.posix.dirname(applet), "bin/busybox");
    const { parent, name } = openParentBeneath(rootfs, applet, { mode: 0o755, ...ROOT });
    try {
      fs.symlinkSync(target, childPath(parent.fd, name));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    } finally {
      parent.close();
    }
    if (++done % 50 === 0) onProgress?.({ phase: "build", message: "linking applets", done, total: applets.length });
  }
  onProgress?.({ phase: "build", message: "linking applets", done, total: applets.length });
  return { entrypoint: [], cmd: ["sh"], env: [`PATH=${DEFAULT_PATH}`], workingDir: "", user: "" };
}
