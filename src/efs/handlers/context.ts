/** What every route handler gets: the parsed request, path labels, and the service's parts. */
import type { Logger } from "../../lib/log.js";
import type { EfsHttpRequest, EfsHttpResponse } from "../http/types.js";
import type { Scope } from "../ids.js";
import type { Meter } from "../metering/meter.js";
import type { EfsMetrics } from "../metrics/efs-metrics.js";
import type { EfsModel } from "../model/model.js";
import type { FileSystemRecord } from "../model/types.js";
import { availabilityZoneId } from "../model/mount-targets.js";
import { fileSystemDescription } from "./serialize.js";

export interface ServiceParts {
  model: EfsModel;
  meter: Meter;
  metrics: EfsMetrics;
  scope: Scope;
  log: Logger;
  /** Decides GET /metrics when set; otherwise /metrics needs a SigV4 signature like everything else. */
  metricsAuthorizer?: (req: MetricsRequest) => boolean;
}

/** What a metrics authorizer sees of the request. */
export interface MetricsRequest {
  method: string;
  path: string;
  headers: Record<string, string | undefined>;
  remoteAddress?: string;
}

export interface HandlerContext {
  req: EfsHttpRequest;
  params: Record<string, string>;
  parts: ServiceParts;
}

export type Handler = (ctx: HandlerContext) => EfsHttpResponse | Promise<EfsHttpResponse>;

/** FileSystemDescription with its live size and mount target count. */
export function describeFileSystem(parts: ServiceParts, fs: FileSystemRecord) {
  const zoneId = fs.availabilityZoneName ? availabilityZoneId(parts.scope.region, fs.availabilityZoneName) : undefined;
  return fileSystemDescription(parts.scope, fs, parts.meter.sizeOf(fs.id, fs.creationTime), parts.model.fileSystems.usage(fs.id).mountTargets, zoneId);
}
