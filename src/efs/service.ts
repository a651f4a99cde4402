/** Wiring: data directory, credentials, metadata store, model, metering, metrics, HTTP listener. */
import type { Server } from "node:http";
import type { Logger } from "../lib/log.js";
import { DataLayout } from "./disk/layout.js";
import { resolveMountDirectory } from "./disk/mount-root.js";
import type { MetricsRequest, ServiceParts } from "./handlers/context.js";
import { createDispatcher, type Dispatcher } from "./http/dispatch.js";
import { listen } from "./http/node-server.js";
import { Meter } from "./metering/meter.js";
import { buildUsageReport, type UsageReport } from "./metering/usage-report.js";
import { EfsMetrics } from "./metrics/efs-metrics.js";
import { EfsModel } from "./model/model.js";
import type { EfsLimits } from "./model/state.js";
import { loadOrCreateCredentials, type Credentials } from "./persistence/credentials.js";
import { MetadataStore } from "./persistence/metadata-store.js";

export interface EfsServiceOptions {
  /** Everything the service keeps lives here (layout in index.ts). Created if missing. */
  dataDir: string;
  host: string;
  /** 0 picks a free port. */
  port: number;
  tls?: { cert: string | Buffer; key: string | Buffer };
  region: string;
  /** 12 digits; appears in ARNs and OwnerId. */
  accountId: string;
  /** When absent, read from (or created once in) `<dataDir>/credentials.json`. */
  credentials?: Credentials;
  /** File systems that must exist with exactly these IDs (`fs-[0-9a-f]{8,40}`), created at start if absent. */
  preCreateFileSystemIds?: string[];
  /** Decides who may GET /metrics; without it /metrics needs a SigV4 signature like the API. */
  metricsAuthorizer?: (req: MetricsRequest) => boolean;
  log: Logger;
  /** Quotas; AWS's defaults unless overridden (tests use small ones). */
  limits?: Partial<EfsLimits>;
  /** Pause between metering rounds (default 15 s; sizes stay under 60 s old while a round is quick). */
  meteringIntervalMs?: number;
}

export interface EfsService {
  /** Endpoint for SDK clients, e.g. http://127.0.0.1:41234. */
  url: string;
  credentials: Credentials;
  region: string;
  accountId: string;
  /** The file system tagged Name=cistern-default, which always exists after start. */
  defaultFileSystemId: string;
  /** The live model, for in-process tests and tools. */
  model: EfsModel;
  /** The request handler without a socket (in-process tests). */
  dispatch: Dispatcher;
  /** Usage from the latest metering walks; `fresh` walks first. FileSystemNotFound for an unknown `fsId`. */
  usageReport(fsId?: string, opts?: { fresh?: boolean }): Promise<UsageReport>;
  /** Stops listening and background work, commits what is queued, closes the database. Idempotent. */
  close(): Promise<void>;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const ACCOUNT = /^\d{12}$/;

/** Removes trashed file system trees one run at a time; a request during a run queues one more run. */
function trashCollector(layout: DataLayout, log: Logger) {
  let running: Promise<void> | undefined;
  let again = false;
  const run = (): Promise<void> =>
    layout
      .emptyTrash()
      .then((skipped) => {
        if (skipped.length > 0) log.warn("left mount points in trash; unmount them to finish removal", { skipped });
      })
      .catch((err) => log.error("removing deleted file system data failed", { err }))
      .then(() => {
        if (again) {
          again = false;
          return run();
        }
      });
  return {
    schedule(): void {
      if (running) {
        again = true;
        return;
      }
      running = run().finally(() => (running = undefined));
    },
    async idle(): Promise<void> {
      while (running) await running;
    },
  };
}

export async function startEfsService(opts: EfsServiceOptions): Promise<EfsService> {
  if (!REGION.test(opts.region)) throw new Error(`region '${opts.region}' is not an AWS region name`);
  if (!ACCOUNT.test(opts.accountId)) throw new Error("accountId must be 12 digits");
  const log = opts.log;
  const layout = new DataLayout(opts.dataDir);
  const credentials = loadOrCreateCredentials(layout.root, opts.credentials);
  const store = new MetadataStore(layout.metaDb);
  const trash = trashCollector(layout, log);
  const scope = { region: opts.region, accountId: opts.accountId };
  let model: EfsModel;
  try {
    model = new EfsModel({
      store,
      scope,
      limits: opts.limits,
      disk: {
        ensure: (id) => layout.ensureFileSystemDir(id),
        discard: (id) => {
          layout.moveToTrash(id);
          trash.schedule();
        },
      },
      resolveDirectory: (req) => resolveMountDirectory(layout, req),
    });
  } catch (err) {
    store.close();
    throw err;
  }
  store.onCommitFailure = (err) => {
    log.error("metadata commit failed; reloading committed state", { err });
    model.reload();
  };
  const defaultFileSystemId = model.bootstrap(opts.preCreateFileSystemIds ?? []);
  await store.sync();

  const meter = new Meter(model, layout, log.child("metering"), opts.meteringIntervalMs);
  const metrics = new EfsMetrics({
    fileSystems: () => {
      const connections = model.mounts.connections();
      return model.fileSystemIds().map((id) => {
        const fs = model.fileSystems.get(id);
        return { id, size: meter.sizeOf(id, fs.creationTime), connections: connections.get(id) ?? 0 };
      });
    },
    accessPointUsage: () =>
      model.fileSystemIds().flatMap((fsId) =>
        model.accessPointsOf(fsId).flatMap((ap) => {
          const bytes = meter.rootUsage(fsId, ap.rootPath);
          return bytes === undefined ? [] : [{ fsId, apId: ap.id, bytes }];
        }),
      ),
  });
  const parts: ServiceParts = { model, meter, metrics, scope, log, metricsAuthorizer: opts.metricsAuthorizer };
  const dispatch = createDispatcher(parts, store, credentials);
  let server: Server;
  let url: string;
  try {
    ({ server, url } = await listen(dispatch, { host: opts.host, port: opts.port, tls: opts.tls }, log));
  } catch (err) {
    store.close();
    throw err;
  }
  meter.start();
  trash.schedule();
  log.info("EFS service listening", { url, region: opts.region, defaultFileSystemId });

  let closing: Promise<void> | undefined;
  return {
    url,
    credentials,
    region: opts.region,
    accountId: opts.accountId,
    defaultFileSystemId,
    model,
    dispatch,
    async usageReport(fsId, o) {
      const id = fsId === undefined ? undefined : model.fileSystems.get(fsId).id;
      if (o?.fresh) await meter.refresh(id);
      return buildUsageReport(model, meter, id);
    },
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await meter.stop();
        await trash.idle();
        store.close();
      })();
      return closing;
    },
  };
}
