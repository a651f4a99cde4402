/** Test support: a real model on a temporary data directory, without HTTP. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DataLayout } from "../disk/layout.js";
import { resolveMountDirectory } from "../disk/mount-root.js";
import { EfsModel } from "../model/model.js";
import type { EfsLimits } from "../model/state.js";
import { MetadataStore } from "../persistence/metadata-store.js";

export interface ModelFixture {
  dir: string;
  layout: DataLayout;
  store: MetadataStore;
  model: EfsModel;
  /** Runs deferred transitions (creating → available) now. */
  settle(): void;
  /** Commits queued writes, closes the store and opens a fresh model on the same directory. */
  reopen(): ModelFixture;
  cleanup(): void;
}

export function openModelFixture(limits: Partial<EfsLimits> = {}, dir = mkdtempSync(join(tmpdir(), "efs-model-"))): ModelFixture {
  const layout = new DataLayout(dir);
  const store = new MetadataStore(layout.metaDb);
  const deferred: Array<() => void> = [];
  const model = new EfsModel({
    store,
    scope: { region: "us-east-1", accountId: "123456789012" },
    limits,
    disk: { ensure: (id) => layout.ensureFileSystemDir(id), discard: (id) => void layout.moveToTrash(id) },
    resolveDirectory: (req) => resolveMountDirectory(layout, req),
    defer: (fn) => deferred.push(fn),
  });
  const fixture: ModelFixture = {
    dir,
    layout,
    store,
    model,
    settle: () => {
      while (deferred.length > 0) deferred.shift()!();
    },
    reopen: () => {
      fixture.settle();
      store.close();
      return openModelFixture(limits, dir);
    },
    cleanup: () => {
      try {
        store.close();
      } catch {
        // already closed by reopen
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return fixture;
}
