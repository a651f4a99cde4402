/**
 * What the node side published where, kept on disk (one small JSON file per target path, replaced
 * atomically) so that NodeUnpublishVolume after a driver restart still knows how the target was
 * mounted (FUSE or bind) and which EFS mount to release. Records are written after the mount is in
 * place and removed after it is gone: a crash in between leaves a record whose target is no longer
 * mounted, which the next publish/unpublish of that target cleans up.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../lib/atomic-file.js";
import type { IoReport } from "./mount-extension.js";

export type ServedBy = "fuse" | "bind" | "efs-utils";

export interface PublishRecord {
  volumeId: string;
  targetPath: string;
  servedBy: ServedBy;
  /** The EFS mount extension's mount (absent for efs-utils mounts). */
  mountId?: string;
  fileSystemId: string;
  accessPointId?: string;
  /** The directory served (beneath the EFS data root), for volume stats. */
  hostPath?: string;
  readOnly: boolean;
  /** efs-fuse counters file, and what of it was already reported to EFS. */
  statsFile?: string;
  reportedIo?: IoReport;
  publishedAt: string;
}

export class PublishState {
  private readonly dir: string;

  constructor(stateDir: string) {
    this.dir = join(stateDir, "published");
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
  }

  /** A file name that cannot collide or escape: the hash of the target path. */
  fileFor(targetPath: string): string {
    return join(this.dir, createHash("sha256").update(targetPath).digest("hex") + ".json");
  }

  get(targetPath: string): PublishRecord | undefined {
    try {
      const rec = JSON.parse(readFileSync(this.fileFor(targetPath), "utf8")) as PublishRecord;
      return rec.targetPath === targetPath ? rec : undefined;
    } catch {
      return undefined;
    }
  }

  put(rec: PublishRecord): void {
    writeFileAtomic(this.fileFor(rec.targetPath), JSON.stringify(rec), 0o600);
  }

  remove(targetPath: string): void {
    rmSync(this.fileFor(targetPath), { force: true });
  }

  list(): PublishRecord[] {
    const out: PublishRecord[] = [];
    for (const name of readdirSync(this.dir)) {
      if (!name.endsWith(".json")) continue;
      try {
        out.push(JSON.parse(readFileSync(join(this.dir, name), "utf8")) as PublishRecord);
      } catch {
        // a torn or foreign file: ignore
      }
    }
    return out;
  }
}
