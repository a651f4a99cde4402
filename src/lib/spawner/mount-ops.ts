/**
 * The mount calls Cistern makes, as data: a bind of an object (usually an fd's /proc magic link), making a mount
 * private, a read-only remount of a bind, and a new tmpfs or overlay. Each becomes one mount(2) step for the helper
 * (named flags, see native/spawner/mounts.c) or one mount(8) argument vector when there is no helper; both mean the
 * same call, and both are tested.
 */

export type NewMountFlag = "nosuid" | "nodev" | "noexec" | "rdonly";

export type MountOp =
  /** mount --bind SOURCE TARGET (SOURCE is not canonicalised: a /proc/<pid>/fd/N link stays the object it names). */
  | { op: "bind"; source: string }
  /** mount --make-private TARGET: nothing propagates in or out. */
  | { op: "make-private" }
  /** mount -o remount,bind,ro TARGET, keeping the mount's nosuid/nodev/noexec and atime flags. */
  | { op: "remount-read-only" }
  /** mount -t FSTYPE -o FLAGS,DATA SOURCE TARGET. */
  | { op: "new"; fstype: "tmpfs" | "overlay"; source: string; flags: readonly NewMountFlag[]; data: string };

/** One helper step: source, fstype, comma-separated flag names, data ("" = none). */
export type HelperStep = [string, string, string, string];

export function helperStep(m: MountOp): HelperStep {
  switch (m.op) {
    case "bind":
      return [m.source, "", "bind", ""];
    case "make-private":
      return ["", "", "private", ""];
    case "remount-read-only":
      return ["", "", "remount,bind,rdonly,keepflags", ""];
    case "new":
      return [m.source, m.fstype, m.flags.join(","), m.data];
  }
}

/** mount(8) arguments for the same call. */
export function mountArgv(m: MountOp, target: string): string[] {
  switch (m.op) {
    case "bind":
      return ["--no-canonicalize", "--bind", m.source, target];
    case "make-private":
      return ["--no-canonicalize", "--make-private", target];
    case "remount-read-only":
      return ["--no-canonicalize", "-o", "remount,bind,ro", target];
    case "new": {
      const opts = [...m.flags.map((f) => (f === "rdonly" ? "ro" : f)), ...(m.data ? [m.data] : [])];
      return ["--no-canonicalize", "-t", m.fstype, ...(opts.length ? ["-o", opts.join(",")] : []), m.source, target];
    }
  }
}

/** umount(8) arguments for umount2(target, UMOUNT_NOFOLLOW [| MNT_DETACH]). */
export function umountArgv(target: string, lazy: boolean): string[] {
  return ["--no-canonicalize", ...(lazy ? ["--lazy"] : []), target];
}

const OPTION_TEXT = /^[^,\0]*$/;

/** Checks what both ways need: an absolute target, no NUL anywhere, no comma smuggled into one option. */
export function checkMountOps(target: string, ops: MountOp[]): void {
  if (!target.startsWith("/") || target.includes("\0")) throw new Error(`mount target ${JSON.stringify(target)} must be an absolute path without NUL bytes`);
  if (ops.length === 0 || ops.length > 16) throw new Error("between 1 and 16 mount steps");
  for (const m of ops) {
    if (m.op === "bind" && (!m.source || m.source.includes("\0"))) throw new Error("a bind needs a source without NUL bytes");
    if (m.op === "new" && (!OPTION_TEXT.test(m.source) || m.data.includes("\0") || !m.source)) throw new Error("a new mount needs a source without commas or NUL bytes");
  }
}
