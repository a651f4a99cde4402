/**
 * EFS's metering rule for one object: 2 KiB of metadata plus data in 4 KiB increments, at least one
 * increment. Regular files count their logical size rounded up (less if sparse: the allocated size,
 * rounded up, when that is smaller); directories count their directory data rounded up; symlinks and
 * special files count 4 KiB. So an empty file, an empty directory and a new file system are each 6 KiB.
 */
export const METADATA_BYTES = 2048;
export const BLOCK = 4096;

export function roundUp(bytes: number): number {
  return Math.ceil(bytes / BLOCK) * BLOCK;
}

export interface ObjectStat {
  kind: "file" | "directory" | "other";
  size: number;
  /** Allocated 512-byte blocks (st_blocks). */
  blocks: number;
}

export function meteredBytes(st: ObjectStat): number {
  switch (st.kind) {
    case "file":
      return METADATA_BYTES + Math.max(BLOCK, Math.min(roundUp(st.size), roundUp(st.blocks * 512)));
    case "directory":
      return METADATA_BYTES + Math.max(BLOCK, roundUp(st.size));
    default:
      return METADATA_BYTES + BLOCK;
  }
}
